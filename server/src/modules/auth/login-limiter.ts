import { createHash } from 'node:crypto';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../../app/config.js';
import { rateLimited } from '../../app/errors.js';
import type { Redis } from 'ioredis';

/**
 * Failed log-ins per account and per IP (rate-limiter-flexible on Redis, fixed window).
 * Per account the attempt is reserved before the password is checked, so parallel requests cannot
 * exceed the limit; a success resets the account's count. Per IP only failures count, so many people
 * behind one NAT signing in at once are not blocked by each other's successes.
 */
export class LoginLimiter {
  private readonly perAccount: RateLimiterRedis;
  private readonly perIp: RateLimiterRedis;

  constructor(
    redis: Redis,
    config: Pick<Config, 'LOGIN_FAILURE_WINDOW_SECONDS' | 'LOGIN_MAX_FAILURES_PER_ACCOUNT' | 'LOGIN_MAX_FAILURES_PER_IP'>,
  ) {
    const common = { storeClient: redis, duration: config.LOGIN_FAILURE_WINDOW_SECONDS };
    this.perAccount = new RateLimiterRedis({
      ...common,
      keyPrefix: 'auth:login-fail:account',
      points: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    });
    this.perIp = new RateLimiterRedis({ ...common, keyPrefix: 'auth:login-fail:ip', points: config.LOGIN_MAX_FAILURES_PER_IP });
  }

  /** Throws RATE_LIMITED when either limit is used up; otherwise reserves one attempt on the account. */
  async begin(email: string, ip: string): Promise<void> {
    const ipState = await this.perIp.get(ip);
    if (ipState && ipState.consumedPoints >= this.perIp.points) throw limited(ipState);
    try {
      await this.perAccount.consume(accountKey(email));
    } catch (err) {
      if (err instanceof RateLimiterRes) throw limited(err);
      throw err;
    }
  }

  /** The password was wrong: the account's reserved attempt stays, the IP gets one more. */
  async failed(ip: string): Promise<void> {
    try {
      await this.perIp.consume(ip);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err; // the next attempt from this IP is refused
    }
  }

  async succeeded(email: string): Promise<void> {
    await this.perAccount.delete(accountKey(email));
  }
}

// Hashed so that Redis keys carry no email address.
const accountKey = (email: string) => createHash('sha256').update(email).digest('base64url');

const limited = (res: RateLimiterRes) => rateLimited(res.msBeforeNext / 1000, 'Too many failed log-ins; try again later.');
