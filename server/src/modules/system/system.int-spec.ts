import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { codeOf, gql } from '../../../test/graphql';
import { createUser } from '../../../test/factories/user.factory';
import { testConfig } from '../../../test/test-config';
import { subscribe, wsClient } from '../../../test/ws-client';
import { QueueName } from '../../app/queue/queues';
import { startWorker } from '../../main.worker';

describe('API platform over real HTTP, WebSocket, MySQL and Redis', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.stop());

  it('answers health and readiness probes', async () => {
    const base = api.url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('reports server status and echoes a request id', async () => {
    const res = await gql(api.url, '{ serverStatus { version database redis instanceId queues { name } } }', undefined, {
      headers: { 'x-request-id': 'test-request-0001' },
    });
    expect(res.data.serverStatus).toMatchObject({ database: true, redis: true });
    expect(res.data.serverStatus.queues).toEqual(expect.arrayContaining([{ name: 'system' }]));
    expect(res.headers.get('x-request-id')).toBe('test-request-0001');
  });

  it('maps validation errors to BAD_USER_INPUT with fields', async () => {
    const res = await api.gql('mutation($m: String!) { ping(message: $m) }', { m: 'x'.repeat(201) });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.fields).toEqual({ message: ['must be at most 200 characters'] });
  });

  it('rejects malformed and abusive queries as BAD_USER_INPUT', async () => {
    expect(codeOf(await api.gql('{ serverStatus { nope } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql('{ serverStatus '))).toBe('BAD_USER_INPUT');
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: serverStatus { version }`).join(' ');
    expect(codeOf(await api.gql(`{ ${aliases} }`))).toBe('BAD_USER_INPUT');
  });

  it('blocks CSRF-able GET requests without a preflight header', async () => {
    const res = await fetch(`${api.url}?query=${encodeURIComponent('{ me { id } }')}`);
    expect(res.status).toBe(400);
    const ok = await fetch(`${api.url}?query=${encodeURIComponent('{ me { id } }')}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(ok.status).toBe(200);
  });

  it('rejects a forged access token on HTTP with 401 UNAUTHENTICATED', async () => {
    const res = await gql(api.url, '{ me { id } }', undefined, { token: 'not.a.jwt' });
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });

  it('closes a socket with a bad token with 4401', async () => {
    const code = await new Promise<number>((resolve) => {
      const client = wsClient(api.url, 'bad-token', {
        on: { closed: (e) => resolve((e as { code: number }).code) },
        onNonLazyError: () => undefined,
      });
      client.subscribe({ query: 'subscription { pinged { message } }' }, { next() {}, error() {}, complete() {} });
    });
    expect(code).toBe(4401);
  });

  it('delivers a subscription event through Redis pub/sub', async () => {
    const client = wsClient(api.url);
    const sub = await subscribe(client, 'subscription { pinged { message instanceId } }');
    await api.gqlOk('mutation { ping(message: "hello") }');
    expect(await sub.nth(1)).toEqual({ pinged: { message: 'hello', instanceId: api.infra.instanceId } });
    sub.close();
    await client.dispose();
  });
});

describe('production mode', () => {
  it('turns introspection off', async () => {
    const api = await startTestApi({ NODE_ENV: 'production' });
    try {
      const res = await api.gql('{ __schema { queryType { name } } }');
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect((await api.gqlOk('{ __typename }')).__typename).toBe('Query');
    } finally {
      await api.stop();
    }
  });
});

describe('node(id)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.stop());

  it('fetches an object by its opaque global id, and null for unknown ids', async () => {
    const { user, token } = await createUser(api);
    const me = (await api.gqlOk('{ me { id nickname } }', undefined, token)).me;
    expect(me.nickname).toBe(user.nickname);
    expect(me.id).not.toBe(String(user.id));
    const node = (await api.gqlOk('query($id: ID!) { node(id: $id) { id ... on User { nickname } } }', { id: me.id })).node;
    expect(node).toEqual({ id: me.id, nickname: user.nickname });
    expect((await api.gqlOk('query($id: ID!) { node(id: $id) { id } }', { id: 'garbage' })).node).toBeNull();
  });
});

describe('scale-out', () => {
  it('a subscriber on instance A receives an event published by a mutation on instance B', async () => {
    const [a, b] = await Promise.all([startTestApi(), startTestApi()]);
    try {
      expect(a.port).not.toBe(b.port);
      const client = wsClient(a.url);
      const sub = await subscribe(client, 'subscription { pinged { message instanceId } }');
      await b.gqlOk('mutation { ping(message: "from B") }');
      expect(await sub.nth(1)).toEqual({ pinged: { message: 'from B', instanceId: b.infra.instanceId } });
      sub.close();
      await client.dispose();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('worker process', () => {
  it('runs the scheduled heartbeat job, visible through serverStatus', async () => {
    const api = await startTestApi({ HEARTBEAT_INTERVAL_SECONDS: '1' });
    const worker = await startWorker(testConfig({ HEARTBEAT_INTERVAL_SECONDS: '1' }));
    try {
      const deadline = Date.now() + 10_000;
      let status: any;
      do {
        await new Promise((r) => setTimeout(r, 200));
        status = (await api.gqlOk('{ serverStatus { worker { alive lastHeartbeatAt } } }')).serverStatus;
      } while (!status.worker.alive && Date.now() < deadline);
      expect(status.worker.alive).toBe(true);
      expect(Date.now() - Date.parse(status.worker.lastHeartbeatAt)).toBeLessThan(5000);
    } finally {
      await worker.stop();
      await api.stop();
    }
  });

  it('puts its job schedulers back after Redis loses its data, and the heartbeat returns', async () => {
    const overrides = { HEARTBEAT_INTERVAL_SECONDS: '1', SCHEDULES_RECONCILE_INTERVAL_MS: '300' };
    const api = await startTestApi(overrides);
    const worker = await startWorker(testConfig(overrides));
    const status = async () => (await api.gqlOk('{ serverStatus { worker { alive state } } }')).serverStatus.worker;
    const until = async (want: boolean) => {
      const deadline = Date.now() + 15_000;
      let s = await status();
      while (s.alive !== want && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        s = await status();
      }
      return s;
    };
    try {
      expect(await until(true)).toEqual({ alive: true, state: 'OK' });
      // What an empty restart or FLUSHALL does to this app: every key gone, the schedulers with them.
      await api.reset();
      expect(await status()).toEqual({ alive: false, state: 'DEGRADED' });
      expect(await until(true)).toEqual({ alive: true, state: 'OK' });
      const expected = ['heartbeat', 'notification-events-prune', 'outbox-prune'];
      const keys = async () => (await api.infra.queues.get(QueueName.SYSTEM).getJobSchedulers()).map((s) => s.key).sort();
      for (const deadline = Date.now() + 15_000; Date.now() < deadline && (await keys()).length < expected.length;) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await keys()).toEqual(expected);
    } finally {
      await worker.stop();
      await api.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM closes sockets with 1012 (service restart) and exits 0 within 10 s', async () => {
    const config = testConfig();
    const child = spawn(process.execPath, ['-r', join(__dirname, '../../../test/register-ts.js'), join(__dirname, '../../main.api.ts')], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: '0',
        LOG_LEVEL: 'info',
        DATABASE_URL: config.DATABASE_URL,
        REDIS_PREFIX: config.REDIS_PREFIX,
        JWT_SECRET: config.JWT_SECRET,
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /"port":(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error(`api exited early: ${stderr}`)));
    });
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    await new Promise((r) => socket.on('open', r));
    const closed = new Promise<number>((r) => socket.on('close', (code) => r(code)));
    const started = Date.now();
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await closed).toBe(1012);
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('admission at the HTTP door', () => {
  it('lets requests wait in order and answers 503 with Retry-After once the queue is full', async () => {
    const api = await startTestApi({ HTTP_MAX_ACTIVE: '1', HTTP_MAX_QUEUED: '1', HTTP_RELEASE_AFTER_MS: '60000' });
    try {
      // The first request is admitted and then held: its body has not arrived yet.
      const body = JSON.stringify({ query: '{ __typename }' });
      const held = request(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      const heldResponse = new Promise<{ status: number; text: string }>((resolve) => {
        held.on('response', (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        });
      });
      held.flushHeaders();
      await new Promise((r) => setTimeout(r, 100));
      const queued = gql(api.url, '{ __typename }');
      await new Promise((r) => setTimeout(r, 100));
      const refused = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
      held.end(body);
      expect(await heldResponse).toEqual({ status: 200, text: expect.stringContaining('"__typename":"Query"') });
      expect((await queued).data).toEqual({ __typename: 'Query' });
    } finally {
      await api.stop();
    }
  });
});
