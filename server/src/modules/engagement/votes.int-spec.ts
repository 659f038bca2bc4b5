import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { codeOf } from '../../../test/graphql';
import { subscribe, wsClient } from '../../../test/ws-client';
import { toGlobalId } from '../../app/graphql/global-id';

// Votes are generic over registered target types; these tests use a test-only type whose ids below 1000 exist.
const PROBE = 'Probe';
const probe = (id: number) => toGlobalId(PROBE, id);
const VOTE = 'mutation($t: ID!, $v: VoteValue!) { vote(targetId: $t, value: $v) { targetId likeCount dislikeCount myVote } }';
const VALUES = ['LIKE', 'DISLIKE', 'NONE'] as const;
const pick = () => VALUES[Math.floor(Math.random() * 3)];

describe('votes', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
    api.modules.engagement.targets.register(PROBE, {
      find: async (_ctx, id) => (id < 1000 ? { ownerId: null } : null),
      commentable: false,
    });
  });

  afterAll(async () => {
    await api.stop();
  });

  beforeEach(async () => {
    await api.reset();
  });

  const sql = <T = any>(query: string, params: unknown[] = []) => api.infra.orm.em.getConnection().execute(query, params) as Promise<T[]>;

  /** Counts recomputed from the vote rows themselves (the truth). */
  async function truth(id: number) {
    const [row] = await sql<{ l: number; d: number }>(
      "select coalesce(sum(value = 1), 0) as l, coalesce(sum(value = -1), 0) as d from votes where target_type = 'Probe' and target_id = ?",
      [id],
    );
    return { likeCount: Number(row.l), dislikeCount: Number(row.d) };
  }

  /** Drops every Redis key of this test run (what FLUSHALL does to this app, without touching other runs). */
  async function loseRedis() {
    const redis = api.infra.redis.publisher;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${api.config.REDIS_PREFIX}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  it('likes, switches to dislike and clears, one vote per user', async () => {
    const a = await createUser(api);
    const b = await createUser(api);
    expect((await api.gqlOk(VOTE, { t: probe(1), v: 'LIKE' }, a.token)).vote).toEqual({
      targetId: probe(1),
      likeCount: 1,
      dislikeCount: 0,
      myVote: 'LIKE',
    });
    expect((await api.gqlOk(VOTE, { t: probe(1), v: 'LIKE' }, a.token)).vote).toMatchObject({ likeCount: 1, dislikeCount: 0 });
    expect((await api.gqlOk(VOTE, { t: probe(1), v: 'LIKE' }, b.token)).vote).toMatchObject({ likeCount: 2, dislikeCount: 0 });
    expect((await api.gqlOk(VOTE, { t: probe(1), v: 'DISLIKE' }, a.token)).vote).toEqual({
      targetId: probe(1),
      likeCount: 1,
      dislikeCount: 1,
      myVote: 'DISLIKE',
    });
    expect((await api.gqlOk(VOTE, { t: probe(1), v: 'NONE' }, a.token)).vote).toEqual({
      targetId: probe(1),
      likeCount: 1,
      dislikeCount: 0,
      myVote: 'NONE',
    });
    expect(await truth(1)).toEqual({ likeCount: 1, dislikeCount: 0 });
    expect(await sql("select count(*) as n from votes where target_type = 'Probe' and user_id = ?", [a.user.id])).toEqual([{ n: 1 }]);
  });

  it('needs a signed-in user and an existing target of a votable type', async () => {
    const a = await createUser(api);
    expect(codeOf(await api.gql(VOTE, { t: probe(1), v: 'LIKE' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(VOTE, { t: probe(5000), v: 'LIKE' }, a.token))).toBe('NOT_FOUND');
    const wrongType = await api.gql(VOTE, { t: toGlobalId('User', a.user.id), v: 'LIKE' }, a.token);
    expect(codeOf(wrongType)).toBe('BAD_USER_INPUT');
    expect(wrongType.errors![0].extensions!.fields).toHaveProperty('targetId');
    expect(codeOf(await api.gql(VOTE, { t: 'garbage', v: 'LIKE' }, a.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(VOTE, { t: probe(1), v: 'LOVE' }, a.token))).toBe('BAD_USER_INPUT');
  });

  it('50 users flipping 20 times each at once end with exact counts in MySQL and Redis', async () => {
    const users = await Promise.all(Array.from({ length: 50 }, () => createUser(api)));
    const results = await Promise.all(
      users.flatMap((u) => Array.from({ length: 20 }, () => api.gql(VOTE, { t: probe(7), v: pick() }, u.token))),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const expected = await truth(7);
    expect(await sql("select count(*) as n from votes where target_type = 'Probe' and target_id = 7")).toEqual([{ n: 50 }]);
    const [stored] = await sql("select like_count, dislike_count from vote_counts where target_type = 'Probe' and target_id = 7");
    expect({ likeCount: stored.like_count, dislikeCount: stored.dislike_count }).toEqual(expected);
    expect(await api.modules.engagement.votes.currentCounts(PROBE, 7)).toMatchObject(expected);
    // Each user's own answer agrees with their row: the last change applied is the one stored.
    const one = await api.gqlOk(VOTE, { t: probe(7), v: 'LIKE' }, users[0].token);
    expect(one.vote.myVote).toBe('LIKE');
  });

  it("one user's 100 concurrent flips leave exactly one consistent vote", async () => {
    const a = await createUser(api);
    const results = await Promise.all(Array.from({ length: 100 }, () => api.gql(VOTE, { t: probe(9), v: pick() }, a.token)));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const rows = await sql<{ value: number }>("select value from votes where target_type = 'Probe' and target_id = 9 and user_id = ?", [
      a.user.id,
    ]);
    expect(rows).toHaveLength(1);
    const expected = { likeCount: rows[0].value === 1 ? 1 : 0, dislikeCount: rows[0].value === -1 ? 1 : 0 };
    expect(await truth(9)).toEqual(expected);
    expect(await api.modules.engagement.votes.currentCounts(PROBE, 9)).toMatchObject(expected);
  });

  it('rebuilds exact counts from MySQL after Redis loses its data', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser(api)));
    await Promise.all(users.map((u, i) => api.gqlOk(VOTE, { t: probe(3), v: i < 4 ? 'LIKE' : 'DISLIKE' }, u.token)));
    expect(await api.modules.engagement.votes.currentCounts(PROBE, 3)).toMatchObject({ likeCount: 4, dislikeCount: 2 });
    await loseRedis();
    expect(await api.modules.engagement.votes.currentCounts(PROBE, 3)).toMatchObject({ likeCount: 4, dislikeCount: 2 });
    // Votes after the loss build on the rebuilt counts.
    expect((await api.gqlOk(VOTE, { t: probe(3), v: 'NONE' }, users[0].token)).vote).toMatchObject({ likeCount: 3, dislikeCount: 2 });
    await loseRedis();
    expect((await api.gqlOk(VOTE, { t: probe(3), v: 'LIKE' }, users[5].token)).vote).toMatchObject({ likeCount: 4, dislikeCount: 1 });
    expect(await api.modules.engagement.votes.currentCounts(PROBE, 3)).toMatchObject({ likeCount: 4, dislikeCount: 1 });
  });

  it('a change MySQL refuses fails alone, and Redis and vote_counts come back to the rows', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => createUser(api)));
    const ghost = await createUser(api);
    await api.gqlOk(VOTE, { t: probe(5), v: 'LIKE' }, ghost.token);
    // The ghost's account goes away (its votes with it) while its token is still valid: its next vote cannot be stored.
    await sql('delete from users where id = ?', [ghost.user.id]);
    const [others, refused] = await Promise.all([
      Promise.all(users.map((u, i) => api.gql(VOTE, { t: probe(5), v: i % 3 ? 'LIKE' : 'DISLIKE' }, u.token))),
      api.gql(VOTE, { t: probe(5), v: 'DISLIKE' }, ghost.token),
    ]);
    expect(others.filter((r) => r.errors)).toEqual([]);
    expect(codeOf(refused)).toBe('INTERNAL_SERVER_ERROR');
    const expected = await truth(5);
    expect(expected).toEqual({ likeCount: 8, dislikeCount: 4 });
    expect(await api.modules.engagement.votes.currentCounts(PROBE, 5)).toMatchObject(expected);
    const [stored] = await sql("select like_count, dislike_count from vote_counts where target_type = 'Probe' and target_id = 5");
    expect({ likeCount: stored.like_count, dislikeCount: stored.dislike_count }).toEqual(expected);
    // and the next vote builds on the true counts
    expect((await api.gqlOk(VOTE, { t: probe(5), v: 'NONE' }, users[1].token)).vote).toMatchObject({ likeCount: 7, dislikeCount: 4 });
  });

  it('a graphql-ws subscriber receives the final counts after a burst', async () => {
    const users = await Promise.all(Array.from({ length: 20 }, () => createUser(api)));
    const client = wsClient(api.url);
    try {
      const sub = await subscribe<{ voteCountsChanged: { targetId: string; likeCount: number; dislikeCount: number } }>(
        client,
        'subscription($t: ID!) { voteCountsChanged(targetId: $t) { targetId likeCount dislikeCount } }',
        { t: probe(11) },
      );
      const other = await subscribe(client, 'subscription($t: ID!) { voteCountsChanged(targetId: $t) { likeCount } }', { t: probe(12) });
      await Promise.all(
        users.flatMap((u) => [api.gql(VOTE, { t: probe(11), v: pick() }, u.token), api.gql(VOTE, { t: probe(11), v: pick() }, u.token)]),
      );
      const final = await truth(11);
      const hit = await sub.until(
        (e) => e.voteCountsChanged.likeCount === final.likeCount && e.voteCountsChanged.dislikeCount === final.dislikeCount,
      );
      expect(hit.voteCountsChanged.targetId).toBe(probe(11));
      // Let any trailing (coalesced) event arrive: the last one still carries the final counts.
      await new Promise((r) => setTimeout(r, 400));
      expect(sub.events.at(-1)!.voteCountsChanged).toEqual({ targetId: probe(11), ...final });
      expect(sub.events.length).toBeLessThanOrEqual(40);
      // The untouched target sent its counts once, when subscribed, and nothing of the other target's burst.
      expect(other.events).toEqual([{ voteCountsChanged: { likeCount: 0 } }]);
      sub.close();
      other.close();
    } finally {
      await client.dispose();
    }
  });

  it('coalesces count events of one target across API instances to a few a second, ending on the final counts', async () => {
    const second = await startTestApi();
    second.modules.engagement.targets.register(PROBE, {
      find: async (_ctx, id) => (id < 1000 ? { ownerId: null } : null),
      commentable: false,
    });
    const users = await Promise.all(Array.from({ length: 30 }, () => createUser(api)));
    const client = wsClient(api.url);
    try {
      const sub = await subscribe(client, 'subscription($t: ID!) { voteCountsChanged(targetId: $t) { likeCount dislikeCount } }', {
        t: probe(21),
      });
      const started = Date.now();
      for (let round = 0; round < 4; round++) {
        await Promise.all(users.map((u, i) => (i % 2 ? api : second).gql(VOTE, { t: probe(21), v: pick() }, u.token)));
      }
      const burstMs = Date.now() - started;
      const final = await truth(21);
      await sub.until(
        (e: any) => e.voteCountsChanged.likeCount === final.likeCount && e.voteCountsChanged.dislikeCount === final.dislikeCount,
      );
      await new Promise((r) => setTimeout(r, 600));
      expect(sub.events.at(-1)!.voteCountsChanged).toEqual(final);
      // 120 changes from two instances: the first event is the state on subscribe, then one per 250 ms window.
      expect(sub.events.length).toBeLessThanOrEqual(2 + Math.ceil((burstMs + 600) / 250));
      sub.close();
    } finally {
      await client.dispose();
      await second.stop();
    }
  });
});
