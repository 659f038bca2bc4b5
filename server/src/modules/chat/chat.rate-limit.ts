import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../../app/config.js';
import { rateLimited } from '../../app/errors.js';

/**
 * Messages per user in a fixed window: CHAT_RATE_LIMIT_MESSAGES per CHAT_RATE_LIMIT_WINDOW_SECONDS, counted in Redis
 * by rate-limiter-flexible (as the log-in limits are), so every API instance shares the count.
 */
export class ChatRateLimit {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, config: Pick<Config, 'CHAT_RATE_LIMIT_MESSAGES' | 'CHAT_RATE_LIMIT_WINDOW_SECONDS'>) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'chat:rate',
      points: config.CHAT_RATE_LIMIT_MESSAGES,
      duration: config.CHAT_RATE_LIMIT_WINDOW_SECONDS,
    });
  }

  /** Counts one message of the user; RATE_LIMITED (with the seconds until the window ends) past the limit. */
  async take(userId: number): Promise<void> {
    try {
      await this.limiter.consume(String(userId));
    } catch (err) {
      if (err instanceof RateLimiterRes)
        throw rateLimited(err.msBeforeNext / 1000, 'You are sending messages too fast; wait a few seconds.');
      throw err;
    }
  }
}
