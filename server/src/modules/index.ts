import type { Route } from '../app/http.js';
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

/** Every MikroORM entity. */
export const entities = [User, RefreshToken];

/** Every type-graphql resolver class; instances come from `createServices` through the container. */
export const resolvers = [SystemResolver, UserResolver, AuthResolver] as const;

/** Builds every service of a process once, explicitly (no DI container). */
export function createServices(infra: Infra) {
  const nodes = new NodeRegistry();
  const tokens = createAccessTokens(infra.config);
  const system = new SystemService(infra);
  const users = new UserService(infra, nodes /* , a ReverseGeocoder (Kakao Local) once one exists */);
  const auth = new AuthService(infra, tokens, users, new Passwords(infra.config.BCRYPT_COST), new LoginLimiter(infra.redis.client, infra.config));
  const kakao = new KakaoAuthService(infra, new KakaoClient(infra.config, infra.logger), users, auth);
  return { infra, nodes, tokens, system, users, auth, kakao };
}

export type Services = ReturnType<typeof createServices>;

/** Plain HTTP routes beside /graphql (uploads, exports...). */
export function createRoutes(services: Services): Route[] {
  return [...graphiqlRoutes(services.infra.config)];
}

/** Every job the worker runs. */
export const jobs = [heartbeatJob];
