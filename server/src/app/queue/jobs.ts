import type { Job } from 'bullmq';
import type { QueueName } from './queues.js';

/** A job a module runs in the worker process; `S` is the worker's service registry. */
export interface JobDefinition<S, D = unknown, R = unknown> {
  queue: QueueName;
  name: string;
  handle(job: Job<D, R>, services: S): Promise<R>;
  /** Repeat every N milliseconds (a BullMQ job scheduler); null or absent for on-demand jobs. */
  everyMs?(services: S): number | null;
  /** Options of the jobs the scheduler creates (attempts, backoff...). */
  schedulerJobOptions?: { attempts?: number; backoff?: { type: 'exponential' | 'fixed'; delay: number } };
}
