import { Redis } from 'ioredis';
import { sleep, waitFor } from '../infra/processes';
import { integrityDefinitions, recordIntegrity } from './support/drill';
import { Figures } from './support/figures';
import { GqlClient } from './support/http';
import { Load } from './support/load';
import { REDIS_PREFIX, startStack, type Stack } from './support/stack';
import { createPosts, signUpUsers } from './support/world';

const figures = new Figures('worker-kill', {
  ...integrityDefinitions(),
  resumedAfter: { label: "a killed worker's jobs finished by another after", rule: { lt: 15_000, unit: 'ms' } },
  activeAtKill: { label: 'notification jobs running when the worker died' },
  replacementReady: { label: 'replacement worker ready after (ms)' },
});

const BURST = 1500;

describe('worker SIGKILL in the middle of a burst of notifications', () => {
  let stack: Stack;
  let client: GqlClient;
  let redis: Redis;

  beforeAll(async () => {
    stack = await startStack('worker-kill');
    client = new GqlClient(stack.apis[0]!.url);
    const users = await signUpUsers(client, 40);
    const posts = await createPosts(client, users[0]!, 5);
    redis = new Redis(stack.redis.url, { lazyConnect: true });
    await redis.connect();

    // Comments on the author's posts: each must notify the author exactly once.
    const load = new Load({ clients: [client], users: users.slice(1), posts, mix: { comment: 1 } }).start();
    const acked = () => load.ops.filter((o) => o.ok).length;
    await waitFor('a third of the burst', () => acked() >= BURST / 3, { timeoutMs: 60_000, intervalMs: 20 });
    // Kill while the worker holds notification jobs, so some are left locked by a dead process.
    const activeKey = `${REDIS_PREFIX}bull:notifications:active`;
    const stranded = await waitFor(
      'a running notification job',
      async () => {
        const ids = await redis.lrange(activeKey, 0, -1);
        return ids.length > 0 && ids;
      },
      { timeoutMs: 10_000, intervalMs: 2 },
    );
    const killedAt = Date.now();
    stack.workers[0]!.signal('SIGKILL');
    figures.set('activeAtKill', stranded.length);
    await stack.workers[0]!.exited;
    await stack.startWorker();
    figures.set('replacementReady', Date.now() - killedAt);

    await waitFor('the rest of the burst', () => acked() >= BURST, { timeoutMs: 60_000, intervalMs: 50 });
    await load.stop();

    // A stranded job is done once its hash is gone (removeOnComplete) or records when it finished.
    const finished = async (id: string) => {
      const [exists, finishedOn] = await Promise.all([
        redis.exists(`${REDIS_PREFIX}bull:notifications:${id}`),
        redis.hget(`${REDIS_PREFIX}bull:notifications:${id}`, 'finishedOn'),
      ]);
      return exists === 0 || finishedOn !== null;
    };
    let resumedAt: number | null = null;
    while (Date.now() - killedAt < 75_000) {
      if ((await Promise.all(stranded.map(finished))).every(Boolean)) {
        resumedAt = Date.now();
        break;
      }
      await sleep(250);
    }
    figures.set(
      'resumedAfter',
      resumedAt === null ? null : resumedAt - killedAt,
      resumedAt === null ? `still unfinished 75 s after the kill` : `${stranded.length} jobs`,
    );
    await recordIntegrity(figures, stack, redis, client, load.ops, users, posts, { notificationsTimeoutMs: 20_000 });
  }, 240_000);

  afterAll(async () => {
    redis?.disconnect();
    client?.close();
    await stack?.stop();
  });

  figures.defineTests();
});
