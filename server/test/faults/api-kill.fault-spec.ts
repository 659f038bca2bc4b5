import { Redis } from 'ioredis';
import { sleep, waitFor } from '../infra/processes';
import { integrityDefinitions, recordIntegrity } from './support/drill';
import { Figures } from './support/figures';
import { GqlClient } from './support/http';
import { acceptsIdempotencyKeys, Load } from './support/load';
import { startStack, type Stack } from './support/stack';
import { startSubscriber, type Subscriber } from './support/subscribers';
import { chatSeqGaps } from './support/verify';
import { createPosts, openChatRoom, signUpUsers, uniqueToken, type User } from './support/world';

const figures = new Figures('api-kill', {
  ...integrityDefinitions(),
  reconnected: { label: 'subscribers connected to the other API after', rule: { lt: 2000, unit: 'ms' } },
  missedAfter: { label: 'subscribers that missed an event sent after the failover', rule: { eq: 0 } },
  survivorFailed: { label: 'requests the surviving API failed', rule: { eq: 0 } },
  seqGaps: { label: 'gaps in the chat room seq', rule: { eq: 0 } },
  subscribers: { label: 'subscribers on the killed API' },
});

const VOTES = 'subscription($t: ID!) { voteCountsChanged(targetId: $t) { targetId likeCount dislikeCount } }';
const CHAT = 'subscription($r: ID!) { chatMessageAdded(roomId: $r) { body seq } }';
const NOTIFICATIONS = 'subscription { notificationAdded { id kind } }';

describe('API SIGKILL with subscribers, a second API serving on', () => {
  let stack: Stack;
  let clients: GqlClient[] = [];
  let redis: Redis;
  let subscribers: Subscriber[] = [];

  beforeAll(async () => {
    stack = await startStack('api-kill', { apis: 2 });
    const [a, b] = stack.apis as [(typeof stack.apis)[0], (typeof stack.apis)[0]];
    clients = [new GqlClient(a.url), new GqlClient(b.url)];
    const users = await signUpUsers(clients[1]!, 32);
    const author = users[0]!;
    const posts = await createPosts(clients[1]!, author, 5);
    const conn = await stack.mysql();
    const room = await openChatRoom(conn);
    await conn.end();
    redis = new Redis(stack.redis.url, { lazyConnect: true });
    await redis.connect();
    const keyed = await acceptsIdempotencyKeys(clients[1]!, users[1]!);

    // Everyone starts on A; a closed socket reconnects to the next API.
    const urls = [a.url, b.url];
    const watched = posts[0]!.id;
    subscribers = users.slice(1, 31).map((u) =>
      startSubscriber(
        urls,
        [
          { query: VOTES, variables: { t: watched } },
          { query: CHAT, variables: { r: room.id } },
        ],
        {
          token: u.token,
          reconnect: true,
        },
      ),
    );
    subscribers.push(startSubscriber(urls, [{ query: NOTIFICATIONS }], { token: author.token, reconnect: true }));
    await waitFor('every subscriber to connect', () => subscribers.every((s) => s.connects.length > 0), { timeoutMs: 20_000 });
    figures.set('subscribers', subscribers.length);
    await sleep(500);

    // Users alternate between A and B and retry on the other API; votes and chat messages (clientMessageId) are safe to
    // retry, comments only with an idempotency key.
    const load = new Load({
      clients,
      users: users.slice(1, 21),
      posts,
      roomId: room.id,
      mix: { vote: 2, comment: 1, chat: 1 },
      idempotencyKeys: keyed,
      attempts: { vote: 3, chat: 3, comment: keyed ? 3 : 1 },
    }).start();
    await sleep(3000);
    const killedAt = Date.now();
    a.signal('SIGKILL');
    await a.exited;
    await sleep(5000);
    await load.stop();

    const back = subscribers.map((s) => s.connects.find((t) => t > killedAt));
    const reconnectedAfter = back.every((t) => t !== undefined) ? Math.max(...(back as number[])) - killedAt : null;
    figures.set(
      'reconnected',
      reconnectedAfter,
      reconnectedAfter === null ? `${back.filter((t) => t === undefined).length} never did` : undefined,
    );
    const survivorFailures = load.ops.filter((o) => o.via === 1 && !o.ok);
    figures.set(
      'survivorFailed',
      survivorFailures.length,
      survivorFailures[0] ? `first: ${survivorFailures[0].status} ${survivorFailures[0].code ?? survivorFailures[0].error}` : undefined,
    );

    figures.set('missedAfter', await missedAfterFailover(clients[1]!, subscribers.slice(0, 30), users[31]!, watched, room.id));

    await recordIntegrity(figures, stack, redis, clients[1]!, load.ops, users, posts);
    const check = await stack.mysql();
    try {
      figures.set('seqGaps', await chatSeqGaps(check, room.dbId));
    } finally {
      await check.end();
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.dispose().catch(() => undefined)));
    redis?.disconnect();
    clients.forEach((c) => c.close());
    await stack?.stop();
  });

  figures.defineTests();
});

/** One vote and one chat message through the surviving API: every reconnected subscriber must see both. */
async function missedAfterFailover(
  client: GqlClient,
  subscribers: Subscriber[],
  voter: User,
  postId: string,
  roomId: string,
): Promise<number> {
  const from = Date.now();
  const vote = await client.ok(
    'mutation($t: ID!) { vote(targetId: $t, value: LIKE) { likeCount dislikeCount } }',
    { t: postId },
    voter.token,
  );
  const body = uniqueToken('chat');
  await client.ok(
    'mutation($r: ID!, $b: String!, $c: String) { sendMessage(roomId: $r, body: $b, clientMessageId: $c) { seq } }',
    { r: roomId, b: body, c: body },
    voter.token,
  );
  const sawBoth = (s: Subscriber) => {
    const after = s.events.filter((e) => e.at >= from);
    const votes = after.some((e) => e.data?.voteCountsChanged?.likeCount === vote.vote.likeCount);
    const chat = after.some((e) => e.data?.chatMessageAdded?.body === body);
    return votes && chat;
  };
  await waitFor('the events after the failover', () => subscribers.every(sawBoth), { timeoutMs: 3000 }).catch(() => undefined);
  return subscribers.filter((s) => !sawBoth(s)).length;
}
