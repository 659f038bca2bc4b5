import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `local n = 0 for i, k in ipairs(KEYS) do if redis.call('GET', k) == ARGV[1] then n = n + redis.call('DEL', k) end end return n`;

type LockRedis = Redis & { lockRelease(...args: (string | number)[]): Promise<number> };

export interface HeldLocks {
  /** The keys this caller took; the others belong to someone else. */
  held: string[];
  release(): Promise<void>;
}

/**
 * Short leases in Redis (SET NX PX with a random token): a holder that dies loses its lease when the TTL passes, and
 * release only deletes keys still carrying the holder's own token, so a late release never frees someone else's lock.
 */
export class RedisLocks {
  private readonly redis: LockRedis;

  constructor(redis: Redis) {
    if (!(redis as unknown as Partial<LockRedis>).lockRelease) redis.defineCommand('lockRelease', { lua: RELEASE });
    this.redis = redis as LockRedis;
  }

  /** Takes every free key of `keys` at once; never waits. */
  async tryAcquire(keys: readonly string[], ttlMs: number): Promise<HeldLocks> {
    const token = randomUUID();
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.set(key, token, 'PX', ttlMs, 'NX');
    const replies = (await pipeline.exec()) ?? [];
    const held = keys.filter((_, i) => replies[i]?.[1] === 'OK');
    return {
      held,
      release: async () => {
        if (held.length) await this.redis.lockRelease(held.length, ...held, token);
      },
    };
  }

  /** Runs `work` holding `key`, waiting for it up to `waitMs`; throws when it stays taken. */
  async withLock<T>(key: string, ttlMs: number, work: () => Promise<T>, options: { waitMs: number; retryMs?: number }): Promise<T> {
    const deadline = Date.now() + options.waitMs;
    let lock = await this.tryAcquire([key], ttlMs);
    while (!lock.held.length) {
      if (Date.now() > deadline) throw new Error(`lock ${key} not acquired within ${options.waitMs} ms`);
      await new Promise((r) => setTimeout(r, options.retryMs ?? 50));
      lock = await this.tryAcquire([key], ttlMs);
    }
    try {
      return await work();
    } finally {
      await lock.release();
    }
  }
}
