import { RedisPubSub } from 'graphql-redis-subscriptions';
import type { PubSub as TypeGraphqlPubSub } from 'type-graphql';
import type { RedisConnections } from '../redis.js';

/**
 * The one pub/sub used by every module: type-graphql's `subscribe(topic, id?)` over Redis.
 * Channels are `<prefix><topic>` or `<prefix><topic>:<id>`; payloads are small JSON DTOs.
 */
export interface PubSub extends TypeGraphqlPubSub {
  publish(topic: string, ...args: [payload: unknown] | [id: string | number, payload: unknown]): Promise<void>;
  subscribe(topic: string, id?: unknown): AsyncIterable<unknown>;
  close(): Promise<void>;
}

export function createPubSub(redis: Pick<RedisConnections, 'publisher' | 'subscriber'>, prefix: string): PubSub {
  const inner = new RedisPubSub({ publisher: redis.publisher, subscriber: redis.subscriber });
  const channel = (topic: string, id?: unknown) => (id === undefined ? `${prefix}${topic}` : `${prefix}${topic}:${String(id)}`);
  return {
    async publish(topic, ...args) {
      const [id, payload] = args.length === 2 ? args : [undefined, args[0]];
      await inner.publish(channel(topic, id), payload);
    },
    subscribe(topic, id) {
      return inner.asyncIterableIterator(channel(topic, id)) as AsyncIterable<unknown>;
    },
    async close() {
      await inner.close();
    },
  };
}
