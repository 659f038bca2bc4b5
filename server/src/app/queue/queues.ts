import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { Config } from '../config.js';
import { redisOptions } from '../redis.js';

/** Every BullMQ queue, in one place (kebab-case names). */
export enum QueueName {
  SYSTEM = 'system',
  RESUMES = 'resumes',
  WEATHER = 'weather',
  COMMUNITY = 'community',
  /** Domain events from the outbox, one job name per consumer. */
  EVENTS = 'events',
}

/** Jobs of a queue that one worker process runs at once. */
export const QUEUE_CONCURRENCY: Record<QueueName, number> = {
  [QueueName.SYSTEM]: 1,
  [QueueName.RESUMES]: 2,
  [QueueName.WEATHER]: 1,
  [QueueName.COMMUNITY]: 1,
  [QueueName.EVENTS]: 16,
};

export interface Queues {
  get(name: QueueName): Queue;
  /** Created on demand, for callers that wait for a job's result. */
  events(name: QueueName): QueueEvents;
  connection: ConnectionOptions;
  prefix: string;
  close(): Promise<void>;
}

export function bullConnection(config: Config): ConnectionOptions {
  // BullMQ needs blocking commands to wait forever and must not use ioredis' keyPrefix.
  const { lazyConnect: _lazy, ...options } = redisOptions(config);
  return { ...options, maxRetriesPerRequest: null };
}

/** Queues are created lazily so that a process only connects for the queues it uses. */
export function createQueues(config: Config): Queues {
  const connection = bullConnection(config);
  // Producers (a request enqueuing, the relay handing events on) fail at once while Redis is away instead of
  // queueing commands in memory; workers keep waiting, as their blocking reads must.
  const producer = { ...(connection as RedisOptions), enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  const prefix = `${config.REDIS_PREFIX}bull`;
  const queues = new Map<QueueName, Queue>();
  const events = new Map<QueueName, QueueEvents>();
  return {
    connection,
    prefix,
    get(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection: producer, prefix, defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 } });
        queues.set(name, queue);
      }
      return queue;
    },
    events(name) {
      let ev = events.get(name);
      if (!ev) {
        ev = new QueueEvents(name, { connection, prefix });
        events.set(name, ev);
      }
      return ev;
    },
    async close() {
      await Promise.allSettled([...queues.values(), ...events.values()].map((q) => q.close()));
    },
  };
}
