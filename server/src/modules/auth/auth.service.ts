import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/mysql';
import { badInput, unauthenticated } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { Infra } from '../../app/infra.js';
import { User } from '../users/user.entity.js';
import { normalizeEmail, normalizeNickname } from '../users/user.rules.js';
import type { UserService } from '../users/user.service.js';
import type { AccessTokens } from './access-token.js';
import type { LogInInput, SignUpInput } from './auth.inputs.js';
import type { AuthPayload } from './auth.types.js';
import type { LoginLimiter } from './login-limiter.js';
import type { Passwords } from './passwords.js';
import { RefreshToken } from './refresh-token.entity.js';

const WRONG_CREDENTIALS = 'Wrong email or password.';
const BAD_REFRESH = 'The refresh token is not valid; sign in again.';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

// Operations that check credentials or create sessions: at most one per GraphQL operation, so aliases
// (`a: logIn(...) b: logIn(...)`) cannot multiply password guesses. Keyed by the per-operation context.
const credentialUse = new WeakSet<object>();

export class AuthService {
  constructor(
    private readonly infra: Pick<Infra, 'config'>,
    private readonly tokens: AccessTokens,
    private readonly users: UserService,
    private readonly passwords: Passwords,
    private readonly limiter: LoginLimiter,
  ) {}

  /** Refuses a second sign-in field in the same operation. */
  claimCredentialUse(ctx: Context): void {
    if (credentialUse.has(ctx.loaders)) {
      throw badInput(
        { operation: ['at most one of signUp, logIn, logInWithKakao, refreshSession per request'] },
        'One sign-in per request.',
      );
    }
    credentialUse.add(ctx.loaders);
  }

  async signUp(ctx: Context, input: SignUpInput): Promise<AuthPayload> {
    this.claimCredentialUse(ctx);
    // The email, password and nickname rules are on SignUpInput; both are stored normalised.
    const email = normalizeEmail(input.email);
    const nickname = normalizeNickname(input.nickname);
    const passwordHash = await this.passwords.hash(input.password);
    const user = await this.users.createWithPassword(ctx.em, { email, nickname, passwordHash });
    return this.startSession(ctx, user);
  }

  async logIn(ctx: Context, input: LogInInput): Promise<AuthPayload> {
    this.claimCredentialUse(ctx);
    const email = normalizeEmail(input.email);
    // Malformed input cannot match an account; it still counts as a failure, with the same answer.
    await this.limiter.begin(email, ctx.ip);
    // bcrypt reads 72 bytes: a longer guess must not pass because its first 72 bytes are right.
    const plausible = email && input.password && Buffer.byteLength(input.password, 'utf8') <= 72;
    const user = plausible ? await this.users.findByEmailWithPassword(ctx.em, email) : null;
    const ok = user?.passwordHash
      ? await this.passwords.verify(input.password, user.passwordHash)
      : await this.passwords.verifyNothing(input.password);
    if (!user || !ok) {
      await this.limiter.failed(ctx.ip);
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    await this.limiter.succeeded(email);
    this.users.applyAdminEmails(user);
    return this.startSession(ctx, user);
  }

  /** Exchanges a refresh token for a new pair; a token presented twice revokes its whole family. */
  async refresh(ctx: Context, refreshToken: string): Promise<AuthPayload> {
    this.claimCredentialUse(ctx);
    const em = ctx.em;
    const row = await em.findOne(RefreshToken, { tokenHash: hashToken(refreshToken) });
    if (!row || row.revokedAt || (await this.familyRevoked(em, row.familyId))) throw unauthenticated(BAD_REFRESH);
    if (row.rotatedAt) {
      await this.revokeFamily(em, row.familyId);
      throw unauthenticated('This refresh token was already used; every session started from it has been signed out.');
    }
    if (row.expiresAt.getTime() <= Date.now()) throw unauthenticated('The session has expired; sign in again.');
    // Only one request can rotate a token: the conditional update is the arbiter between concurrent refreshes.
    const claimed = await em.nativeUpdate(RefreshToken, { id: row.id, rotatedAt: null, revokedAt: null }, { rotatedAt: new Date() });
    if (claimed !== 1) {
      await this.revokeFamily(em, row.familyId);
      throw unauthenticated('This refresh token was already used; every session started from it has been signed out.');
    }
    const user = await em.findOne(User, { id: row.userId });
    if (!user) throw unauthenticated(BAD_REFRESH);
    return this.issue(ctx, user, row.familyId);
  }

  /** Revokes the session of `refreshToken`, or every session of its user; false when the token is not active. */
  async logOut(ctx: Context, refreshToken: string, allDevices: boolean): Promise<boolean> {
    const em = ctx.em;
    const row = await em.findOne(RefreshToken, { tokenHash: hashToken(refreshToken) });
    if (!row || row.revokedAt || row.rotatedAt || row.expiresAt.getTime() <= Date.now()) return false;
    if (await this.familyRevoked(em, row.familyId)) return false;
    const now = new Date();
    if (allDevices) await em.nativeUpdate(RefreshToken, { userId: row.userId, revokedAt: null }, { revokedAt: now });
    else await this.revokeFamily(em, row.familyId);
    return true;
  }

  /** A new sign-in: a new token family (and old, expired tokens of the user are cleaned up). */
  async startSession(ctx: Context, user: User): Promise<AuthPayload> {
    const em = ctx.em;
    await em.flush(); // role promotion, if any
    await em.nativeDelete(RefreshToken, { userId: user.id, expiresAt: { $lt: new Date() } });
    return this.issue(ctx, user, randomBytes(16).toString('hex'));
  }

  private async issue(ctx: Context, user: User, familyId: string): Promise<AuthPayload> {
    const em = ctx.em;
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.infra.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    await em.insert(RefreshToken, { userId: user.id, familyId, tokenHash: hashToken(refreshToken), expiresAt, createdAt: new Date() });
    const access = this.tokens.sign({ id: user.id, role: user.role });
    this.users.rememberSignIn(ctx, user.id);
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, user };
  }

  /**
   * A family with any revoked token is dead. Checked on use, because a refresh racing with a re-use may insert
   * its new token just after the family was revoked.
   */
  private async familyRevoked(em: EntityManager, familyId: string): Promise<boolean> {
    return (await em.count(RefreshToken, { familyId, revokedAt: { $ne: null } })) > 0;
  }

  private async revokeFamily(em: EntityManager, familyId: string): Promise<void> {
    await em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
  }
}
