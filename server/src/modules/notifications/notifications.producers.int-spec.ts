import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { UserRole } from '../users/user.entity';
import { startGithubStub, type GithubStub } from '../../../test/stubs/github-stub';
import { startKmaStub, type KmaStub } from '../../../test/stubs/kma-stub';
import { testConfig } from '../../../test/test-config';
import { subscribe, wsClient, type Subscription } from '../../../test/ws-client';
import { QueueName } from '../../app/queue/queues';
import { startWorker } from '../../main.worker';

// Each kind end to end: the producing mutation (or job) -> a BullMQ job -> the worker's row -> notificationAdded.
const SUB = 'subscription { notificationAdded { id kind count actor { nickname } target { id } } }';
const LIST = '{ notifications { edges { node { id kind count actor { nickname } target { id } } } } }';
const CREATE_POST = 'mutation($input: CreatePostInput!) { createPost(input: $input) { id } }';
const ADD_COMMENT = 'mutation($t: ID!, $b: String!, $p: ID) { addComment(targetId: $t, body: $b, parentId: $p) { id } }';
const VOTE = 'mutation($t: ID!, $v: VoteValue!) { vote(targetId: $t, value: $v) { likeCount } }';
const CREATE_MISSION = 'mutation($input: CreateMissionInput!) { createMission(input: $input) { id } }';
const START_MISSION = 'mutation($id: ID!) { startMission(missionId: $id) { id } }';
const SUBMIT_PROOF = 'mutation($a: ID!, $p: MissionProofInput!) { submitMissionProof(attemptId: $a, proof: $p) { id status } }';
const REVIEW = 'mutation($id: ID!) { reviewMissionSubmission(id: $id, approve: false, reason: "Blurry") { status } }';
// The smallest PNG the upload route accepts (its type is checked by content).
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

describe('notification producers, end to end', () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let kma: KmaStub;
  let github: GithubStub;
  const open: { sub: Subscription<any>; dispose(): Promise<void> }[] = [];

  beforeAll(async () => {
    kma = await startKmaStub();
    github = await startGithubStub();
    const overrides = {
      KMA_BASE_URL: kma.url,
      KMA_SERVICE_KEY: 'test-key',
      GITHUB_API_URL: github.url,
      LLM_PROVIDER: 'none',
      UPLOAD_DIR: mkdtempSync(join(tmpdir(), 'ww-notify-')),
    };
    api = await startTestApi(overrides);
    worker = await startWorker(testConfig(overrides));
  });
  afterAll(async () => {
    await worker.stop();
    await api.stop();
    await kma.close();
    await github.close();
  });
  beforeEach(() => api.reset());
  afterEach(async () => {
    for (const s of open.splice(0)) {
      s.sub.close();
      await s.dispose();
    }
  });

  async function listen(token: string): Promise<Subscription<any>> {
    const client = wsClient(api.url, token);
    const sub = await subscribe(client, SUB);
    open.push({ sub, dispose: async () => void (await client.dispose()) });
    return sub;
  }

  async function drained(): Promise<void> {
    const queue = api.infra.queues.get(QueueName.EVENTS);
    const knex = api.infra.orm.em.getConnection().getKnex();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [[{ n: unsent }]] = await knex.raw('select count(*) as n from outbox_events where sent_at is null');
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Number(unsent) === 0 && Object.values(c).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error('notifications queue did not drain');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const post = async (token: string) =>
    (
      await api.gqlOk(
        CREATE_POST,
        { input: { title: 'Rain?', body: 'Is it raining in Jung-gu?', latitude: 37.5665, longitude: 126.978 } },
        token,
      )
    ).createPost.id as string;
  const comment = async (token: string, target: string, parent?: string) =>
    (await api.gqlOk(ADD_COMMENT, { t: target, b: 'Yes, bring an umbrella', p: parent ?? null }, token)).addComment.id as string;

  it('a comment on your post notifies you (COMMENT, target: the comment); your own comment does not', async () => {
    const author = await createUser(api);
    const reader = await createUser(api);
    const postId = await post(author.token);
    const sub = await listen(author.token);
    await comment(author.token, postId);
    const commentId = await comment(reader.token, postId);
    expect((await sub.nth(1)).notificationAdded).toMatchObject({
      kind: 'COMMENT',
      count: 1,
      actor: { nickname: reader.user.nickname },
      target: { id: commentId },
    });
    await drained();
    expect((await api.gqlOk(LIST, {}, author.token)).notifications.edges).toHaveLength(1);
  });

  it('a reply notifies the parent comment’s author (REPLY) and the post author (COMMENT)', async () => {
    const author = await createUser(api);
    const first = await createUser(api);
    const replier = await createUser(api);
    const postId = await post(author.token);
    const parent = await comment(first.token, postId);
    const sub = await listen(first.token);
    const reply = await comment(replier.token, postId, parent);
    expect((await sub.nth(1)).notificationAdded).toMatchObject({
      kind: 'REPLY',
      actor: { nickname: replier.user.nickname },
      target: { id: reply },
    });
    await drained();
    const kinds = (await api.gqlOk(LIST, {}, author.token)).notifications.edges.map((e: any) => e.node.kind);
    expect(kinds).toEqual(['COMMENT', 'COMMENT']);
    expect((await api.gqlOk(LIST, {}, first.token)).notifications.edges.map((e: any) => e.node.kind)).toEqual(['REPLY']);
  });

  it('likes notify the target owner, grouped while unread; unlike, dislike and your own like send nothing (LIKE)', async () => {
    const [author, a, b] = [await createUser(api), await createUser(api), await createUser(api)];
    const postId = await post(author.token);
    const sub = await listen(author.token);
    await api.gqlOk(VOTE, { t: postId, v: 'LIKE' }, a.token);
    expect((await sub.nth(1)).notificationAdded).toMatchObject({
      kind: 'LIKE',
      count: 1,
      actor: { nickname: a.user.nickname },
      target: { id: postId },
    });
    await api.gqlOk(VOTE, { t: postId, v: 'LIKE' }, b.token);
    expect((await sub.until((e) => e.notificationAdded.count === 2)).notificationAdded).toMatchObject({
      kind: 'LIKE',
      actor: { nickname: b.user.nickname },
    });
    await api.gqlOk(VOTE, { t: postId, v: 'NONE' }, a.token);
    await api.gqlOk(VOTE, { t: postId, v: 'DISLIKE' }, a.token);
    await api.gqlOk(VOTE, { t: postId, v: 'LIKE' }, author.token);
    await drained();
    const edges = (await api.gqlOk(LIST, {}, author.token)).notifications.edges;
    expect(edges.map((e: any) => [e.node.kind, e.node.count])).toEqual([['LIKE', 2]]);
  });

  it('a reviewed photo proof notifies its submitter (MISSION_REVIEWED)', async () => {
    const admin = await createUser(api, { role: UserRole.ADMIN });
    const member = await createUser(api);
    const now = Date.now();
    const input = {
      title: 'Rain photo',
      description: 'Show us the rain',
      startsAt: new Date(now - 3600_000),
      endsAt: new Date(now + 3600_000),
      rewardPoints: 5,
      verification: { kind: 'PHOTO' },
    };
    const missionId = (await api.gqlOk(CREATE_MISSION, { input }, admin.token)).createMission.id;
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'rain.png');
    const uploaded = await fetch(api.url.replace('/graphql', '/uploads'), {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${member.token}` },
    });
    const uploadId = ((await uploaded.json()) as { id: string }).id;
    const attemptId = (await api.gqlOk(START_MISSION, { id: missionId }, member.token)).startMission.id;
    const submission = (await api.gqlOk(SUBMIT_PROOF, { a: attemptId, p: { uploadId } }, member.token)).submitMissionProof;
    expect(submission.status).toBe('PENDING_REVIEW');
    const sub = await listen(member.token);
    await api.gqlOk(REVIEW, { id: submission.id }, admin.token);
    expect((await sub.nth(1)).notificationAdded).toMatchObject({
      kind: 'MISSION_REVIEWED',
      actor: { nickname: admin.user.nickname },
      target: { id: submission.id },
    });
  });

  it('a finished resume job notifies its owner (RESUME_READY, target: the resume)', async () => {
    const owner = await createUser(api);
    const sub = await listen(owner.token);
    const job = (
      await api.gqlOk(
        'mutation($input: GenerateResumeInput!) { generateResume(input: $input) { id } }',
        { input: { githubUsername: 'haneul-dev', targetRole: 'Backend engineer', language: 'EN' } },
        owner.token,
      )
    ).generateResume.id;
    const event = (await sub.nth(1, 30_000)).notificationAdded;
    expect(event).toMatchObject({ kind: 'RESUME_READY', actor: null });
    const done = (await api.gqlOk('query($id: ID!) { resumeJob(id: $id) { status resume { id } } }', { id: job }, owner.token)).resumeJob;
    expect(done.status).toBe('SUCCEEDED');
    expect(event.target.id).toBe(done.resume.id);
  });

  it('a new weather warning reaches the users of its province once (WEATHER_ALERT)', async () => {
    const seoul = await createUser(api, { homeProvince: 'SEOUL' });
    const jeju = await createUser(api, { homeProvince: 'JEJU' });
    const sub = await listen(seoul.token);
    await api.modules.weather.weather.poll();
    await sub.nth(1);
    await api.modules.weather.weather.poll(); // nothing new
    await drained();
    const issued = (await api.gqlOk('{ weatherAlerts(province: SEOUL) { id command cancelled } }')).weatherAlerts.filter(
      (a: any) => !a.cancelled && a.command !== 'LIFT',
    );
    const mine = (await api.gqlOk(LIST, {}, seoul.token)).notifications.edges.map((e: any) => e.node);
    expect(mine.map((n: any) => n.kind)).toEqual(issued.map(() => 'WEATHER_ALERT'));
    expect(mine.map((n: any) => n.target.id).sort()).toEqual(issued.map((a: any) => a.id).sort());
    expect((await api.gqlOk(LIST, {}, jeju.token)).notifications.edges).toHaveLength(0);
  });
});
