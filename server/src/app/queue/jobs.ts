import type { Job } from 'bullmq';
import type { QueueName } from './queues.js';

/** A job a module runs in the worker process; its handler closes over the module's own services. */
export interface JobDefinition<D = unknown, R = unknown> {
  queue: QueueName;
  name: string;
  handle(job: Job<D, R>): Promise<R>;
  /** Repeat every N milliseconds (a BullMQ job scheduler); null or absent for on-demand jobs. */
  everyMs?: number | null;
  /** Options of the jobs the scheduler creates (attempts, backoff...). */
  schedulerJobOptions?: { attempts?: number; backoff?: { type: 'exponential' | 'fixed'; delay: number } };
}
