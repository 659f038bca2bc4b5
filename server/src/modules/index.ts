import type { EventConsumer } from '../app/events.js';
import type { Route } from '../app/http/request.js';
import { NodeRegistry } from '../app/graphql/nodes.js';
import type { Infra } from '../app/infra.js';
import type { ModuleParts } from '../app/module.js';
import { IdempotencyKeys } from '../app/idempotency/idempotency.js';
import type { EventRecorder } from '../app/outbox/outbox.js';
import type { JobDefinition } from '../app/queue/jobs.js';
import { createAiModule } from './ai/ai.module.js';
import { AUTH_ENTITIES, AUTH_RESOLVERS, createAuthModule } from './auth/auth.module.js';
import { CHAT_ENTITIES, CHAT_RESOLVERS, createChatModule } from './chat/chat.module.js';
import { createEngagementModule, ENGAGEMENT_ENTITIES, ENGAGEMENT_RESOLVERS } from './engagement/engagement.module.js';
import { createGeoModule } from './geo/geo.module.js';
import { createGithubModule } from './github/github.module.js';
import { createMissionsModule, MISSIONS_ENTITIES, MISSIONS_RESOLVERS } from './missions/missions.module.js';
import { createNotificationsModule, NOTIFICATIONS_ENTITIES, NOTIFICATIONS_RESOLVERS } from './notifications/notifications.module.js';
import { createPostsModule, POSTS_ENTITIES, POSTS_RESOLVERS } from './posts/posts.module.js';
import { createResumesModule, RESUMES_ENTITIES, RESUMES_RESOLVERS } from './resumes/resumes.module.js';
import { createSystemModule, SYSTEM_RESOLVERS } from './system/system.module.js';
import { createUploadsModule, UPLOADS_ENTITIES } from './uploads/uploads.module.js';
import { createUsersModule, USERS_ENTITIES, USERS_RESOLVERS } from './users/users.module.js';
import { createViewsModule } from './views/views.module.js';
import { createWeatherModule, WEATHER_ENTITIES, WEATHER_RESOLVERS } from './weather/weather.module.js';
import { createWebModule } from './web/web.module.js';

/** Every MikroORM entity (the ORM needs them before any module is built). */
export const ENTITIES = [
  ...USERS_ENTITIES,
  ...AUTH_ENTITIES,
  ...UPLOADS_ENTITIES,
  ...ENGAGEMENT_ENTITIES,
  ...POSTS_ENTITIES,
  ...RESUMES_ENTITIES,
  ...WEATHER_ENTITIES,
  ...CHAT_ENTITIES,
  ...MISSIONS_ENTITIES,
  ...NOTIFICATIONS_ENTITIES,
];

/** Every resolver class, for the schema; `createModules` supplies one instance of each. */
export const RESOLVERS: Function[] = [
  ...SYSTEM_RESOLVERS,
  ...USERS_RESOLVERS,
  ...AUTH_RESOLVERS,
  ...ENGAGEMENT_RESOLVERS,
  ...POSTS_RESOLVERS,
  ...RESUMES_RESOLVERS,
  ...WEATHER_RESOLVERS,
  ...CHAT_RESOLVERS,
  ...MISSIONS_RESOLVERS,
  ...NOTIFICATIONS_RESOLVERS,
];

/**
 * Builds every module once, in dependency order, each with exactly what it uses: the one place where modules meet.
 * Both composition roots (API and worker) call it and take the parts their process needs.
 */
export function createModules(infra: Infra, events: EventRecorder) {
  const nodes = new NodeRegistry();
  const keys = new IdempotencyKeys(() => infra.orm.em.getConnection().getKnex());
  const geo = createGeoModule(infra);
  const system = createSystemModule({ infra, nodes });
  const users = createUsersModule({ infra, nodes, geocoder: geo.geocoder });
  const auth = createAuthModule({ infra, users: users.users });
  const authenticate = (authorization: string | null | undefined) => auth.tokens.authenticate(authorization);
  const uploads = createUploadsModule({ infra, authenticate });
  const views = createViewsModule({ infra });
  const engagement = createEngagementModule({ infra, nodes, events, keys });
  const posts = createPostsModule({ infra, nodes, engagement, views: views.views, keys });
  const ai = createAiModule(infra);
  const github = createGithubModule({ infra });
  const resumes = createResumesModule({
    infra,
    nodes,
    events,
    engagement,
    views: views.views,
    users: users.users,
    ai: ai.ai,
    github: github.github,
    authenticate,
    keys,
  });
  const weather = createWeatherModule({ infra, nodes, events });
  const chat = createChatModule({ infra, nodes, weather: weather.weather });
  const missions = createMissionsModule({
    infra,
    nodes,
    events,
    uploads: uploads.uploads,
    users: users.users,
    // WEATHER proofs need only these readings of the current weather.
    weather: {
      observe: async (latitude, longitude) => {
        const o = await weather.currentWeather.observe(latitude, longitude);
        return {
          temperatureC: o.temperatureC,
          precipitationType: o.precipitationType,
          rainfallMm: o.precipitationMm1h,
          observedAt: o.observedAt,
        };
      },
    },
  });
  const notifications = createNotificationsModule({
    infra,
    nodes,
    residents: (province, afterId, limit) => users.users.idsInProvince(infra.orm.em.fork(), province, afterId, limit),
  });
  const web = createWebModule({ config: infra.config });
  return {
    nodes,
    authenticate,
    system,
    users,
    auth,
    uploads,
    views,
    engagement,
    posts,
    resumes,
    weather,
    chat,
    missions,
    notifications,
    web,
  };
}

export type Modules = ReturnType<typeof createModules>;

/** The parts of every module, for the composition roots. */
export function partsOf(modules: Modules) {
  const parts = (Object.values(modules) as unknown[]).filter(
    (m): m is ModuleParts => typeof m === 'object' && m !== null && !(m instanceof NodeRegistry),
  );
  const resolvers = parts.flatMap((p) => p.resolvers ?? []);
  const classes = new Set(resolvers.map((r) => r.constructor));
  const unmatched = [...RESOLVERS.filter((c) => !classes.has(c)), ...[...classes].filter((c) => !RESOLVERS.includes(c))];
  if (unmatched.length) throw new Error(`resolver classes and instances differ: ${unmatched.map((c) => c.name).join(', ')}`);
  return {
    resolvers,
    routes: parts.flatMap((p): readonly Route[] => p.routes ?? []),
    jobs: parts.flatMap((p): readonly JobDefinition<any, any>[] => p.jobs ?? []),
    consumers: parts.flatMap((p): readonly EventConsumer[] => p.consumers ?? []),
    close: async () => {
      await Promise.all(parts.map((p) => p.close?.()));
    },
  };
}
