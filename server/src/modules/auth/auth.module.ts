import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import type { UserService } from '../users/user.service.js';
import { createAccessTokens } from './access-token.js';
import { AuthResolver } from './auth.resolver.js';
import { AuthService } from './auth.service.js';
import { KakaoClient } from './kakao.client.js';
import { KakaoStateStore } from './kakao-state.store.js';
import { KakaoAuthService } from './kakao.service.js';
import { LoginLimiter } from './login-limiter.js';
import { Passwords } from './passwords.js';
import { RefreshToken } from './refresh-token.entity.js';

export const AUTH_ENTITIES = [RefreshToken];

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const AUTH_RESOLVERS = [AuthResolver];

/** Sign-up, log-in (password and Kakao), access tokens and rotating refresh tokens. */
export function createAuthModule(deps: { infra: Infra; users: UserService }) {
  const { infra, users } = deps;
  const tokens = createAccessTokens(infra.config);
  const auth = new AuthService(
    infra,
    tokens,
    users,
    new Passwords(infra.config.BCRYPT_COST),
    new LoginLimiter(infra.redis.client, infra.config),
  );
  const kakaoClient = new KakaoClient(infra.config, infra.logger);
  const kakao = new KakaoAuthService(infra, kakaoClient, users, auth, new KakaoStateStore(infra.redis.client));
  return { tokens, auth, kakao, resolvers: [new AuthResolver(auth, kakao)] } satisfies ModuleParts & Record<string, unknown>;
}
