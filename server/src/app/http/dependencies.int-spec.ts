import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { ME, userWithPost, VOTE } from '../../../test/community-fixture';
import { gql } from '../../../test/graphql';
import { startOwnMariadb, startOwnRedis, type OwnServer } from '../../../test/own-servers';
import { spawnProcess } from '../../../test/spawn-api';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls /readyz until it answers `status`; resolves with how long that took and the slowest answer seen. */
async function readyzUntil(base: string, status: number, timeoutMs = 10_000): Promise<{ afterMs: number; slowestMs: number }> {
  const started = Date.now();
  let slowestMs = 0;
  for (;;) {
    const t = Date.now();
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5000) });
    slowestMs = Math.max(slowestMs, Date.now() - t);
    if (res.status === status) return { afterMs: Date.now() - started, slowestMs };
    if (Date.now() - started > timeoutMs) throw new Error(`/readyz still ${res.status} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** A request whose dependency is down answers quickly, as a whole, with 503 + Retry-After and DEPENDENCY_DOWN. */
async function expectDependencyDown(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const started = Date.now();
  const res = await gql(url, query, variables, { token });
  const ms = Date.now() - started;
  expect({ status: res.status, retryAfter: res.headers.get('retry-after'), error: res.errors?.[0]?.extensions }).toEqual({
    status: 503,
    retryAfter: expect.stringMatching(/^\d+$/),
    error: { code: 'SERVICE_UNAVAILABLE', reason: 'DEPENDENCY_DOWN' },
  });
  expect(res.errors![0].message).not.toMatch(/ECONN|redis|mysql|knex/i);
  return ms;
}

describe('Redis goes away', () => {
  let redis: OwnServer;
  let api: TestApi;
  let base: string;
  beforeAll(async () => {
    redis = await startOwnRedis();
    api = await startTestApi({ REDIS_URL: redis.url });
    base = `http://127.0.0.1:${api.port}`;
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await api.stop();
    await redis.dispose();
  });

  it('readiness flips to 503 within a second, requests fail fast with 503 DEPENDENCY_DOWN, and both recover', async () => {
    const { token, postId } = await userWithPost(api.url);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    await redis.kill();
    const down = await readyzUntil(base, 503);
    expect(down.afterMs).toBeLessThan(1000);
    expect(down.slowestMs).toBeLessThan(500);
    const ms = await expectDependencyDown(api.url, VOTE, { t: postId }, token);
    expect(ms).toBeLessThan(2000);

    await redis.start();
    const up = await readyzUntil(base, 200);
    expect(up.afterMs).toBeLessThan(2000);
    expect((await gql(api.url, VOTE, { t: postId }, { token })).data).toEqual({ vote: { likeCount: 1 } });
  });
});

describe('MySQL goes away', () => {
  let mysql: OwnServer;
  let api: TestApi;
  let base: string;
  beforeAll(async () => {
    mysql = await startOwnMariadb();
    api = await startTestApi({ DATABASE_URL: `${mysql.url}/ww_dependency_test` });
    base = `http://127.0.0.1:${api.port}`;
  });
  afterAll(async () => {
    await mysql.start().catch(() => undefined);
    await api.stop();
    await mysql.dispose();
  });

  it('readiness flips to 503 within a second, requests fail fast with 503 DEPENDENCY_DOWN, and both recover', async () => {
    const { token } = await userWithPost(api.url);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    await mysql.kill();
    const down = await readyzUntil(base, 503);
    expect(down.afterMs).toBeLessThan(1000);
    expect(down.slowestMs).toBeLessThan(500);
    // Every pooled connection is dead now: the first requests find that out, later ones fail to connect.
    for (let i = 0; i < 3; i++) expect(await expectDependencyDown(api.url, ME, {}, token)).toBeLessThan(2000);

    await mysql.start();
    const up = await readyzUntil(base, 200);
    expect(up.afterMs).toBeLessThan(2000);
    expect((await gql(api.url, ME, {}, { token })).data.me).toMatchObject({ nickname: expect.any(String) });
  });
});

describe('outage logging', () => {
  it('logs one warn line per outage transition and dependency, and no error stack per failed request', async () => {
    const [redis, mysql] = await Promise.all([startOwnRedis(), startOwnMariadb()]);
    const api = await spawnProcess('api', { REDIS_URL: redis.url, DATABASE_URL: `${mysql.url}/ww_dependency_log` });
    try {
      const url = `${api.base}/graphql`;
      const { token, postId } = await userWithPost(url);
      const burst = (query: string, variables: Record<string, unknown>) =>
        Promise.all(Array.from({ length: 20 }, () => gql(url, query, variables, { token })));

      await redis.kill();
      await readyzUntil(api.base, 503);
      expect(new Set((await burst(VOTE, { t: postId })).map((r) => r.status))).toEqual(new Set([503]));
      await redis.start();
      await readyzUntil(api.base, 200);

      await mysql.kill();
      await readyzUntil(api.base, 503);
      expect(new Set((await burst(ME, {})).map((r) => r.status))).toEqual(new Set([503]));
      await mysql.start();
      await readyzUntil(api.base, 200);
      api.child.kill('SIGTERM'); // pino writes its buffered lines on the way out
      expect(await api.exited).toBe(0);

      const transitions = api.logs.filter((l) => l.level === 40 && l.dependency).map((l) => `${l.dependency} ${l.state}`);
      expect(transitions).toEqual(['redis down', 'redis up', 'mysql down', 'mysql up']);
      expect(api.logs.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await api.dispose();
      await Promise.all([redis.dispose(), mysql.dispose()]);
    }
  });
});
