import { Redis } from 'ioredis';
import { testConfig } from '../../test/test-config';
import { RedisLocks } from './redis-lock';

describe('RedisLocks', () => {
  const config = testConfig();
  const redis = new Redis(config.REDIS_URL, { keyPrefix: `${config.REDIS_PREFIX}lock-spec:` });
  const locks = new RedisLocks(redis);
  afterAll(() => redis.quit());
  beforeEach(() => redis.del('a', 'b', 'c'));

  it('gives a key to one holder at a time; a release frees only the keys the holder took', async () => {
    const first = await locks.tryAcquire(['a', 'b'], 10_000);
    const second = await locks.tryAcquire(['b', 'c'], 10_000);
    expect(first.held).toEqual(['a', 'b']);
    expect(second.held).toEqual(['c']);
    await second.release();
    expect(await redis.exists('b')).toBe(1);
    expect((await locks.tryAcquire(['b'], 10_000)).held).toEqual([]);
    await first.release();
    expect((await locks.tryAcquire(['a', 'b'], 10_000)).held).toEqual(['a', 'b']);
  });

  it('never frees a lease that expired and was taken by someone else', async () => {
    const late = await locks.tryAcquire(['a'], 50);
    await new Promise((r) => setTimeout(r, 120));
    const next = await locks.tryAcquire(['a'], 10_000);
    expect(next.held).toEqual(['a']);
    await late.release();
    expect((await locks.tryAcquire(['a'], 10_000)).held).toEqual([]);
  });

  it('runs work under the lock, waiting for it, and gives up after waitMs', async () => {
    const order: string[] = [];
    const slow = locks.withLock(
      'a',
      10_000,
      async () => {
        order.push('first in');
        await new Promise((r) => setTimeout(r, 100));
        order.push('first out');
      },
      { waitMs: 1000 },
    );
    await new Promise((r) => setTimeout(r, 10));
    await locks.withLock('a', 10_000, async () => void order.push('second'), { waitMs: 5000, retryMs: 10 });
    await slow;
    expect(order).toEqual(['first in', 'first out', 'second']);

    const held = await locks.tryAcquire(['a'], 10_000);
    await expect(locks.withLock('a', 10_000, async () => 1, { waitMs: 50, retryMs: 10 })).rejects.toThrow(/not acquired/);
    await held.release();
  });
});
