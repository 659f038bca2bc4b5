import { Redis } from 'ioredis';
import { integrityDefinitions, outageDefinitions, outageDrill, recordIntegrity, recordOutage } from './support/drill';
import { Figures } from './support/figures';
import { GqlClient } from './support/http';
import { acceptsIdempotencyKeys, writeRequest, type Op } from './support/load';
import { startStack, type Stack } from './support/stack';
import { createPosts, signUpUsers, type User } from './support/world';

const figures = new Figures('mariadb-restart', {
  ...integrityDefinitions(),
  ...outageDefinitions('MariaDB'),
  idempotencyKeys: { label: 'idempotencyKey accepted by createPost and addComment', rule: { eq: true } },
  retried: { label: 'failed createPost/addComment retried after recovery' },
});

describe('MariaDB SIGKILL and restart under vote, comment and post load', () => {
  let stack: Stack;
  let client: GqlClient;
  let redis: Redis;

  beforeAll(async () => {
    stack = await startStack('mariadb-restart');
    const api = stack.apis[0]!;
    client = new GqlClient(api.url);
    const users = await signUpUsers(client, 24);
    const posts = await createPosts(client, users[0]!, 10);
    redis = new Redis(stack.redis.url, { lazyConnect: true });
    await redis.connect();
    const keyed = await acceptsIdempotencyKeys(client, users[1]!);
    figures.set('idempotencyKeys', keyed);

    const drill = await outageDrill(
      api,
      client,
      {
        clients: [client],
        users: users.slice(1, 21),
        posts,
        mix: { vote: 3, comment: 1, post: 1 },
        idempotencyKeys: keyed,
        prober: users[21]!,
      },
      {
        kill: () => stack.db.stop('SIGKILL'),
        restart: async () => {
          await stack.db.restart();
          return stack.db.readyAt;
        },
        outageMs: 3000,
      },
    );
    recordOutage(figures, api, drill);

    // A client retries what failed. With idempotency keys the retry answers the first result; without them, a write
    // that failed after its commit is stored twice (the duplicates figure).
    const retries = await retryFailed(client, drill.ops, users, keyed);
    figures.set('retried', retries.length, keyed ? 'with their idempotency keys' : 'without keys: the API takes none');
    await recordIntegrity(figures, stack, redis, client, [...drill.ops, ...retries], users, posts);
  }, 240_000);

  afterAll(async () => {
    redis?.disconnect();
    client?.close();
    await stack?.stop();
  });

  figures.defineTests();
});

async function retryFailed(client: GqlClient, ops: Op[], users: User[], keyed: boolean): Promise<Op[]> {
  const byToken = new Map<string, Op[]>();
  for (const op of ops.filter((o) => o.kind === 'comment' || o.kind === 'post'))
    byToken.set(op.token!, [...(byToken.get(op.token!) ?? []), op]);
  const failed = [...byToken.values()].filter((attempts) => !attempts.some((a) => a.ok)).map((attempts) => attempts[0]!);
  return Promise.all(
    failed.map(async (first) => {
      const request = writeRequest(first.kind, first.token!, first.target, undefined, keyed);
      const outcome = await client.request(request.query, request.variables, users[first.user]!.token);
      const resultId = outcome.data?.addComment?.id ?? outcome.data?.createPost?.id;
      return { ...first, ...outcome, attempt: 2, resultId };
    }),
  );
}
