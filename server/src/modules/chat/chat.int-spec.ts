import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { codeOf } from '../../../test/graphql';
import { subscribe, wsClient } from '../../../test/ws-client';
import { parseGlobalId } from '../../app/graphql/global-id';
import { Province } from '../geo/province';

const SEND = `mutation($r: ID!, $b: String!, $c: String) { sendMessage(roomId: $r, body: $b, clientMessageId: $c) { id roomId body seq clientMessageId author { nickname } } }`;
const PAGE = `query($id: ID!, $first: Int, $before: String) { chatRoom(id: $id) { status messages(first: $first, before: $before) { edges { node { seq body } } pageInfo { hasNextPage endCursor } } } }`;

const card = {
  updatedAt: new Date().toISOString(),
  alerts: [{ kind: 'HEAVY_RAIN', level: 'WARNING', zones: ['서울동북권'], issuedAt: new Date().toISOString(), startsAt: null }],
};

async function openRoom(api: TestApi, province = Province.SEOUL): Promise<string> {
  await api.modules.chat.chat.syncRooms(new Map([[province, card]]), new Date());
  const rooms = (await api.gqlOk('query($p: Province) { chatRooms(province: $p) { id } }', { p: province })).chatRooms;
  return rooms[0].id;
}

describe('province chat', () => {
  let api: TestApi;
  let fast: TestApi; // a second instance with a high rate limit, for volume tests
  beforeAll(async () => {
    [api, fast] = await Promise.all([startTestApi(), startTestApi({ CHAT_RATE_LIMIT_MESSAGES: '100000' })]);
  });
  afterAll(() => Promise.all([api.stop(), fast.stop()]));
  let room: string;
  beforeEach(async () => {
    await api.reset();
    room = await openRoom(api);
  });

  it('sends, trims and delivers live with seq increasing by one', async () => {
    const { user, token } = await createUser(api);
    const client = wsClient(api.url, token);
    const sub = await subscribe(client, 'subscription($r: ID!) { chatMessageAdded(roomId: $r) { roomId body seq author { nickname } } }', {
      r: room,
    });
    const a = (await api.gqlOk(SEND, { r: room, b: '  안녕하세요  ' }, token)).sendMessage;
    const b = (await api.gqlOk(SEND, { r: room, b: 'second' }, token)).sendMessage;
    expect(a).toMatchObject({ roomId: room, body: '안녕하세요', seq: 1, author: { nickname: user.nickname } });
    expect(b.seq).toBe(2);
    expect(await sub.nth(2)).toEqual({ chatMessageAdded: { roomId: room, body: 'second', seq: 2, author: { nickname: user.nickname } } });
    expect(sub.events[0]).toMatchObject({ chatMessageAdded: { seq: 1 } });
    sub.close();
    await client.dispose();
  });

  it('requires sign-in and 1 to 1,000 characters after trimming', async () => {
    const { token } = await createUser(api);
    expect(codeOf(await api.gql(SEND, { r: room, b: 'hi' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(SEND, { r: room, b: '   ' }, token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(SEND, { r: room, b: 'x'.repeat(1001) }, token))).toBe('BAD_USER_INPUT');
    expect((await api.gqlOk(SEND, { r: room, b: ` ${'가'.repeat(1000)} ` }, token)).sendMessage.body).toHaveLength(1000);
    const both = await api.gql(SEND, { r: room, b: ' ', c: 'not ascii 가' }, token);
    expect(Object.keys(both.errors![0].extensions!.fields).sort()).toEqual(['body', 'clientMessageId']);
  });

  it('stores one message per clientMessageId, also for concurrent retries', async () => {
    const { token } = await createUser(api);
    const [x, y, z] = await Promise.all([1, 2, 3].map(() => api.gqlOk(SEND, { r: room, b: 'once', c: 'c-1' }, token)));
    expect(new Set([x, y, z].map((r: any) => r.sendMessage.id)).size).toBe(1);
    const again = (await api.gqlOk(SEND, { r: room, b: 'once', c: 'c-1' }, token)).sendMessage;
    expect(again).toMatchObject({ id: x.sendMessage.id, seq: 1, clientMessageId: 'c-1' });
    const page = (await api.gqlOk(PAGE, { id: room, first: 10 })).chatRoom.messages;
    expect(page.edges.map((e: any) => e.node.seq)).toEqual([1]);
  });

  it('gives concurrent senders gapless, unique seqs', async () => {
    const users = await Promise.all(Array.from({ length: 8 }, () => createUser(api)));
    const sends = users.flatMap(({ token }, u) =>
      Array.from({ length: 5 }, (_, i) => api.gqlOk(SEND, { r: room, b: `u${u} m${i}` }, token)),
    );
    const seqs = (await Promise.all(sends)).map((r: any) => r.sendMessage.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const page = (await api.gqlOk(PAGE, { id: room, first: 100 })).chatRoom.messages;
    expect(page.edges.map((e: any) => e.node.seq)).toEqual(Array.from({ length: 40 }, (_, i) => 40 - i));
  });

  it('rate-limits a user sending too fast', async () => {
    const { token } = await createUser(api);
    for (let i = 0; i < 5; i++) await api.gqlOk(SEND, { r: room, b: `m${i}` }, token);
    const res = await api.gql(SEND, { r: room, b: 'too many' }, token);
    expect(codeOf(res)).toBe('RATE_LIMITED');
    expect(res.errors![0].extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // another user is not affected
    const other = await createUser(api);
    expect((await api.gqlOk(SEND, { r: room, b: 'fine' }, other.token)).sendMessage.seq).toBe(6);
  });

  it('archived rooms are readable but refuse messages with FORBIDDEN', async () => {
    const { token } = await createUser(api);
    await api.gqlOk(SEND, { r: room, b: 'before' }, token);
    const synced = await api.modules.chat.chat.syncRooms(new Map(), new Date(Date.now() + 25 * 3600_000));
    expect(synced.archived).toEqual([Province.SEOUL]);
    expect(codeOf(await api.gql(SEND, { r: room, b: 'after' }, token))).toBe('FORBIDDEN');
    const r = (await api.gqlOk(PAGE, { id: room, first: 5 })).chatRoom;
    expect(r.status).toBe('ARCHIVED');
    expect(r.messages.edges.map((e: any) => e.node.body)).toEqual(['before']);
  });

  it('pages newest first past the cached 100 and rebuilds the Redis list when it is lost', async () => {
    const { token } = await createUser(fast);
    for (let i = 1; i <= 130; i++) await fast.gqlOk(SEND, { r: room, b: `m${i}` }, token);
    const redis = api.infra.redis.client;
    const { id: roomId } = parseGlobalId(room, 'ChatRoom');
    const key = `chat:room:${roomId}:messages`;
    expect(await redis.llen(key)).toBe(100);

    const readAll = async () => {
      const seqs: number[] = [];
      let before: string | null = null;
      for (;;) {
        const page: any = (await api.gqlOk(PAGE, { id: room, first: 45, before })).chatRoom.messages;
        seqs.push(...page.edges.map((e: any) => e.node.seq));
        if (!page.pageInfo.hasNextPage) break;
        before = page.pageInfo.endCursor;
      }
      return seqs;
    };
    const expected = Array.from({ length: 130 }, (_, i) => 130 - i);
    expect(await readAll()).toEqual(expected);
    expect(codeOf(await api.gql(PAGE, { id: room, first: 101 }))).toBe('BAD_USER_INPUT');

    await redis.del(key);
    expect(await readAll()).toEqual(expected);
    expect(await redis.llen(key)).toBe(100);
    const cached = (await redis.lrange(key, 0, -1)).map((s) => JSON.parse(s).seq);
    expect(cached).toEqual(expected.slice(0, 100));

    // a hole in the list (a failed push) is detected and repaired too
    await redis.lrem(key, 1, (await redis.lindex(key, 3))!);
    expect((await api.gqlOk(PAGE, { id: room, first: 10 })).chatRoom.messages.edges.map((e: any) => e.node.seq)).toEqual(
      expected.slice(0, 10),
    );
    expect(await redis.llen(key)).toBe(100);
  });

  it('delivers across API instances: subscriber on one, sender on the other', async () => {
    const { token } = await createUser(api);
    const client = wsClient(api.url, token);
    const sub = await subscribe(client, 'subscription($r: ID!) { chatMessageAdded(roomId: $r) { body seq } }', { r: room });
    const other = await openRoom(api, Province.BUSAN);
    await fast.gqlOk(SEND, { r: other, b: 'elsewhere' }, token);
    await fast.gqlOk(SEND, { r: room, b: 'from B' }, token);
    expect(await sub.nth(1)).toEqual({ chatMessageAdded: { body: 'from B', seq: 1 } });
    expect(sub.events).toHaveLength(1);
    sub.close();
    await client.dispose();
  });

  describe('resuming after a reconnect', () => {
    const SUB = 'subscription($r: ID!, $after: Int) { chatMessageAdded(roomId: $r, afterSeq: $after) { seq body } }';
    const seqs = (events: any[]) => events.map((e) => e.chatMessageAdded.seq);

    it('replays exactly the messages sent in between, in order, then goes live on another instance', async () => {
      const { token } = await createUser(api);
      const first = wsClient(fast.url, token);
      const before = await subscribe(first, SUB, { r: room });
      for (let i = 1; i <= 3; i++) await fast.gqlOk(SEND, { r: room, b: `m${i}` }, token);
      await before.nth(3);
      before.close();
      await first.dispose();
      for (let i = 4; i <= 8; i++) await fast.gqlOk(SEND, { r: room, b: `m${i}` }, token);

      const second = wsClient(api.url, token);
      const after = await subscribe(second, SUB, { r: room, after: 3 });
      await after.nth(5);
      await fast.gqlOk(SEND, { r: room, b: 'm9' }, token);
      await after.nth(6);
      await new Promise((r) => setTimeout(r, 300)); // a duplicate would show now
      expect(seqs(after.events)).toEqual([4, 5, 6, 7, 8, 9]);
      after.close();
      await second.dispose();
    });

    it('replays from MySQL what the Redis list of 100 no longer holds', async () => {
      const { token } = await createUser(fast);
      await Promise.all(Array.from({ length: 150 }, (_, i) => fast.gqlOk(SEND, { r: room, b: `n${i}` }, token)));
      const client = wsClient(api.url, token);
      const sub = await subscribe(client, SUB, { r: room, after: 10 });
      await sub.nth(140);
      expect(seqs(sub.events)).toEqual(Array.from({ length: 140 }, (_, i) => 11 + i));
      sub.close();
      await client.dispose();
    });

    it('fills a gap from MySQL when a live message skips ahead (a publish that never arrived)', async () => {
      const { user, token } = await createUser(api);
      const client = wsClient(api.url, token);
      const sub = await subscribe(client, SUB, { r: room });
      await api.gqlOk(SEND, { r: room, b: 'one' }, token);
      await sub.nth(1);
      // Seq 2 is stored but never published, as when the sender lost Redis after its commit.
      const id = parseGlobalId(room, 'ChatRoom').id;
      const knex = api.infra.orm.em.getConnection().getKnex();
      await knex('chat_messages').insert({ room_id: id, seq: 2, author_id: user.id, body: 'unpublished', created_at: new Date() });
      await knex('chat_rooms').where({ id }).update({ last_seq: 2 });
      await api.gqlOk(SEND, { r: room, b: 'three' }, token);
      await sub.nth(3);
      expect(sub.events.map((e: any) => [e.chatMessageAdded.seq, e.chatMessageAdded.body])).toEqual([
        [1, 'one'],
        [2, 'unpublished'],
        [3, 'three'],
      ]);
      sub.close();
      await client.dispose();
    });

    it('tells a client from another history of the room to reload: CONFLICT RESUME_GAP', async () => {
      const { token } = await createUser(api);
      await api.gqlOk(SEND, { r: room, b: 'only one' }, token);
      // A client that saw seq 40 of a history this room no longer has (restored database, recreated room).
      const client = wsClient(api.url, token);
      const sub = await subscribe(client, SUB, { r: room, after: 40 });
      const errors = (await sub.error.catch((e: unknown) => e)) as { extensions?: Record<string, unknown> }[];
      expect(errors[0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'RESUME_GAP' });
      await client.dispose();
    });
  });

  it('counts the people in a room across instances as they join and leave', async () => {
    const { token } = await createUser(api);
    const PRESENCE = 'subscription($r: ID!) { roomPresenceChanged(roomId: $r) { roomId presentCount } }';
    const COUNT = 'query($r: ID!) { chatRoom(id: $r) { presentCount } }';
    const watcher = wsClient(api.url, token);
    const counts = await subscribe(watcher, PRESENCE, { r: room });
    const join = async (target: TestApi) => {
      const client = wsClient(target.url, token);
      const sub = await subscribe(client, 'subscription($r: ID!) { chatMessageAdded(roomId: $r) { seq } }', { r: room });
      return { leave: async () => (sub.close(), await client.dispose()) };
    };
    // The latest count, once it reads `n` (earlier events of a ramp may pass through it).
    const settles = async (n: number) => {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        if (counts.events.at(-1)?.roomPresenceChanged.presentCount === n) return;
      }
      throw new Error(`presence did not settle at ${n}: ${JSON.stringify(counts.events)}`);
    };
    const people = [...(await Promise.all([1, 2, 3].map(() => join(api)))), ...(await Promise.all([1, 2].map(() => join(fast))))];
    await settles(5);
    expect((await fast.gqlOk(COUNT, { r: room })).chatRoom.presentCount).toBe(5);
    await people[0]!.leave();
    await people[4]!.leave();
    await settles(3);
    expect((await api.gqlOk(COUNT, { r: room })).chatRoom.presentCount).toBe(3);
    expect(counts.events[0]).toEqual({ roomPresenceChanged: { roomId: room, presentCount: 0 } });
    await Promise.all(people.slice(1, 4).map((p) => p.leave()));
    await settles(0);
    counts.close();
    await watcher.dispose();
  });
});
