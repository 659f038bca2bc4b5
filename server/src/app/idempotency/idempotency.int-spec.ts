import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { codeOf } from '../../../test/graphql';

const CREATE = 'mutation($i: CreatePostInput!, $k: String) { createPost(input: $i, idempotencyKey: $k) { id title } }';
const COMMENT = 'mutation($t: ID!, $b: String!, $k: String) { addComment(targetId: $t, body: $b, idempotencyKey: $k) { id body } }';
const GENERATE = 'mutation($i: GenerateResumeInput!, $k: String) { generateResume(input: $i, idempotencyKey: $k) { id } }';
const post = (title: string) => ({ i: { title, body: 'Rain in Jung-gu', latitude: 37.5665, longitude: 126.978 } });

describe('idempotency keys', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ LLM_DAILY_JOB_LIMIT: '5' });
  });
  afterAll(() => api.stop());
  beforeEach(() => api.reset());
  const count = async (table: string) =>
    Number((await api.infra.orm.em.getConnection().execute(`select count(*) as n from ${table}`))[0].n);

  it('createPost: a retry with the same key returns the first post, also when the retries race', async () => {
    const a = await createUser(api);
    const first = (await api.gqlOk(CREATE, { ...post('one'), k: 'post-1' }, a.token)).createPost;
    expect((await api.gqlOk(CREATE, { ...post('one again'), k: 'post-1' }, a.token)).createPost).toEqual(first);
    const racing = await Promise.all(Array.from({ length: 8 }, () => api.gqlOk(CREATE, { ...post('race'), k: 'post-2' }, a.token)));
    expect(new Set(racing.map((r) => r.createPost.id)).size).toBe(1);
    // Without a key, or with another key, each call is a new post.
    await api.gqlOk(CREATE, post('plain'), a.token);
    await api.gqlOk(CREATE, { ...post('other'), k: 'post-3' }, a.token);
    expect(await count('posts')).toBe(4);
  });

  it("keys are per user: another user's same key is a different post", async () => {
    const [a, b] = [await createUser(api), await createUser(api)];
    const x = (await api.gqlOk(CREATE, { ...post('a'), k: 'same' }, a.token)).createPost;
    const y = (await api.gqlOk(CREATE, { ...post('b'), k: 'same' }, b.token)).createPost;
    expect(x.id).not.toBe(y.id);
  });

  it('addComment: a retry with the same key returns the first comment, racing retries included', async () => {
    const a = await createUser(api);
    const target = (await api.gqlOk(CREATE, post('target'), a.token)).createPost.id;
    const first = (await api.gqlOk(COMMENT, { t: target, b: 'hi', k: 'c-1' }, a.token)).addComment;
    expect((await api.gqlOk(COMMENT, { t: target, b: 'hi', k: 'c-1' }, a.token)).addComment).toEqual(first);
    const racing = await Promise.all(Array.from({ length: 8 }, () => api.gqlOk(COMMENT, { t: target, b: 'x', k: 'c-2' }, a.token)));
    expect(new Set(racing.map((r) => r.addComment.id)).size).toBe(1);
    expect(await count('comments')).toBe(2);
    // One CommentAdded event per comment stored, none for the retries.
    expect(
      Number((await api.infra.orm.em.getConnection().execute("select count(*) as n from outbox_events where type = 'CommentAdded'"))[0].n),
    ).toBe(2);
  });

  it('generateResume: a retry returns the first job and takes nothing more from the daily quota', async () => {
    const a = await createUser(api);
    const input = { i: { githubUsername: 'octocat', targetRole: 'Backend' }, k: 'gen-1' };
    const first = (await api.gqlOk(GENERATE, input, a.token)).generateResume;
    const again = await Promise.all([1, 2, 3].map(() => api.gqlOk(GENERATE, input, a.token)));
    expect(again.map((r) => r.generateResume.id)).toEqual([first.id, first.id, first.id]);
    expect((await api.gqlOk('{ myUsage { llmJobsUsed } }', undefined, a.token)).myUsage.llmJobsUsed).toBe(1);
    expect(await count('resume_jobs')).toBe(1);
  });

  it('refuses a key that is not 1 to 100 printable ASCII characters', async () => {
    const a = await createUser(api);
    for (const k of ['', 'x'.repeat(101), 'with space', '키']) {
      const res = await api.gql(CREATE, { ...post('bad'), k }, a.token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions!.fields).toHaveProperty('idempotencyKey');
    }
    expect(await count('posts')).toBe(0);
  });
});
