import { Redis } from 'ioredis';
import { testConfig } from '../../test/test-config';
import { RedisLocks } from './redis-lock';

describe('RedisLocks', () => {
  const config = testConfig();
  const redis = new Redis(config.REDIS_URL, { keyPrefix: `${config.REDIS_PREFIX}locks:` });
  const locks = new RedisLocks(redis);
  afterAll(async () => {
    await redis.quit();
  });

  it('takes free keys only, and releases only its own', async () => {
    const a = await locks.tryAcquire(['k1', 'k2'], 5_000);
    const b = await locks.tryAcquire(['k2', 'k3'], 5_000);
    expect(a.held).toEqual(['k1', 'k2']);
    expect(b.held).toEqual(['k3']);
    await b.release();
    expect(await redis.exists('k2')).toBe(1); // still a's
    await a.release();
    expect(await redis.exists('k1', 'k2', 'k3')).toBe(0);
  });

  it('a lease that expired and was taken by someone else is not freed by its old holder', async () => {
    const old = await locks.tryAcquire(['lease'], 50);
    await new Promise((r) => setTimeout(r, 80));
    const current = await locks.tryAcquire(['lease'], 5_000);
    expect(current.held).toEqual(['lease']);
    await old.release();
    expect(await redis.exists('lease')).toBe(1);
    await current.release();
  });

  it('withLock runs one holder at a time and gives up when the key stays taken', async () => {
    const order: string[] = [];
    const work = (name: string) => async () => {
      order.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 30));
      order.push(`${name} out`);
    };
    await Promise.all([
      locks.withLock('serial', 5_000, work('a'), { waitMs: 2_000, retryMs: 5 }),
      locks.withLock('serial', 5_000, work('b'), { waitMs: 2_000, retryMs: 5 }),
    ]);
    expect([order.slice(0, 2), order.slice(2)].every(([i, o]) => i!.split(' ')[0] === o!.split(' ')[0])).toBe(true);
    const held = await locks.tryAcquire(['busy'], 5_000);
    await expect(locks.withLock('busy', 5_000, async () => 1, { waitMs: 50, retryMs: 10 })).rejects.toThrow('not acquired');
    await held.release();
  });
});
