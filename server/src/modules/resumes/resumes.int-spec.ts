import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { codeOf, gql } from '../../../test/graphql';
import { toGlobalId } from '../../app/graphql/global-id';

const RESUME =
  'query($id: ID!) { resume(id: $id) { id title visibility version viewCount generatedBy owner { nickname } content versions { version title generatedBy } } }';

const doc = (name: string) => ({
  basics: {
    name,
    label: 'Backend engineer',
    summary: 'Builds APIs.',
    profiles: [{ network: 'GitHub', username: 'x', url: 'https://github.com/x' }],
  },
  projects: [{ name: 'commit-lens', startDate: '2025-09', highlights: ['Built it'], 'x-evidence': ['repo:commit-lens'] }],
});

describe('resumes: visibility, versions, views, exports', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.stop());
  beforeEach(() => api.reset());

  async function makeResume(ownerId: number, title = 'My resume') {
    const resume = await api.modules.resumes.resumes.create(api.infra.orm.em.fork(), {
      ownerId,
      title,
      content: doc('Haneul Kim'),
      generatedBy: 'template',
      evidence: null,
      githubUsername: 'haneul-dev',
    });
    return toGlobalId('Resume', resume.id);
  }

  const setVisibility = (id: string, visibility: string, token: string) =>
    api.gql(
      'mutation($id: ID!, $v: Visibility!) { setResumeVisibility(id: $id, visibility: $v) { visibility } }',
      { id, v: visibility },
      token,
    );

  it('shows private resumes only to the owner, unlisted ones by link, public ones in publicResumes', async () => {
    const owner = await createUser(api);
    const other = await createUser(api);
    const id = await makeResume(owner.user.id);
    const listed = async () =>
      (await api.gqlOk('{ publicResumes(first: 10) { edges { node { id } } } }')).publicResumes.edges.map((e: any) => e.node.id);

    expect((await api.gqlOk(RESUME, { id }, owner.token)).resume.title).toBe('My resume');
    expect((await api.gqlOk(RESUME, { id })).resume).toBeNull();
    expect((await api.gqlOk(RESUME, { id }, other.token)).resume).toBeNull();
    expect(codeOf(await setVisibility(id, 'PUBLIC', other.token))).toBe('NOT_FOUND');
    expect(await listed()).toEqual([]);

    expect(((await setVisibility(id, 'UNLISTED', owner.token)).data as any).setResumeVisibility.visibility).toBe('UNLISTED');
    expect((await api.gqlOk(RESUME, { id })).resume.title).toBe('My resume');
    expect((await api.gqlOk(RESUME, { id }, other.token)).resume.versions).toBeNull(); // history is the owner's
    expect(await listed()).toEqual([]);
    expect(codeOf(await setVisibility(id, 'PUBLIC', other.token))).toBe('FORBIDDEN');

    await setVisibility(id, 'PUBLIC', owner.token);
    expect(await listed()).toEqual([id]);
    expect((await api.gqlOk('query($id: ID!) { node(id: $id) { id ... on Resume { title } } }', { id })).node.title).toBe('My resume');

    const del = 'mutation($id: ID!) { deleteResume(id: $id) }';
    expect(codeOf(await api.gql(del, { id }, other.token))).toBe('FORBIDDEN');
    const admin = await createUser(api, { role: 'ADMIN' as any });
    expect((await api.gqlOk(del, { id }, admin.token)).deleteResume).toBe(true);
    expect((await api.gqlOk(RESUME, { id }, owner.token)).resume).toBeNull();
  });

  it('orders public resumes by recency or popularity, with keyset pages', async () => {
    const owner = await createUser(api);
    const ids = [];
    for (const t of ['a', 'b', 'c']) {
      const id = await makeResume(owner.user.id, t);
      await setVisibility(id, 'PUBLIC', owner.token);
      ids.push(id);
    }
    // two different viewers look at "a", one at "b" and likes it: popularity = views + likes puts "b" first
    const v1 = await createUser(api);
    const v2 = await createUser(api);
    await api.gqlOk(RESUME, { id: ids[0] }, v1.token);
    await api.gqlOk(RESUME, { id: ids[0] }, v2.token);
    await api.gqlOk(RESUME, { id: ids[1] }, v1.token);
    await api.gqlOk('mutation($id: ID!) { vote(targetId: $id, value: LIKE) { likeCount } }', { id: ids[1] }, v1.token);
    await api.gqlOk('mutation($id: ID!) { vote(targetId: $id, value: LIKE) { likeCount } }', { id: ids[1] }, v2.token);
    await api.modules.views.views.flush(); // the worker's views-flush job moves counted views to MySQL
    const page = async (orderBy: string, after?: string) =>
      (
        await api.gqlOk(
          'query($o: ResumeOrder!, $a: String) { publicResumes(first: 2, orderBy: $o, after: $a) { edges { node { title } } pageInfo { hasNextPage endCursor } } }',
          { o: orderBy, a: after },
        )
      ).publicResumes;
    const recent = await page('RECENT');
    expect(recent.edges.map((e: any) => e.node.title)).toEqual(['c', 'b']);
    expect((await page('RECENT', recent.pageInfo.endCursor)).edges.map((e: any) => e.node.title)).toEqual(['a']);
    const popular = await page('POPULAR');
    expect(popular.edges.map((e: any) => e.node.title)).toEqual(['b', 'a']);
    expect(popular.pageInfo.hasNextPage).toBe(true);
    expect((await page('POPULAR', popular.pageInfo.endCursor)).edges.map((e: any) => e.node.title)).toEqual(['c']);
  });

  it('counts a view once per viewer per hour, by user or by IP, never the owner', async () => {
    const owner = await createUser(api);
    const id = await makeResume(owner.user.id);
    await setVisibility(id, 'UNLISTED', owner.token);
    const viewer = await createUser(api);
    await api.gqlOk(RESUME, { id }, owner.token);
    expect((await api.gqlOk(RESUME, { id }, viewer.token)).resume.viewCount).toBe(1);
    expect((await api.gqlOk(RESUME, { id }, viewer.token)).resume.viewCount).toBe(1);
    expect((await api.gqlOk(RESUME, { id })).resume.viewCount).toBe(2); // anonymous, by IP
    expect((await api.gqlOk(RESUME, { id })).resume.viewCount).toBe(2);
    const other = await createUser(api);
    expect((await api.gqlOk(RESUME, { id }, other.token)).resume.viewCount).toBe(3);
    expect((await api.gqlOk(RESUME, { id }, owner.token)).resume.viewCount).toBe(3);
  });

  it('validates updates against the JSON Resume schema, keeps every version and restores as a new one', async () => {
    const owner = await createUser(api);
    const id = await makeResume(owner.user.id);
    const UPDATE =
      'mutation($id: ID!, $t: String, $c: JSON) { updateResume(id: $id, title: $t, content: $c) { version title content generatedBy } }';

    const bad = await api.gql(
      UPDATE,
      {
        id,
        c: {
          basics: { email: 'not-an-email', url: 'nope' },
          work: [{ name: 'X', startDate: '2024-13-99x', highlights: 'one' }],
          skills: {},
        },
      },
      owner.token,
    );
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions!.fields).toEqual({
      'content.basics.email': ['must be an email address'],
      'content.basics.url': ['must be a URL'],
      'content.work[0].startDate': ['must be a date as YYYY, YYYY-MM or YYYY-MM-DD'],
      'content.work[0].highlights': ['must be an array of strings'],
      'content.skills': ['must be an array'],
    });

    const v2 = (await api.gqlOk(UPDATE, { id, c: doc('Kim Haneul') }, owner.token)).updateResume;
    expect(v2).toMatchObject({ version: 2, generatedBy: 'user' });
    const v3 = (await api.gqlOk(UPDATE, { id, t: 'Renamed' }, owner.token)).updateResume;
    expect(v3).toMatchObject({ version: 3, title: 'Renamed' });
    expect(v3.content.basics.name).toBe('Kim Haneul');

    const restored = (
      await api.gqlOk(
        'mutation($id: ID!) { restoreResumeVersion(id: $id, version: 1) { version title content generatedBy } }',
        { id },
        owner.token,
      )
    ).restoreResumeVersion;
    expect(restored).toMatchObject({ version: 4, title: 'My resume', generatedBy: 'restore:1' });
    expect(restored.content.basics.name).toBe('Haneul Kim');
    const versions = (await api.gqlOk(RESUME, { id }, owner.token)).resume.versions;
    expect(versions.map((v: any) => v.version)).toEqual([4, 3, 2, 1]);
    expect(codeOf(await api.gql('mutation($id: ID!) { restoreResumeVersion(id: $id, version: 9) { version } }', { id }, owner.token))).toBe(
      'BAD_USER_INPUT',
    );

    const other = await createUser(api);
    expect(codeOf(await api.gql(UPDATE, { id, t: 'x' }, other.token))).toBe('NOT_FOUND');
    const mine = (await api.gqlOk('{ myResumes(first: 5) { edges { node { id version } } } }', undefined, owner.token)).myResumes.edges;
    expect(mine).toEqual([{ node: { id, version: 4 } }]);
  });

  it('takes likes, dislikes and comments through the community modules, with the same visibility rules', async () => {
    const owner = await createUser(api);
    const fan = await createUser(api);
    const id = await makeResume(owner.user.id);
    const VOTE = 'mutation($id: ID!, $v: VoteValue!) { vote(targetId: $id, value: $v) { likeCount dislikeCount myVote } }';
    const COMMENT = 'mutation($id: ID!, $b: String!) { addComment(targetId: $id, body: $b) { id } }';
    const SOCIAL = 'query($id: ID!) { resume(id: $id) { likeCount dislikeCount myVote commentCount viewCount } }';

    // private: others cannot see it, so they cannot vote or comment either
    expect(codeOf(await api.gql(VOTE, { id, v: 'LIKE' }, fan.token))).toBe('NOT_FOUND');
    expect(codeOf(await api.gql(COMMENT, { id, b: 'nice' }, fan.token))).toBe('NOT_FOUND');

    await setVisibility(id, 'UNLISTED', owner.token);
    expect((await api.gqlOk(VOTE, { id, v: 'LIKE' }, fan.token)).vote).toEqual({ likeCount: 1, dislikeCount: 0, myVote: 'LIKE' });
    await api.gqlOk(VOTE, { id, v: 'DISLIKE' }, owner.token);
    await api.gqlOk(COMMENT, { id, b: 'Great projects section' }, fan.token);
    expect((await api.gqlOk(SOCIAL, { id }, fan.token)).resume).toEqual({
      likeCount: 1,
      dislikeCount: 1,
      myVote: 'LIKE',
      commentCount: 1,
      viewCount: 1,
    });
    expect((await api.gqlOk(SOCIAL, { id })).resume).toMatchObject({ myVote: null, commentCount: 1 });
    const comments = await api.gqlOk('query($id: ID!) { comments(targetId: $id) { edges { node { body } } } }', { id });
    expect(comments.comments.edges.map((e: any) => e.node.body)).toEqual(['Great projects section']);

    // deleting the resume removes its comments and votes
    await api.gqlOk('mutation($id: ID!) { deleteResume(id: $id) }', { id }, owner.token);
    const conn = api.infra.orm.em.getConnection();
    expect(await conn.execute("select count(*) as n from comments where target_type = 'Resume'")).toEqual([{ n: 0 }]);
    expect(await conn.execute("select count(*) as n from votes where target_type = 'Resume'")).toEqual([{ n: 0 }]);
  });

  it('exports JSON Resume and Markdown with the same access rules', async () => {
    const owner = await createUser(api);
    const id = await makeResume(owner.user.id);
    const base = api.url.replace('/graphql', '');
    const get = (format: string, token?: string) =>
      fetch(`${base}/resumes/${id}/export.${format}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    expect((await get('json')).status).toBe(404);
    const mine = await get('json', owner.token);
    expect(mine.status).toBe(200);
    const json: any = await mine.json();
    expect(json.basics.name).toBe('Haneul Kim');
    expect(JSON.stringify(json)).not.toContain('x-evidence');

    await setVisibility(id, 'UNLISTED', owner.token);
    const md = await get('md');
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
    const text = await md.text();
    expect(text).toMatch(/^# Haneul Kim/);
    expect(text).toContain('### commit-lens (2025-09 – present)');
    expect(text).toContain('- Built it');
    expect((await fetch(`${base}/resumes/garbage/export.md`)).status).toBe(404);
    expect((await get('json', 'bad-token')).status).toBe(401);
    expect((await gql(api.url, RESUME, { id })).data.resume.viewCount).toBe(1); // exports are not views; this query is
  });
});
