import { RedisPubSub } from 'graphql-redis-subscriptions';
import type { PubSub as TypeGraphqlPubSub } from 'type-graphql';
import type { RedisConnections } from '../redis.js';
import { Stream, type StreamSource } from './stream.js';

/** A subscription's topic id when it resumes: which object, and from where (a seq, a cursor...). */
export interface Resume {
  id: string | number;
  resume?: unknown;
}

/**
 * The one pub/sub used by every module: type-graphql's `subscribe(topic, id?)` over Redis.
 * Channels are `<prefix><topic>` or `<prefix><topic>:<id>`; payloads are small JSON DTOs.
 * A topic with a registered stream source replays first (current state, or what a reconnecting client missed) and
 * then goes live without gap or duplicate; its subscriptions pass `{ id, resume }` as topic id.
 */
export interface PubSub extends TypeGraphqlPubSub {
  publish(topic: string, ...args: [payload: unknown] | [id: string | number, payload: unknown]): Promise<void>;
  subscribe(topic: string, id?: unknown): AsyncIterable<unknown>;
  registerStream<P>(topic: string, source: StreamSource<P>): void;
  close(): Promise<void>;
}

export function createPubSub(redis: Pick<RedisConnections, 'publisher' | 'subscriber'>, prefix: string): PubSub {
  const inner = new RedisPubSub({ publisher: redis.publisher, subscriber: redis.subscriber });
  const channel = (topic: string, id?: unknown) => (id === undefined ? `${prefix}${topic}` : `${prefix}${topic}:${String(id)}`);
  const streams = new Map<string, StreamSource<unknown>>();
  return {
    async publish(topic, ...args) {
      const [id, payload] = args.length === 2 ? args : [undefined, args[0]];
      await inner.publish(channel(topic, id), payload);
    },
    subscribe(topic, topicId) {
      const source = streams.get(topic);
      const { id, resume } = isResume(topicId) ? topicId : { id: topicId as string | number | undefined, resume: undefined };
      if (!source) return inner.asyncIterableIterator(channel(topic, id)) as AsyncIterable<unknown>;
      return new Stream(source, String(id), resume, async (push) => {
        const subId = await inner.subscribe(channel(topic, id), push);
        return () => inner.unsubscribe(subId);
      });
    },
    registerStream(topic, source) {
      streams.set(topic, source as StreamSource<unknown>);
    },
    async close() {
      await inner.close();
    },
  };
}

const isResume = (v: unknown): v is Resume => typeof v === 'object' && v !== null && 'id' in v;
