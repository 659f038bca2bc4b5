import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config.js';

export interface RedisConnections {
  /** Commands; keys carry REDIS_PREFIX automatically (ioredis keyPrefix). */
  client: Redis;
  /** Dedicated pub/sub pair, separate from BullMQ's connections. */
  publisher: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

export function redisOptions(config: Config): RedisOptions {
  const url = new URL(config.REDIS_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    lazyConnect: true,
  };
}

export async function createRedis(config: Config): Promise<RedisConnections> {
  const base = redisOptions(config);
  const client = new Redis({ ...base, keyPrefix: config.REDIS_PREFIX });
  // Publishes issued in one tick (a worker batch's notifications, a chat fan-out) leave in one socket write.
  const publisher = new Redis({ ...base, enableAutoPipelining: true });
  const subscriber = new Redis(base);
  await Promise.all([client.connect(), publisher.connect(), subscriber.connect()]);
  return {
    client,
    publisher,
    subscriber,
    async close() {
      await Promise.allSettled([client.quit(), publisher.quit(), subscriber.quit()]);
    },
  };
}
