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

/** Longest wait between two reconnection attempts: Redis back means requests back within about this long. */
const RECONNECT_MAX_MS = 500;

/**
 * Options of the connections requests use: a command fails instead of waiting while Redis is away (no offline queue,
 * bounded by REDIS_COMMAND_TIMEOUT_MS when Redis hangs), and reconnection keeps trying at a capped back-off. BullMQ keeps
 * `redisOptions` as they are: its blocking commands must wait.
 */
export function failFastOptions(config: Config): RedisOptions {
  return {
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(25 * 2 ** attempt, RECONNECT_MAX_MS),
  };
}

export async function createRedis(config: Config): Promise<RedisConnections> {
  const base = { ...redisOptions(config), ...failFastOptions(config) };
  const client = new Redis({ ...base, keyPrefix: config.REDIS_PREFIX });
  // Publishes issued in one tick (a worker batch's notifications, a chat fan-out) leave in one socket write.
  const publisher = new Redis({ ...base, enableAutoPipelining: true });
  // The subscriber queues its (re)subscriptions while reconnecting; ioredis replays them once back.
  const subscriber = new Redis({ ...base, enableOfflineQueue: true });
  // Without a listener ioredis prints every failed reconnection attempt; the dependency monitor logs the outage once.
  for (const connection of [client, publisher, subscriber]) connection.on('error', () => undefined);
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
