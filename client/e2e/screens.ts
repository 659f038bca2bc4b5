// A lived-in stack for the screen checks (axe, screenshots, Lighthouse): people, posts, comments and likes near
// City Hall, a KMA warning (stub) that opened the Seoul room with messages, missions (one completed), a public
// résumé drafted from the GitHub stub, and notifications. Seeded through the public GraphQL API only.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Stack } from './stack';
import { kmaWarning } from './stubs';

export interface Account {
  email: string;
  password: string;
  nickname: string;
  /** The AuthPayload the app keeps in localStorage (`ww.session`). */
  session: Record<string, unknown>;
}

export interface Seed {
  alice: Account;
  bob: Account;
  admin: Account;
  postId: string;
  roomId: string;
  missionId: string;
  resumeId: string;
}

async function gql<T = Record<string, any>>(
  stack: Stack,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const res = await fetch(`${stack.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

const SESSION = 'accessToken refreshToken accessTokenExpiresAt user { id nickname email role points homeProvince createdAt }';

async function account(stack: Stack, email: string, nickname: string): Promise<Account> {
  const password = 'correct-horse-battery';
  const d = await gql(stack, `mutation($i: SignUpInput!) { signUp(input: $i) { ${SESSION} } }`, { i: { email, password, nickname } });
  return { email, password, nickname, session: d.signUp };
}

const token = (a: Account) => a.session.accessToken as string;

export async function seed(stack: Stack): Promise<Seed> {
  const admin = await account(stack, 'admin@e2e.test', '관리자');
  const alice = await account(stack, 'alice@e2e.test', '비구름');
  const bob = await account(stack, 'bob@e2e.test', '햇살가득');
  const post = (a: Account, title: string, body: string, topic: string, latitude: number, longitude: number) =>
    gql(
      stack,
      'mutation($i: CreatePostInput!) { createPost(input: $i) { id } }',
      { i: { title, body, topic, latitude, longitude } },
      token(a),
    );
  await post(bob, '덕수궁 돌담길 맑음', '바람이 선선해서 걷기 좋아요. 돌담길 은행잎이 노랗게 물들었어요.', 'DAILY', 37.5658, 126.9752);
  await post(admin, '시청역 3번 출구 공사 중', '출구 앞 보도 공사로 우회해야 해요. 엘리베이터는 운행합니다.', 'TRAFFIC', 37.5657, 126.977);
  const { createPost } = await post(
    alice,
    '시청 앞 소나기',
    '갑자기 소나기가 쏟아지네요. 우산 챙기세요! 10분 정도면 그칠 것 같아요.',
    'WEATHER',
    37.5663,
    126.9779,
  );
  const postId = createPost.id as string;
  await gql(stack, 'mutation($t: ID!) { vote(targetId: $t, value: LIKE) { likeCount } }', { t: postId }, token(bob));
  await gql(stack, 'mutation($t: ID!) { vote(targetId: $t, value: LIKE) { likeCount } }', { t: postId }, token(admin));
  await gql(
    stack,
    'mutation($t: ID!, $b: String!) { addComment(targetId: $t, body: $b) { id } }',
    { t: postId, b: '저도 방금 맞았어요 ☔' },
    token(bob),
  );
  await gql(
    stack,
    'mutation($t: ID!, $b: String!) { addComment(targetId: $t, body: $b) { id } }',
    { t: postId, b: '을지로 쪽은 아직 괜찮아요.' },
    token(admin),
  );

  // KMA (stub) reports a heat-wave warning for Seoul and a strong-wind advisory for Jeju; one poll opens the rooms.
  stack.stubs.state.kmaWarnings = [
    kmaWarning({ areaCode: 'L1100200', areaName: '서울동북권', warnVar: 12, warnStress: 1 }),
    kmaWarning({ areaCode: 'L1090000', areaName: '제주도북부', warnVar: 1, warnStress: 0, tmSeq: 2 }),
  ];
  await gql(stack, 'mutation { pollWeatherAlertsNow { roomsOpened } }', {}, token(admin));
  const rooms = await gql(stack, '{ chatRooms(status: OPEN) { id province } }');
  const roomId = (rooms.chatRooms as { id: string; province: string }[]).find((r) => r.province === 'SEOUL')!.id;
  for (const [who, body] of [
    [bob, '밖에 정말 덥네요. 다들 물 많이 드세요!'],
    [alice, '광화문 쪽은 그늘이 거의 없어요.'],
    [bob, '시청 지하상가가 시원해요 😄'],
  ] as const) {
    await gql(stack, 'mutation($r: ID!, $b: String!) { sendMessage(roomId: $r, body: $b) { id } }', { r: roomId, b: body }, token(who));
  }

  const now = Date.now();
  const mission = (title: string, description: string, verification: Record<string, unknown>, capacity: number | null) =>
    gql(
      stack,
      'mutation($i: CreateMissionInput!) { createMission(input: $i) { id } }',
      {
        i: {
          title,
          description,
          startsAt: new Date(now - 3600_000).toISOString(),
          endsAt: new Date(now + 7 * 86_400_000).toISOString(),
          rewardPoints: 100,
          capacity,
          verification,
        },
      },
      token(admin),
    );
  const walk = await mission(
    '시청 앞 광장 걷기',
    '서울광장에 가서 위치를 인증하세요. 선착순 30명에게 100점!',
    { kind: 'LOCATION', latitude: 37.5663, longitude: 126.9779, radiusMeters: 500 },
    30,
  );
  const missionId = walk.createMission.id as string;
  await mission('오늘의 암호', '동네 게시판에 붙은 암호를 입력하세요.', { kind: 'CODE', code: 'HANEUL' }, null);
  const attempt = await gql(stack, 'mutation($m: ID!) { startMission(missionId: $m) { id } }', { m: missionId }, token(alice));
  await gql(
    stack,
    'mutation($a: ID!, $p: MissionProofInput!) { submitMissionProof(attemptId: $a, proof: $p) { status } }',
    { a: attempt.startMission.id, p: { latitude: 37.5664, longitude: 126.978 } },
    token(alice),
  );

  const job = await gql(
    stack,
    'mutation($i: GenerateResumeInput!) { generateResume(input: $i) { id } }',
    { i: { githubUsername: 'haneul-dev', targetRole: '백엔드 개발자', language: 'KO' } },
    token(alice),
  );
  let resumeId = '';
  for (let i = 0; i < 120 && !resumeId; i++) {
    const d = await gql(
      stack,
      'query($id: ID!) { resumeJob(id: $id) { status resume { id } } }',
      { id: job.generateResume.id },
      token(alice),
    );
    if (d.resumeJob.status === 'FAILED') throw new Error('the seed résumé job failed');
    resumeId = d.resumeJob.resume?.id ?? '';
    if (!resumeId) await new Promise((r) => setTimeout(r, 250));
  }
  await gql(stack, 'mutation($id: ID!) { setResumeVisibility(id: $id, visibility: PUBLIC) { id } }', { id: resumeId }, token(alice));
  return { alice, bob, admin, postId, roomId, missionId, resumeId };
}

export interface Screen {
  name: string;
  path: string;
  as: 'alice' | 'admin' | null;
}

/** Every screen of the app, as the person who would see it. */
export function screens(s: Seed): Screen[] {
  const id = encodeURIComponent;
  return [
    { name: 'home', path: '/', as: 'alice' },
    { name: 'home-anonymous', path: '/', as: null },
    { name: 'post', path: `/posts/${id(s.postId)}`, as: 'alice' },
    { name: 'weather', path: '/weather', as: 'alice' },
    { name: 'chat', path: `/weather/rooms/${id(s.roomId)}`, as: 'alice' },
    { name: 'chat-anonymous', path: `/weather/rooms/${id(s.roomId)}`, as: null },
    { name: 'missions', path: '/missions', as: 'alice' },
    { name: 'mission', path: `/missions/${id(s.missionId)}`, as: 'alice' },
    { name: 'mission-new', path: '/missions/new', as: 'admin' },
    { name: 'mission-review', path: '/missions/review', as: 'admin' },
    { name: 'resumes', path: '/resumes', as: 'alice' },
    { name: 'resume', path: `/resumes/${id(s.resumeId)}`, as: 'alice' },
    { name: 'notifications', path: '/notifications', as: 'alice' },
    { name: 'profile', path: '/profile', as: 'alice' },
    { name: 'status', path: '/status', as: 'admin' },
    { name: 'login', path: '/login', as: null },
    { name: 'signup', path: '/signup', as: null },
    { name: 'not-found', path: '/no/such/page', as: null },
  ];
}

export const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

/** A browser profile signed in as `who` (or anonymous), reading in `lang`. */
export async function contextFor(
  browser: Browser,
  stack: Stack,
  seedData: Seed,
  who: Screen['as'],
  lang: 'ko' | 'en',
  size: keyof typeof SIZES,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: stack.baseUrl,
    locale: lang === 'ko' ? 'ko-KR' : 'en-US',
    timezoneId: 'Asia/Seoul',
    viewport: SIZES[size],
    deviceScaleFactor: 1,
    geolocation: { latitude: 37.5663, longitude: 126.9779 },
    permissions: ['geolocation'],
  });
  context.setDefaultTimeout(15_000);
  const session = who ? JSON.stringify(seedData[who].session) : null;
  await context.addInitScript(
    ([s, l]) => {
      if (s && !sessionStorage.getItem('ww.seeded')) {
        localStorage.setItem('ww.session', s);
        sessionStorage.setItem('ww.seeded', '1');
      }
      localStorage.setItem('ww.lang', l!);
    },
    [session, lang],
  );
  return context;
}

/** Opens a screen and waits until its data is on it (no skeleton, the network quiet). */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page
    .locator('.skeleton')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
}
