import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/mysql';
import { Context, type AuthUser } from '../../app/graphql/context.js';
import type { Infra } from '../../app/infra.js';
import { RedisLocks } from '../../app/redis-lock.js';
import type { AuthService } from '../auth/auth.service.js';
import type { ChatService } from '../chat/chat.service.js';
import type { MissionService } from '../missions/mission.service.js';
import type { PostService } from '../posts/post.service.js';
import type { ResumeService } from '../resumes/resume.service.js';
import { ChatRoom } from '../chat/chat.entity.js';
import { VerificationKind } from '../missions/mission.entity.js';
import { PostTopic } from '../posts/post.entity.js';
import { Visibility } from '../resumes/resume.entity.js';
import { Province } from '../geo/province.js';
import { User } from '../users/user.entity.js';

export interface DemoAccount {
  email: string;
  nickname: string;
  password: string;
}

const LOCK_KEY = 'demo:seed-lock';
const LOCK_TTL_MS = 120_000;
const SEOUL_CITY_HALL = { latitude: 37.5663, longitude: 126.9779 };

const DEMO_RESUME = {
  basics: {
    name: '김하늘',
    label: '백엔드 개발자',
    summary: 'TypeScript와 Node.js로 실시간 서비스를 만듭니다. 날씨 데이터와 지도를 좋아합니다. (데모 이력서)',
  },
  work: [
    {
      name: 'WeatherWise',
      position: '백엔드 개발자',
      startDate: '2024-03',
      highlights: ['GraphQL 구독으로 실시간 알림 구현', 'Redis 기반 선착순 보상 설계'],
    },
  ],
  projects: [
    { name: 'kma-client', description: '기상청 API를 감싼 TypeScript 클라이언트', highlights: ['재시도와 캐시', '응답 형식 검증'] },
  ],
  skills: [{ name: '언어', keywords: ['TypeScript', 'SQL'] }],
};

/** What the demo writes through: the modules' own services, so it obeys their rules. */
export interface DemoDeps {
  infra: Infra;
  auth: AuthService;
  posts: PostService;
  chat: ChatService;
  missions: MissionService;
  resumes: ResumeService;
}

/**
 * A small living demo for a newcomer's first start: two accounts (random passwords, returned for printing, never
 * fixed in code), posts around Seoul City Hall, an open mission there, a Seoul alert room with a few messages and a
 * public resume. Only outside production, with DEMO_SEED on, on a database without users; one instance seeds (a
 * Redis lock). Returns null when nothing was done. Each part after the accounts is best effort (logged, skipped).
 */
export async function seedDemo(services: DemoDeps): Promise<DemoAccount[] | null> {
  const { infra } = services;
  const { config, logger } = infra;
  if (config.isProduction || !config.DEMO_SEED) return null;
  const lock = await new RedisLocks(infra.redis.client).tryAcquire([LOCK_KEY], LOCK_TTL_MS);
  if (!lock.held.length) return null;
  try {
    const em = infra.orm.em.fork();
    if ((await em.count(User, {})) > 0) return null;
    const ctx = (user: AuthUser | null) => new Context(infra.orm, { requestId: 'demo-seed', user, ip: '127.0.0.1', transport: 'http' });
    const accounts: DemoAccount[] = [
      { email: 'haneul@demo.weatherwise.local', nickname: '하늘_데모', password: randomBytes(9).toString('base64url') },
      { email: 'baram@demo.weatherwise.local', nickname: '바람_데모', password: randomBytes(9).toString('base64url') },
    ];
    const users: User[] = [];
    for (const a of accounts) users.push((await services.auth.signUp(ctx(null), a)).user);
    const now = Date.now();
    const part = async (name: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        logger.warn({ err, part: name }, 'demo seed: part skipped');
      }
    };
    const as = (i: number) => ctx({ id: users[i].id, role: 'USER' });
    await part('posts', () => seedPosts(services.posts, as));
    await part('alert room', () => seedAlertRoom(services.chat, em, users, new Date(now)));
    await services.missions.create(ctx({ id: users[0].id, role: 'ADMIN' }), {
      title: '서울시청 광장 산책',
      description: '서울시청 앞 광장(반경 500m)에 가서 위치를 인증하면 100점을 드립니다. (데모 미션)',
      startsAt: new Date(now - 60_000),
      endsAt: new Date(now + 30 * 86_400_000),
      rewardPoints: 100,
      capacity: 50,
      verification: { kind: VerificationKind.LOCATION, ...SEOUL_CITY_HALL, radiusMeters: 500 },
    } as Parameters<MissionService['create']>[1]);
    const resume = await services.resumes.create(em, {
      ownerId: users[0].id,
      title: '김하늘 - 백엔드 개발자',
      content: DEMO_RESUME,
      generatedBy: 'template',
      evidence: null,
      githubUsername: null,
    });
    resume.visibility = Visibility.PUBLIC;
    await em.flush();
    logger.info({ accounts: accounts.map((a) => a.email) }, 'demo data seeded');
    return accounts;
  } finally {
    await lock.release();
  }
}

async function seedPosts(posts: PostService, as: (user: number) => Context): Promise<void> {
  const rows: [number, string, string, PostTopic, number, number][] = [
    [0, '시청 앞 소나기', '갑자기 소나기가 내려요. 우산 챙기세요! (데모 글)', PostTopic.WEATHER, 37.5663, 126.9779],
    [1, '덕수궁 돌담길 산책', '돌담길에 단풍이 예뻐요. 바람은 조금 찹니다. (데모 글)', PostTopic.DAILY, 37.5658, 126.9751],
    [0, '세종대로 정체', '광화문 방향 차가 많이 막혀요. (데모 글)', PostTopic.TRAFFIC, 37.57, 126.9769],
  ];
  for (const [who, title, body, topic, latitude, longitude] of rows)
    await posts.create(as(who), { title, body, topic, latitude, longitude });
}

/** Opens Seoul's room as a warning would, with a few messages. */
async function seedAlertRoom(chat: ChatService, em: EntityManager, users: User[], now: Date): Promise<void> {
  const at = now.toISOString();
  const card = {
    updatedAt: at,
    alerts: [{ kind: 'HEAT_WAVE', level: 'ADVISORY', zones: ['서울동북권 (데모)'], issuedAt: at, startsAt: at }],
  };
  await chat.syncRooms(new Map([[Province.SEOUL, card]]), now);
  const room = await em.findOneOrFail(ChatRoom, { province: Province.SEOUL });
  for (const [who, body] of [
    [0, '서울에 폭염주의보가 내려졌어요. (데모)'],
    [1, '물 자주 드시고 그늘에서 쉬세요!'],
    [0, '오후 2~5시에는 바깥 활동을 줄이는 게 좋겠어요.'],
  ] as const)
    await chat.send(users[who].id, room.id, body, null);
}

/** The lines `npm start` shows for the demo accounts. */
export function describeDemo(accounts: DemoAccount[]): string {
  return [
    'Demo data created (DEMO_SEED=false turns this off). Demo accounts:',
    ...accounts.map((a) => `  ${a.email}  password: ${a.password}  (${a.nickname})`),
    '',
  ].join('\n');
}
