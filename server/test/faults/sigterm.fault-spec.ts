import { Redis } from 'ioredis';
import { sleep, waitFor } from '../infra/processes';
import type { AppProcess } from './support/app-process';
import { integrityDefinitions, recordIntegrity } from './support/drill';
import { Figures } from './support/figures';
import { GqlClient, probe, RESET_ERRORS, type Outcome } from './support/http';
import { every, Load, type Op } from './support/load';
import { startStack, type Stack } from './support/stack';
import { startSubscriber, type Subscriber } from './support/subscribers';
import { createPosts, signUpUsers } from './support/world';

const figures = new Figures('sigterm', {
  ...integrityDefinitions(),
  idleExit: { label: 'idle API: exit code', rule: { eq: 0 } },
  idleTime: { label: 'idle API: SIGTERM to exit', rule: { lt: 10_000, unit: 'ms' } },
  workerExit: { label: 'worker under load: exit code', rule: { eq: 0 } },
  workerTime: { label: 'worker under load: SIGTERM to exit', rule: { lt: 10_000, unit: 'ms' } },
  apiExit: { label: 'API under load: exit code', rule: { eq: 0 } },
  apiTime: { label: 'API under load: SIGTERM to exit', rule: { lt: 10_000, unit: 'ms' } },
  reset: { label: 'API under load: requests reset or left unanswered', rule: { eq: 0 } },
  readyAfterTerm: { label: 'API under load: /readyz 200 after SIGTERM', rule: { eq: 0 } },
  badCloses: { label: 'API under load: sockets not closed with 1001/1012', rule: { eq: 0 } },
  inFlight: { label: 'requests in flight at SIGTERM that completed' },
});

const RESTART_CODES = new Set([1001, 1012]);

/** SIGTERM, then the exit: code (or signal) and how long it took; SIGKILL after 15 s so the run goes on. */
async function terminate(app: AppProcess): Promise<{ code: number | string | null; ms: number; at: number }> {
  const at = Date.now();
  const exit = await app.stop(15_000);
  return { code: exit.code ?? exit.signal, ms: exit.at - at, at };
}

describe('SIGTERM: idle, and under load with subscribers', () => {
  let stack: Stack;
  let client: GqlClient;
  let redis: Redis;
  let subscribers: Subscriber[] = [];

  beforeAll(async () => {
    // api-1 takes the load, another is stopped while idle, the third serves the checks at the end.
    stack = await startStack('sigterm', { apis: 3 });
    const [api, idleApi, checker] = stack.apis as [AppProcess, AppProcess, AppProcess];
    client = new GqlClient(api.url);
    const users = await signUpUsers(client, 22);
    const posts = await createPosts(client, users[0]!, 5);
    redis = new Redis(stack.redis.url, { lazyConnect: true });
    await redis.connect();
    const ops: Op[] = [];

    // The idle API gets no traffic, so it stops while the worker is tested.
    const idleStopped = terminate(idleApi);

    // The worker, while comments keep enqueueing notifications; a replacement starts first (a rolling deploy).
    const comments = new Load({ clients: [client], users: users.slice(1, 21), posts, mix: { comment: 1 } }).start();
    await sleep(2000);
    await stack.startWorker();
    const worker = await terminate(stack.workers[0]!);
    figures.set('workerExit', worker.code);
    figures.set('workerTime', worker.ms);
    await comments.stop();
    ops.push(...comments.ops);
    const idle = await idleStopped;
    figures.set('idleExit', idle.code);
    figures.set('idleTime', idle.ms);

    // The API, with requests in flight, WebSocket subscribers and a readiness prober.
    subscribers = users.slice(1, 21).map((u) =>
      startSubscriber(
        [api.url],
        [{ query: 'subscription($t: ID!) { voteCountsChanged(targetId: $t) { likeCount } }', variables: { t: posts[0]!.id } }],
        {
          token: u.token,
        },
      ),
    );
    await waitFor('every subscriber to connect', () => subscribers.every((s) => s.connects.length > 0), { timeoutMs: 20_000 });
    const load = new Load({
      clients: [client],
      users: users.slice(1, 21),
      posts,
      mix: { vote: 3, comment: 1 },
      pauseAfterFailureMs: 100,
    }).start();
    const ready: Outcome[] = [];
    const readyProbe = every(50, async () => ready.push(await probe(`${api.base}/readyz`)));
    await sleep(3000);
    const term = await terminate(api);
    await Promise.all([load.stop(), readyProbe.stop()]);
    ops.push(...load.ops);
    figures.set('apiExit', term.code);
    figures.set('apiTime', term.ms);

    const dropped = load.ops.filter((o) => o.error && (RESET_ERRORS.has(o.error) || o.error === 'TIMEOUT'));
    figures.set('reset', dropped.length, dropped.length ? kinds(dropped.map((o) => o.error!)) : undefined);
    figures.set('inFlight', load.ops.filter((o) => o.start < term.at && o.end > term.at && o.ok).length);
    const readyLate = ready.filter((r) => r.start >= term.at + 50 && r.status === 200);
    figures.set('readyAfterTerm', readyLate.length);
    const closes = subscribers.map((s) => s.closes.find((c) => c.at >= term.at)?.code ?? 'open');
    const bad = closes.filter((c) => !RESTART_CODES.has(c as number));
    figures.set('badCloses', bad.length, bad.length ? `close codes ${kinds(closes.map(String))}` : undefined);

    const checkClient = new GqlClient(checker.url);
    try {
      await recordIntegrity(figures, stack, redis, checkClient, ops, users, posts);
    } finally {
      checkClient.close();
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.dispose().catch(() => undefined)));
    redis?.disconnect();
    client?.close();
    await stack?.stop();
  });

  figures.defineTests();
});

function kinds(values: string[]): string {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return JSON.stringify(counts);
}
