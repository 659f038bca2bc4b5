import jwt from 'jsonwebtoken';
import type { Config } from '../../app/config.js';
import { unauthenticated } from '../../app/errors.js';
import type { AuthUser, Role } from '../../app/graphql/context.js';

export interface AccessTokens {
  sign(user: AuthUser): { token: string; expiresAt: Date };
  /** Reads `Authorization: Bearer …`; null when absent, UNAUTHENTICATED when present but invalid. */
  authenticate(authorization: string | undefined | null): AuthUser | null;
}

const ROLES: readonly Role[] = ['USER', 'ADMIN'];

export function createAccessTokens(config: Pick<Config, 'JWT_SECRET' | 'ACCESS_TOKEN_TTL_SECONDS'>): AccessTokens {
  const verify = (token: string): AuthUser => {
    try {
      // Pinning the algorithm rejects `alg: none` and key-confusion tokens.
      const claims = jwt.verify(token, config.JWT_SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload;
      const id = Number(claims.sub);
      const role = claims.role as Role;
      if (!Number.isSafeInteger(id) || id <= 0 || !ROLES.includes(role)) throw new Error('bad claims');
      return { id, role };
    } catch (err) {
      const expired = err instanceof jwt.TokenExpiredError;
      throw unauthenticated(expired ? 'Your session has expired; refresh it.' : 'The access token is not valid.');
    }
  };
  return {
    sign(user) {
      const expiresAt = new Date(Date.now() + config.ACCESS_TOKEN_TTL_SECONDS * 1000);
      const token = jwt.sign({ role: user.role }, config.JWT_SECRET, {
        algorithm: 'HS256',
        subject: String(user.id),
        expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
      });
      return { token, expiresAt };
    },
    authenticate(authorization) {
      if (!authorization) return null;
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
      return verify(match[1]);
    },
  };
}
