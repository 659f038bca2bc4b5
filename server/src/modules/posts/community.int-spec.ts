import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { codeOf } from '../../../test/graphql';
import { subscribe, wsClient } from '../../../test/ws-client';
import { testConfig } from '../../../test/test-config';
import { startWorker } from '../../main.worker';
import { parseGlobalId } from '../../app/graphql/global-id';
import { insertedRows } from '../../app/inserted-rows';
import { UserRole } from '../users/user.entity';

const CREATE = `mutation($i: CreatePostInput!) { createPost(input: $i) { id title body topic viewCount likeCount dislikeCount myVote commentCount author { nickname } } }`;
const NEAR = `query($lat: Float!, $lng: Float!, $r: Float, $first: Int, $after: String) {
  postsNear(latitude: $lat, longitude: $lng, radiusKm: $r, first: $first, after: $after) {
    edges { cursor node { id title distanceKm author { nickname } likeCount dislikeCount myVote commentCount viewCount } }
    pageInfo { hasNextPage endCursor } } }`;
const VOTE = `mutation($t: ID!, $v: VoteValue!) { vote(targetId: $t, value: $v) { targetId likeCount dislikeCount myVote } }`;
const POST = `query($id: ID!) { post(id: $id) { id viewCount likeCount dislikeCount myVote commentCount } }`;

const SEOUL = { lat: 37.5665, lng: 126.978 };
const R = 6370986; // the sphere ST_Distance_Sphere uses by default

/** The point `km` away from (lat, lng) on a great circle with the given bearing (0 north, 90 east). */
function destination(lat: number, lng: number, km: number, bearingDeg: number) {
  const rad = Math.PI / 180;
  const d = (km * 1000) / R;
  const [p1, l1, b] = [lat * rad, lng * rad, bearingDeg * rad];
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = l1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { lat: p2 / rad, lng: l2 / rad };
}

async function post(api: TestApi, token: string, at: { lat: number; lng: number }, title = 'hello'): Promise<any> {
  return (await api.gqlOk(CREATE, { i: { title, body: 'body', latitude: at.lat, longitude: at.lng, topic: 'WEATHER' } }, token)).createPost;
}

describe('community', () => {
  let api: TestApi;
  const queries: string[] = [];
  let counting = false;
  beforeAll(async () => {
    api = await startTestApi({}, { onQuery: (sql) => counting && queries.push(sql) });
  });
  afterAll(() => api.stop());
  beforeEach(() => api.reset());

  it('streams comments added to a post to its readers, and nothing of other posts', async () => {
    const author = await createUser(api);
    const reader = await createUser(api);
    const [p1, p2] = [
      await post(api, author.token, { lat: 37.5665, lng: 126.978 }, 'one'),
      await post(api, author.token, { lat: 37.5665, lng: 126.978 }, 'two'),
    ];
    const client = wsClient(api.url, reader.token);
    const sub = await subscribe(client, 'subscription($t: ID!) { commentAdded(targetId: $t) { body author { nickname } } }', { t: p1.id });
    const ADD = 'mutation($t: ID!, $b: String!) { addComment(targetId: $t, body: $b) { id } }';
    await api.gqlOk(ADD, { t: p2.id, b: 'elsewhere' }, author.token);
    await api.gqlOk(ADD, { t: p1.id, b: 'first' }, author.token);
    await api.gqlOk(ADD, { t: p1.id, b: 'second' }, reader.token);
    await sub.nth(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(sub.events.map((e: any) => [e.commentAdded.body, e.commentAdded.author.nickname])).toEqual([
      ['first', author.user.nickname],
      ['second', reader.user.nickname],
    ]);
    sub.close();
    await client.dispose();
  });

  describe('postsNear', () => {
    it.each([
      ['Jeju', 33.4996, 126.5312],
      ['the northern border (Goseong)', 38.3, 128.45],
    ])('keeps 4.9 km in and 5.1 km out at %s, in every direction, with distanceKm rounded to 0.1', async (_name, lat, lng) => {
      const { token } = await createUser(api);
      const inside: string[] = [];
      for (const bearing of [0, 90, 180, 270, 45]) {
        inside.push((await post(api, token, destination(lat, lng, 4.9, bearing), `in ${bearing}`)).id);
        await post(api, token, destination(lat, lng, 5.1, bearing), `out ${bearing}`);
      }
      const page = (await api.gqlOk(NEAR, { lat, lng, first: 50 })).postsNear;
      expect(page.edges.map((e: any) => e.node.id).sort()).toEqual([...inside].sort());
      expect(page.edges.every((e: any) => e.node.distanceKm === 4.9)).toBe(true);
      const wider = (await api.gqlOk(NEAR, { lat, lng, r: 5.2, first: 50 })).postsNear;
      expect(wider.edges).toHaveLength(10);
      expect(wider.edges.filter((e: any) => e.node.distanceKm === 5.1)).toHaveLength(5);
    });

    it('never exposes coordinates', async () => {
      const type = (await api.gqlOk(`{ __type(name: "Post") { fields { name } } }`)).__type;
      const names = type.fields.map((f: any) => f.name.toLowerCase());
      expect(names.filter((n: string) => /lat|lng|lon|location|coord/.test(n))).toEqual([]);
    });

    it('pages newest first without gaps or duplicates while new posts arrive, ties broken by id', async () => {
      const { token } = await createUser(api);
      const ids: number[] = [];
      for (let i = 0; i < 25; i++)
        ids.push(parseGlobalId((await post(api, token, destination(SEOUL.lat, SEOUL.lng, (i % 40) / 10, i * 13), `p${i}`)).id, 'Post').id);
      // Ten posts sharing one created_at: the id tiebreaker must still page through them exactly once.
      await api.infra.orm.em
        .getConnection()
        .execute('update posts set created_at = ? where id in (?)', [new Date('2026-01-01T00:00:00Z'), ids.slice(5, 15)]);
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 20; page++) {
        const res: any = (await api.gqlOk(NEAR, { lat: SEOUL.lat, lng: SEOUL.lng, first: 4, after })).postsNear;
        seen.push(...res.edges.map((e: any) => e.node.title));
        await post(api, token, SEOUL, `new during page ${page}`); // newer than the cursor: never in later pages
        if (!res.pageInfo.hasNextPage) break;
        after = res.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
      expect(seen.every((t) => /^p\d+$/.test(t))).toBe(true);
      // newest first: the back-dated ten come last
      expect(seen.slice(15).sort()).toEqual(
        ids
          .slice(5, 15)
          .map((_, i) => `p${i + 5}`)
          .sort(),
      );
    });

    it('answers the same pages whether the newest posts or the spatial index find them', async () => {
      const { token } = await createUser(api);
      const BUSAN = { lat: 35.1796, lng: 129.0756 };
      // Seoul posts at 0-7 km (some outside the 5 km circle, some outside its bounding box) between posts elsewhere.
      for (let i = 0; i < 45; i++) {
        const at =
          i % 3 === 2 ? destination(BUSAN.lat, BUSAN.lng, i / 10, i * 29) : destination(SEOUL.lat, SEOUL.lng, ((i * 7) % 71) / 10, i * 37);
        await post(api, token, at, `q${i}`);
      }
      const pagesOf = async (target: TestApi) => {
        const pages: string[][] = [];
        let after: string | null = null;
        for (;;) {
          const res: any = (await target.gqlOk(NEAR, { lat: SEOUL.lat, lng: SEOUL.lng, first: 5, after })).postsNear;
          pages.push(res.edges.map((e: any) => `${e.node.title}@${e.node.distanceKm}`));
          if (!res.pageInfo.hasNextPage) return pages;
          after = res.pageInfo.endCursor;
        }
      };
      const spatialOnly = await startTestApi({ POSTS_NEAR_RECENT_ROWS: '0' });
      const mixed = await startTestApi({ POSTS_NEAR_RECENT_ROWS: '6' }); // some pages from the newest rows, some not
      try {
        const expected = await pagesOf(spatialOnly);
        expect(expected.flat().length).toBeGreaterThan(15);
        expect(expected.flat().every((t) => Number(t.split('@')[1]) <= 5)).toBe(true);
        expect(await pagesOf(mixed)).toEqual(expected);
        expect(await pagesOf(api)).toEqual(expected); // the default window holds every post here
      } finally {
        await Promise.all([spatialOnly.stop(), mixed.stop()]);
      }
    });

    it('refuses bad input', async () => {
      const q = (v: Record<string, unknown>) => api.gql(NEAR, { lat: SEOUL.lat, lng: SEOUL.lng, ...v });
      expect(codeOf(await q({ lat: 91 }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await q({ lat: 35.7, lng: 139.7 }))).toBe('BAD_USER_INPUT'); // Tokyo: outside the area served
      expect(codeOf(await q({ lat: 'NaN' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await q({ r: 20.5 }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await q({ r: 0 }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await q({ r: -1 }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await q({ first: 101 }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await q({ after: 'garbage' }))).toBe('BAD_USER_INPUT');
      expect((await q({ r: 20 })).errors).toBeUndefined();
    });
  });

  describe('posts', () => {
    it('validates input and stores SQL and HTML text verbatim', async () => {
      const { token } = await createUser(api);
      const bad = (i: Record<string, unknown>) =>
        api.gql(CREATE, { i: { title: 't', body: 'b', latitude: SEOUL.lat, longitude: SEOUL.lng, ...i } }, token);
      const empty = await bad({ title: '   ' });
      expect(codeOf(empty)).toBe('BAD_USER_INPUT');
      expect(empty.errors![0].extensions!.fields).toHaveProperty('title');
      expect(codeOf(await bad({ title: 'x'.repeat(101) }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await bad({ body: 'x'.repeat(5001) }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await bad({ body: 'x'.repeat(1_000_000) }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await bad({ latitude: 33.0, longitude: 140 }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await bad({ latitude: 'NaN' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await api.gql(CREATE, { i: { title: 't', body: 'b', latitude: SEOUL.lat, longitude: SEOUL.lng } }))).toBe(
        'UNAUTHENTICATED',
      );
      const sql = `'); DROP TABLE posts; -- "x"`;
      const html = `<script>alert('x')</script> & <b>bold</b>`;
      const created = await post(api, token, SEOUL, sql);
      expect(created.title).toBe(sql);
      const withHtml = (await api.gqlOk(CREATE, { i: { title: html, body: html, latitude: SEOUL.lat, longitude: SEOUL.lng } }, token))
        .createPost;
      expect(withHtml).toMatchObject({ title: html, body: html, topic: 'OTHER' });
      const page = (await api.gqlOk(NEAR, { lat: SEOUL.lat, lng: SEOUL.lng })).postsNear;
      expect(page.edges.map((e: any) => e.node.title).sort()).toEqual([html, sql].sort());
    });

    it('lets only the author or an admin edit and delete', async () => {
      const author = await createUser(api);
      const other = await createUser(api);
      const admin = await createUser(api, { role: UserRole.ADMIN });
      const p = await post(api, author.token, SEOUL);
      const UPDATE = `mutation($id: ID!, $i: UpdatePostInput!) { updatePost(id: $id, input: $i) { title } }`;
      const DELETE = `mutation($id: ID!) { deletePost(id: $id) }`;
      expect(codeOf(await api.gql(UPDATE, { id: p.id, i: { title: 'x' } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await api.gql(UPDATE, { id: p.id, i: { title: 'x' } }, other.token))).toBe('FORBIDDEN');
      expect(codeOf(await api.gql(DELETE, { id: p.id }, other.token))).toBe('FORBIDDEN');
      expect((await api.gqlOk(UPDATE, { id: p.id, i: { title: 'mine' } }, author.token)).updatePost.title).toBe('mine');
      expect((await api.gqlOk(UPDATE, { id: p.id, i: { title: 'admin' } }, admin.token)).updatePost.title).toBe('admin');
      expect(codeOf(await api.gql(UPDATE, { id: p.id, i: { latitude: 37 } }, author.token))).toBe('BAD_USER_INPUT');
      // moving it: found near the new place only
      const busan = { lat: 35.1796, lng: 129.0756 };
      await api.gqlOk(UPDATE, { id: p.id, i: { latitude: busan.lat, longitude: busan.lng } }, author.token);
      expect((await api.gqlOk(NEAR, { lat: SEOUL.lat, lng: SEOUL.lng })).postsNear.edges).toHaveLength(0);
      expect((await api.gqlOk(NEAR, { lat: busan.lat, lng: busan.lng })).postsNear.edges).toHaveLength(1);
      await api.gqlOk(VOTE, { t: p.id, v: 'LIKE' }, other.token);
      expect((await api.gqlOk(DELETE, { id: p.id }, admin.token)).deletePost).toBe(true);
      expect((await api.gqlOk(POST, { id: p.id })).post).toBeNull();
      expect(codeOf(await api.gql(VOTE, { t: p.id, v: 'LIKE' }, other.token))).toBe('NOT_FOUND');
      expect(await api.infra.orm.em.getConnection().execute('select * from votes')).toEqual([]);
    });

    it('counts a view once per viewer per hour and persists views in batches', async () => {
      const author = await createUser(api);
      const reader = await createUser(api);
      const p = await post(api, author.token, SEOUL);
      for (let i = 0; i < 3; i++) await api.gqlOk(POST, { id: p.id }, reader.token);
      expect((await api.gqlOk(POST, { id: p.id }, reader.token)).post.viewCount).toBe(1);
      await api.gqlOk(POST, { id: p.id }, author.token);
      await Promise.all([1, 2, 3, 4, 5].map(() => api.gqlOk(POST, { id: p.id }))); // anonymous, same IP
      expect((await api.gqlOk(POST, { id: p.id })).post.viewCount).toBe(3);
      const [before] = await api.infra.orm.em.getConnection().execute('select view_count from posts');
      expect(before.view_count).toBe(0); // not a write per view
      expect(await api.modules.views.views.flush()).toBe(3);
      const [after] = await api.infra.orm.em.getConnection().execute('select view_count from posts');
      expect(after.view_count).toBe(3);
      expect(await api.modules.views.views.flush()).toBe(0);
      expect((await api.gqlOk(POST, { id: p.id }, reader.token)).post.viewCount).toBe(3);
    });
    it('the worker flushes counted views to MySQL on its schedule', async () => {
      const worker = await startWorker(testConfig({ VIEWS_FLUSH_INTERVAL_MS: '200' }));
      try {
        const author = await createUser(api);
        const p = await post(api, author.token, SEOUL);
        const readers = await Promise.all([1, 2, 3, 4].map(() => createUser(api)));
        await Promise.all(readers.map((r) => api.gqlOk(POST, { id: p.id }, r.token)));
        const stored = async () => Number((await api.infra.orm.em.getConnection().execute('select view_count from posts'))[0].view_count);
        for (let i = 0; i < 200 && (await stored()) < 4; i++) await new Promise((r) => setTimeout(r, 50));
        expect(await stored()).toBe(4);
        expect((await api.gqlOk(POST, { id: p.id }, readers[0].token)).post.viewCount).toBe(4);
      } finally {
        await worker.stop();
      }
    });
  });

  describe('votes', () => {
    it('50 users flipping 20 times each, all at once, end in exact counts', async () => {
      const { token } = await createUser(api);
      const p = await post(api, token, SEOUL);
      const users = await Promise.all(Array.from({ length: 50 }, () => createUser(api)));
      const values = ['LIKE', 'DISLIKE', 'NONE'];
      await Promise.all(
        users.map(async (u, i) => {
          for (let k = 0; k < 19; k++) await api.gqlOk(VOTE, { t: p.id, v: values[(i + k) % 3] }, u.token);
          await api.gqlOk(VOTE, { t: p.id, v: i < 30 ? 'LIKE' : i < 45 ? 'DISLIKE' : 'NONE' }, u.token);
        }),
      );
      const got = (await api.gqlOk(POST, { id: p.id }, users[0].token)).post;
      expect(got).toMatchObject({ likeCount: 30, dislikeCount: 15, myVote: 'LIKE' });
      const [truth] = await api.infra.orm.em
        .getConnection()
        .execute('select sum(value = 1) as l, sum(value = -1) as d, count(*) as n from votes');
      expect([Number(truth.l), Number(truth.d), Number(truth.n)]).toEqual([30, 15, 50]);
    });

    it("one user's 100 concurrent flips leave exactly one vote and matching counts", async () => {
      const author = await createUser(api);
      const { token } = await createUser(api);
      const p = await post(api, author.token, SEOUL);
      const values = ['LIKE', 'DISLIKE', 'NONE'];
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => api.gql(VOTE, { t: p.id, v: values[i % 3] }, token)));
      expect(results.filter((r) => r.errors)).toEqual([]);
      const rows = await api.infra.orm.em.getConnection().execute('select value from votes');
      expect(rows).toHaveLength(1);
      const v = Number(rows[0].value);
      const got = (await api.gqlOk(POST, { id: p.id }, token)).post;
      expect(got).toMatchObject({
        likeCount: v === 1 ? 1 : 0,
        dislikeCount: v === -1 ? 1 : 0,
        myVote: v === 1 ? 'LIKE' : v === -1 ? 'DISLIKE' : 'NONE',
      });
    });

    it('rebuilds counts from MySQL after Redis loses them', async () => {
      const author = await createUser(api);
      const p = await post(api, author.token, SEOUL);
      const users = await Promise.all(Array.from({ length: 7 }, () => createUser(api)));
      await Promise.all(users.map((u, i) => api.gqlOk(VOTE, { t: p.id, v: i < 4 ? 'LIKE' : 'DISLIKE' }, u.token)));
      const redis = api.infra.redis.publisher;
      const keys = await redis.keys(`${api.config.REDIS_PREFIX}vote:counts:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.unlink(...keys);
      expect((await api.gqlOk(POST, { id: p.id })).post).toMatchObject({ likeCount: 4, dislikeCount: 3, myVote: null });
      await redis.unlink(...(await redis.keys(`${api.config.REDIS_PREFIX}vote:counts:*`)));
      // a vote right after the loss continues from the true counts, not from zero
      expect((await api.gqlOk(VOTE, { t: p.id, v: 'NONE' }, users[0].token)).vote).toMatchObject({
        likeCount: 3,
        dislikeCount: 3,
        myVote: 'NONE',
      });
    });

    it('refuses anonymous votes and ids of other types', async () => {
      const { user, token } = await createUser(api);
      const p = await post(api, token, SEOUL);
      expect(codeOf(await api.gql(VOTE, { t: p.id, v: 'LIKE' }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await api.gql(VOTE, { t: Buffer.from(`User:${user.id}`).toString('base64url'), v: 'LIKE' }, token))).toBe(
        'BAD_USER_INPUT',
      );
      expect(codeOf(await api.gql(VOTE, { t: Buffer.from('Post:999999').toString('base64url'), v: 'LIKE' }, token))).toBe('NOT_FOUND');
    });

    it('answers each of many concurrent votes on real and missing posts on its own (their existence checks are shared)', async () => {
      const { token } = await createUser(api);
      const real = await Promise.all([0, 1].map(() => post(api, token, SEOUL)));
      const missing = [999_991, 999_992].map((id) => Buffer.from(`Post:${id}`).toString('base64url'));
      const targets = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? missing[i % 2] : real[i % 3].id));
      const answers = await Promise.all(targets.map((t) => api.gql(VOTE, { t, v: 'LIKE' }, token)));
      answers.forEach((a, i) => {
        if (missing.includes(targets[i])) expect(codeOf(a)).toBe('NOT_FOUND');
        else expect((a.data as { vote?: unknown } | undefined)?.vote).toMatchObject({ likeCount: 1, myVote: 'LIKE' });
      });
    });

    it('delivers the final counts to a graphql-ws subscriber after a burst', async () => {
      const author = await createUser(api);
      const p = await post(api, author.token, SEOUL);
      const users = await Promise.all(Array.from({ length: 20 }, () => createUser(api)));
      const client = wsClient(api.url);
      const sub = await subscribe(client, 'subscription($t: ID!) { voteCountsChanged(targetId: $t) { targetId likeCount dislikeCount } }', {
        t: p.id,
      });
      await Promise.all(users.map((u, i) => api.gqlOk(VOTE, { t: p.id, v: i % 4 === 0 ? 'DISLIKE' : 'LIKE' }, u.token)));
      const last = await sub.until((e: any) => e.voteCountsChanged.likeCount === 15 && e.voteCountsChanged.dislikeCount === 5);
      expect(last.voteCountsChanged.targetId).toBe(p.id);
      // coalesced: fewer events than votes, and never a count going backwards
      expect(sub.events.length).toBeLessThan(20);
      const likes = sub.events.map((e: any) => e.voteCountsChanged.likeCount);
      expect([...likes].sort((a, b) => a - b)).toEqual(likes);
      sub.close();
      await client.dispose();
    });
  });

  describe('comments', () => {
    const ADD = `mutation($t: ID!, $b: String!, $p: ID) { addComment(targetId: $t, body: $b, parentId: $p) { id parentId targetId body deleted author { nickname } } }`;
    const LIST = `query($t: ID!, $first: Int, $after: String) { comments(targetId: $t, first: $first, after: $after) { edges { node { id parentId body deleted author { nickname } likeCount } } pageInfo { hasNextPage endCursor } } }`;

    it('threads one level deep, soft-deletes for the author or an admin, and counts', async () => {
      const author = await createUser(api);
      const other = await createUser(api);
      const admin = await createUser(api, { role: UserRole.ADMIN });
      const p = await post(api, author.token, SEOUL);
      const top = (await api.gqlOk(ADD, { t: p.id, b: ' first ' }, other.token)).addComment;
      expect(top).toMatchObject({
        parentId: null,
        targetId: p.id,
        body: 'first',
        deleted: false,
        author: { nickname: other.user.nickname },
      });
      const reply = (await api.gqlOk(ADD, { t: p.id, b: 'reply', p: top.id }, author.token)).addComment;
      expect(reply.parentId).toBe(top.id);
      const nested = (await api.gqlOk(ADD, { t: p.id, b: 'reply to reply', p: reply.id }, other.token)).addComment;
      expect(nested.parentId).toBe(top.id);
      expect(codeOf(await api.gql(ADD, { t: p.id, b: '' }, other.token))).toBe('BAD_USER_INPUT');
      expect(codeOf(await api.gql(ADD, { t: p.id, b: 'x'.repeat(2001) }, other.token))).toBe('BAD_USER_INPUT');
      expect(codeOf(await api.gql(ADD, { t: p.id, b: 'hi' }))).toBe('UNAUTHENTICATED');
      const p2 = await post(api, author.token, SEOUL);
      expect(codeOf(await api.gql(ADD, { t: p2.id, b: 'x', p: top.id }, other.token))).toBe('BAD_USER_INPUT');
      expect((await api.gqlOk(POST, { id: p.id })).post.commentCount).toBe(3);

      // comments are votable targets too
      expect((await api.gqlOk(VOTE, { t: top.id, v: 'LIKE' }, author.token)).vote.likeCount).toBe(1);

      const DEL = `mutation($id: ID!) { deleteComment(id: $id) }`;
      expect(codeOf(await api.gql(DEL, { id: top.id }, author.token))).toBe('FORBIDDEN');
      expect((await api.gqlOk(DEL, { id: top.id }, other.token)).deleteComment).toBe(true);
      expect((await api.gqlOk(DEL, { id: reply.id }, admin.token)).deleteComment).toBe(true);
      const list = (await api.gqlOk(LIST, { t: p.id, first: 2 })).comments;
      expect(list.edges.map((e: any) => e.node)).toEqual([
        { id: top.id, parentId: null, body: '', deleted: true, author: null, likeCount: 1 },
        { id: reply.id, parentId: top.id, body: '', deleted: true, author: null, likeCount: 0 },
      ]);
      const rest = (await api.gqlOk(LIST, { t: p.id, first: 2, after: list.pageInfo.endCursor })).comments;
      expect(rest.edges.map((e: any) => e.node.body)).toEqual(['reply to reply']);
      expect(rest.pageInfo.hasNextPage).toBe(false);
      expect((await api.gqlOk(POST, { id: p.id })).post.commentCount).toBe(1);
    });

    it('adds concurrent comments together, each request getting its own comment, and a refused one fails alone', async () => {
      const author = await createUser(api);
      const p = await post(api, author.token, SEOUL);
      const writers = await Promise.all(Array.from({ length: 20 }, () => createUser(api)));
      const gone = writers[7]!;
      // A signed-in user deleted meanwhile: the foreign key refuses their comment, the batch must not fail the others.
      await api.infra.orm.em.getConnection().execute('delete from users where id = ?', [gone.user.id]);
      queries.length = 0;
      counting = true;
      const answers = await Promise.all(writers.map((w, i) => api.gql(ADD, { t: p.id, b: `comment ${i}` }, w.token)));
      counting = false;
      answers.forEach((a, i) => {
        if (i === 7) expect(a.errors).toBeDefined();
        else expect((a.data as any).addComment).toMatchObject({ body: `comment ${i}`, author: { nickname: writers[i]!.user.nickname } });
      });
      const ids = answers.filter((_, i) => i !== 7).map((a) => (a.data as any).addComment.id);
      expect(new Set(ids).size).toBe(19);
      const listed = (await api.gqlOk(LIST, { t: p.id, first: 50 })).comments.edges.map((e: any) => [e.node.id, e.node.body]);
      expect(listed.sort()).toEqual(ids.map((id, k) => [id, (answers.filter((_, i) => i !== 7)[k]!.data as any).addComment.body]).sort());
      expect(queries.filter((q) => /^insert into comments/i.test(q)).length).toBeLessThan(20);
    });

    it('reads a multi-row insert back by id and refuses rows that are not its own', async () => {
      const { user } = await createUser(api);
      const knex = api.infra.orm.em.getConnection().getKnex();
      const mine = (r: { author_id: number; body: string }, i: number) => r.author_id === user.id && r.body === `b${i}`;
      await knex.transaction(async (trx) => {
        const rows = [0, 1, 2].map((i) => ['Post', 1, user.id, `b${i}`, new Date()]);
        const [res] = await trx.raw(
          `insert into comments (target_type, target_id, author_id, body, created_at) values ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
          rows.flat(),
        );
        expect((await insertedRows(trx, 'comments', 'id, author_id, body', res.insertId, 3, mine))?.map((r: any) => r.body)).toEqual([
          'b0',
          'b1',
          'b2',
        ]);
        // a range one id off, or a row that is not the one written there: nothing is taken for ours
        expect(await insertedRows(trx, 'comments', 'id, author_id, body', res.insertId + 1, 3, mine)).toBeNull();
        expect(
          await insertedRows(trx, 'comments', 'id, author_id, body', res.insertId, 3, (r: { body: string }) => r.body !== 'b1'),
        ).toBeNull();
      });
    });
  });

  it('resolves a page of posts with a number of SQL statements that does not grow with the page size', async () => {
    // 21 posts: a page of 20 comes from the newest rows (one statement); the spatial-index plan is a second one at most.
    const authors = await Promise.all(Array.from({ length: 21 }, () => createUser(api)));
    const viewer = await createUser(api);
    for (const [i, a] of authors.entries()) {
      const p = await post(api, a.token, destination(SEOUL.lat, SEOUL.lng, i / 10, i * 17));
      await api.gqlOk(VOTE, { t: p.id, v: 'LIKE' }, viewer.token);
      await api.gqlOk(`mutation($t: ID!) { addComment(targetId: $t, body: "c") { id } }`, { t: p.id }, viewer.token);
    }
    const countFor = async (first: number) => {
      // Cold Redis counts: the rebuild path must batch too.
      const redis = api.infra.redis.publisher;
      const keys = await redis.keys(`${api.config.REDIS_PREFIX}vote:counts:*`);
      if (keys.length) await redis.unlink(...keys);
      queries.length = 0;
      counting = true;
      const res = (await api.gqlOk(NEAR, { lat: SEOUL.lat, lng: SEOUL.lng, first }, viewer.token)).postsNear;
      counting = false;
      expect(res.edges).toHaveLength(first);
      expect(
        res.edges.every((e: any) => e.node.likeCount === 1 && e.node.myVote === 'LIKE' && e.node.commentCount === 1 && e.node.author),
      ).toBe(true);
      return queries.filter((q) => q.includes('[query]')).length;
    };
    const small = await countFor(2);
    const full = await countFor(20);
    expect(full).toBe(small);
    expect(full).toBeLessThanOrEqual(6);
    expect(full).toBeGreaterThanOrEqual(5); // page, authors, vote_counts rebuild, myVote, commentCount: the counter does see them
  });
});
