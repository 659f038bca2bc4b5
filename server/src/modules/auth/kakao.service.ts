import { createHash, randomBytes } from 'node:crypto';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { badInput, rateLimited, unauthenticated, unavailable } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { Infra } from '../../app/infra.js';
import type { UserService } from '../users/user.service.js';
import type { AuthService } from './auth.service.js';
import type { AuthPayload } from './auth.types.js';
import type { KakaoClient } from './kakao.client.js';
import type { KakaoStateStore, PendingLogin } from './kakao-state.store.js';

/** Kakao login: authorize URL with single-use state + PKCE (S256), then the server-side code exchange. */
export class KakaoAuthService {
  private readonly statesPerIp: RateLimiterRedis;

  constructor(
    private readonly infra: Pick<Infra, 'config' | 'redis'>,
    private readonly client: KakaoClient,
    private readonly users: UserService,
    private readonly auth: AuthService,
    private readonly states: KakaoStateStore,
  ) {
    this.statesPerIp = new RateLimiterRedis({ storeClient: infra.redis.client, keyPrefix: 'auth:kakao-url:ip', points: 30, duration: 60 });
  }

  private ensureEnabled(): void {
    if (!this.infra.config.kakaoEnabled) throw unavailable('Kakao login is not configured on this server.');
  }

  async loginUrl(ctx: Context, redirectUri?: string | null): Promise<{ url: string; state: string }> {
    this.ensureEnabled();
    // Each URL stores a state in Redis: anonymous callers may not pile them up.
    try {
      await this.statesPerIp.consume(ctx.ip);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw rateLimited(err.msBeforeNext / 1000);
      throw err;
    }
    const { config } = this.infra;
    const redirect = redirectUri ?? config.KAKAO_REDIRECT_URI!;
    if (!sameOrigin(redirect, config.KAKAO_REDIRECT_URI!)) {
      throw badInput({ redirectUri: ['must be on the same origin as the configured Kakao redirect URI'] });
    }
    const state = randomBytes(32).toString('base64url');
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const pending: PendingLogin = { verifier, redirectUri: redirect };
    await this.states.save(state, pending, config.KAKAO_STATE_TTL_SECONDS);
    const url = new URL('/oauth/authorize', config.KAKAO_AUTH_BASE_URL);
    url.search = new URLSearchParams({
      client_id: config.KAKAO_CLIENT_ID!,
      redirect_uri: redirect,
      response_type: 'code',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), state };
  }

  async logIn(ctx: Context, code: string, state: string): Promise<AuthPayload> {
    this.auth.claimCredentialUse(ctx);
    this.ensureEnabled();
    // Taken as it is read: the state works once, even when two requests race with it.
    const pending = state && state.length <= 100 ? await this.states.take(state) : null;
    if (!pending) throw unauthenticated('The Kakao login has expired or was already used; start it again.');
    const kakaoToken = await this.client.exchangeCode(code, pending.redirectUri, pending.verifier);
    const profile = await this.client.fetchProfile(kakaoToken);
    const em = ctx.em;
    const user =
      (await this.users.findByKakaoId(em, profile.id)) ??
      (await this.users.createKakaoUser(em, { kakaoId: profile.id, nickname: profile.nickname, email: profile.verifiedEmail }));
    this.users.applyAdminEmails(user);
    return this.auth.startSession(ctx, user);
  }
}

function sameOrigin(candidate: string, configured: string): boolean {
  try {
    return new URL(candidate).origin === new URL(configured).origin;
  } catch {
    return false;
  }
}
