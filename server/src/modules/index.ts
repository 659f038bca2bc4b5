import type { Route } from '../app/http/request.js';
import type { JobDefinition } from '../app/queue/jobs.js';
import type { Infra } from '../app/infra.js';
import { NodeRegistry } from '../app/graphql/nodes.js';
import { createAccessTokens } from './auth/access-token.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { AuthService } from './auth/auth.service.js';
import { KakaoClient } from './auth/kakao.client.js';
import { KakaoAuthService } from './auth/kakao.service.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { Passwords } from './auth/passwords.js';
import { RefreshToken } from './auth/refresh-token.entity.js';
import { heartbeatJob } from './system/heartbeat.job.js';
import { SystemResolver } from './system/system.resolver.js';
import { SystemService } from './system/system.service.js';
import { User } from './users/user.entity.js';
import { UserResolver } from './users/user.resolver.js';
import { UserService } from './users/user.service.js';
import { graphiqlRoutes } from './web/graphiql.route.js';
import { AiService } from './ai/ai.service.js';
import { GithubClient } from './github/github.client.js';
import { GithubService } from './github/github.service.js';
import { Resume, ResumeVersion } from './resumes/resume.entity.js';
import { ResumeJob } from './resumes/resume-job.entity.js';
import { ResumeJobService } from './resumes/resume-job.service.js';
import { resumeExportRoutes } from './resumes/resume.export.js';
import { resumeJob, usageResetJob } from './resumes/resume.jobs.js';
import { ResumeJobResolver, ResumeResolver } from './resumes/resume.resolver.js';
import { ResumeService } from './resumes/resume.service.js';
import { UsageService } from './resumes/usage.service.js';
import { LeaderboardService } from './missions/leaderboard.service.js';
import { Mission, MissionSubmission } from './missions/mission.entity.js';
import { MissionResolver, MissionSubmissionResolver } from './missions/mission.resolver.js';
import { MissionService } from './missions/mission.service.js';
import { MissionSlots } from './missions/mission.slots.js';
import { PointsLedgerEntry } from './missions/points.entity.js';
import { Upload } from './uploads/upload.entity.js';
import { ChatMessageRow, ChatRoom } from './chat/chat.entity.js';
import { ChatMessageResolver, ChatRoomResolver } from './chat/chat.resolver.js';
import { ChatService } from './chat/chat.service.js';
import { CurrentWeatherService } from './weather/current-weather.service.js';
import { KmaClient } from './weather/kma.client.js';
import { WeatherAlert } from './weather/weather-alert.entity.js';
import { weatherPollJob } from './weather/weather.job.js';
import { ServerStatusWeatherResolver } from './weather/server-status.resolver.js';
import { WeatherResolver } from './weather/weather.resolver.js';
import { WeatherService } from './weather/weather.service.js';
import { uploadRoutes } from './uploads/upload.routes.js';
import { KakaoReverseGeocoder } from './notifications/kakao-reverse-geocoder.js';
import { Notification, NotificationEvent } from './notifications/notification.entity.js';
import { notifyJob, pruneNotificationEventsJob } from './notifications/notification.job.js';
import { NotificationResolver } from './notifications/notification.resolver.js';
import { NotificationService } from './notifications/notification.service.js';
import { UploadService } from './uploads/upload.service.js';
import { Comment } from './comments/comment.entity.js';
import { CommentResolver } from './comments/comment.resolver.js';
import { CommentService } from './comments/comment.service.js';
import { Post } from './posts/post.entity.js';
import { PostResolver } from './posts/post.resolver.js';
import { PostService } from './posts/post.service.js';
import { ViewCounter } from './views/view.service.js';
import { viewsFlushJob } from './views/views.job.js';
import { VoteResolver } from './votes/vote.resolver.js';
import { VoteService } from './votes/vote.service.js';

/** Every MikroORM entity. */
export const entities = [
  User,
  RefreshToken,
  Resume,
  ResumeVersion,
  ResumeJob,
  Mission,
  MissionSubmission,
  PointsLedgerEntry,
  Upload,
  WeatherAlert,
  ChatRoom,
  ChatMessageRow,
  Notification,
  NotificationEvent,
  Post,
  Comment,
];

/** Every type-graphql resolver class; instances come from `createServices` through the container. */
export const resolvers = [
  SystemResolver,
  UserResolver,
  AuthResolver,
  ResumeResolver,
  ResumeJobResolver,
  MissionResolver,
  MissionSubmissionResolver,
  WeatherResolver,
  ServerStatusWeatherResolver,
  ChatRoomResolver,
  ChatMessageResolver,
  NotificationResolver,
  PostResolver,
  VoteResolver,
  CommentResolver,
] as const;

/** Builds every service of a process once, explicitly (no DI container). */
export function createServices(infra: Infra) {
  const nodes = new NodeRegistry();
  const tokens = createAccessTokens(infra.config);
  const system = new SystemService(infra);
  const notifications = new NotificationService(infra, nodes);
  const users = new UserService(infra, nodes, infra.config.KAKAO_CLIENT_ID ? new KakaoReverseGeocoder(infra.config, infra.logger) : null);
  const auth = new AuthService(
    infra,
    tokens,
    users,
    new Passwords(infra.config.BCRYPT_COST),
    new LoginLimiter(infra.redis.client, infra.config),
  );
  const kakao = new KakaoAuthService(infra, new KakaoClient(infra.config, infra.logger), users, auth);
  const resumes = new ResumeService(nodes);
  const usage = new UsageService(infra);
  const github = new GithubService(new GithubClient(infra.config, infra.redis.client, infra.logger));
  const resumeJobs = new ResumeJobService(infra, resumes, usage, github, new AiService(infra.config, infra.logger));
  resumeJobs.attachNotifications(notifications);
  const uploads = new UploadService(infra);
  const kma = infra.config.KMA_SERVICE_KEY
    ? new KmaClient({
        baseUrl: infra.config.KMA_BASE_URL ?? 'https://apis.data.go.kr/1360000',
        serviceKey: infra.config.KMA_SERVICE_KEY,
        timeoutMs: infra.config.KMA_TIMEOUT_MS,
      })
    : null;
  const currentWeather = new CurrentWeatherService(infra, kma);
  const missions = new MissionService(
    infra,
    nodes,
    new MissionSlots(infra.redis.client, infra.config.MISSION_RESERVATION_LEASE_SECONDS * 1000),
    new LeaderboardService(infra.redis.client),
    {
      // The missions module only needs what WEATHER verification checks.
      observe: async (latitude, longitude) => {
        const o = await currentWeather.observe(latitude, longitude);
        return {
          temperatureC: o.temperatureC,
          precipitationType: o.precipitationType,
          rainfallMm: o.precipitationMm1h,
          observedAt: o.observedAt,
        };
      },
    },
    uploads,
    { attemptTtlSeconds: infra.config.MISSION_ATTEMPT_TTL_SECONDS },
  );
  const chat = new ChatService(infra, nodes);
  const weather = new WeatherService(infra, nodes, kma, chat);
  weather.attachNotifications(notifications);
  const views = new ViewCounter(infra);
  const votes = new VoteService(infra);
  const comments = new CommentService(nodes, votes);
  comments.attachNotifications(notifications);
  votes.attachNotifications(notifications);
  missions.attachNotifications(notifications);
  const posts = new PostService(nodes, votes, comments, views, { recentRows: infra.config.POSTS_NEAR_RECENT_ROWS });
  resumes.attachCommunity({ votes, comments, views });
  return {
    infra,
    nodes,
    tokens,
    system,
    users,
    auth,
    kakao,
    resumes,
    usage,
    github,
    resumeJobs,
    uploads,
    missions,
    chat,
    weather,
    currentWeather,
    notifications,
    views,
    votes,
    comments,
    posts,
  };
}

export type Services = ReturnType<typeof createServices>;

/** Plain HTTP routes beside /graphql (uploads, exports...). */
export function createRoutes(services: Services): Route[] {
  return [...graphiqlRoutes(services.infra.config), ...resumeExportRoutes(services), ...uploadRoutes(services)];
}

/** Every job the worker runs. */
export const jobs: JobDefinition<Services, any, any>[] = [
  heartbeatJob,
  resumeJob,
  usageResetJob,
  weatherPollJob,
  notifyJob,
  pruneNotificationEventsJob,
  viewsFlushJob,
];
