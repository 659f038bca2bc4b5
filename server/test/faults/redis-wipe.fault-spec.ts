import { Redis } from 'ioredis';
import { sleep, waitFor } from '../infra/processes';
import { integrityDefinitions, outageDefinitions, outageDrill, recordIntegrity, recordOutage } from './support/drill';
import { Figures } from './support/figures';
import { GqlClient } from './support/http';
import { REDIS_PREFIX, startStack, type Stack } from './support/stack';
import { jobSchedulers } from './support/verify';
import { createPosts, signUpUsers, type Post, type User } from './support/world';

const figures = new Figures('redis-wipe', {
  ...integrityDefinitions(),
  ...outageDefinitions('Redis'),
  schedulesMissing: { label: 'job schedulers missing 10 s after the wipe', rule: { eq: 0 } },
  workerAlive: { label: 'serverStatus.worker.alive within 10 s of the wipe', rule: { eq: true } },
  views: { label: 'views reach MySQL after the wipe', rule: { eq: true } },
});

describe('Redis SIGKILL and empty restart under vote and comment load', () => {
  let stack: Stack;
  let client: GqlClient;
  let redis: Redis;

  beforeAll(async () => {
    stack = await startStack('redis-wipe');
    const api = stack.apis[0]!;
    client = new GqlClient(api.url);
    const users = await signUpUsers(client, 24);
    const posts = await createPosts(client, users[0]!, 10);
    redis = new Redis(stack.redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100, lazyConnect: true });
    await redis.connect();
    await waitFor('the worker heartbeat', () => workerAlive(client), { timeoutMs: 15_000, intervalMs: 200 });
    const schedulersBefore = await jobSchedulers(redis, REDIS_PREFIX);

    const drill = await outageDrill(
      api,
      client,
      { clients: [client], users: users.slice(1, 21), posts, mix: { vote: 3, comment: 1 }, prober: users[21]! },
      {
        kill: () => stack.redis.stop('SIGKILL'),
        restart: async () => {
          await stack.redis.restart({ empty: true });
          return stack.redis.readyAt;
        },
        outageMs: 3000,
      },
    );
    recordOutage(figures, api, drill);
    await checkSchedules(stack, client, redis, schedulersBefore, users.slice(21, 24), posts[0]!);
    await recordIntegrity(figures, stack, redis, client, drill.ops, users, posts);
  }, 240_000);

  afterAll(async () => {
    redis?.disconnect();
    client?.close();
    await stack?.stop();
  });

  figures.defineTests();
});

async function workerAlive(client: GqlClient): Promise<boolean> {
  const result = await client.request('{ serverStatus { worker { alive } } }');
  return result.data?.serverStatus?.worker?.alive === true;
}

/** After the wipe: the worker's schedulers come back, its heartbeat shows it alive, and views reach MySQL again. */
async function checkSchedules(stack: Stack, client: GqlClient, redis: Redis, before: string[], viewers: User[], post: Post) {
  const wipedAt = stack.redis.readyAt;
  let missing = before;
  while (Date.now() - wipedAt < 10_000) {
    const now = new Set(await jobSchedulers(redis, REDIS_PREFIX).catch(() => [] as string[]));
    missing = before.filter((s) => !now.has(s));
    if (!missing.length) break;
    await sleep(250);
  }
  figures.set(
    'schedulesMissing',
    missing.length,
    missing.length ? `of ${before.length}: ${missing.join(', ')}` : `${before.length} present`,
  );

  let alive = false;
  while (!alive && Date.now() - wipedAt < 10_000) {
    alive = await workerAlive(client).catch(() => false);
    if (!alive) await sleep(250);
  }
  figures.set('workerAlive', alive);

  const conn = await stack.mysql();
  try {
    const viewsOf = async () => {
      const [rows] = await conn.query('select view_count from posts where id = ?', [post.dbId]);
      return Number((rows as { view_count: number }[])[0]!.view_count);
    };
    const before = await viewsOf();
    // A view counts once per user per hour: users who have not looked at the post yet.
    for (const viewer of viewers) await client.request('query($id: ID!) { post(id: $id) { id } }', { id: post.id }, viewer.token);
    const deadline = Date.now() + 5000;
    let stored = before;
    while (stored < before + viewers.length && Date.now() < deadline) {
      await sleep(250);
      stored = await viewsOf();
    }
    figures.set('views', stored >= before + viewers.length, `MySQL view_count ${before} → ${stored} 5 s after ${viewers.length} views`);
  } finally {
    await conn.end();
  }
}
