import { Worker } from 'bullmq';
import type { Logger } from '../logger.js';
import type { JobDefinition } from './jobs.js';
import { QUEUE_CONCURRENCY, type QueueName, type Queues } from './queues.js';

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/** Starts one BullMQ worker per queue that has jobs, and upserts the job schedulers. */
export async function runWorkers(
  deps: { queues: Queues; logger: Logger },
  jobs: readonly JobDefinition<any, any>[],
): Promise<RunningWorkers> {
  const byQueue = new Map<QueueName, Map<string, JobDefinition<any, any>>>();
  for (const job of jobs) {
    const handlers = byQueue.get(job.queue) ?? new Map();
    handlers.set(job.name, job);
    byQueue.set(job.queue, handlers);
  }

  const workers: Worker[] = [];
  for (const [queue, handlers] of byQueue) {
    const worker = new Worker(
      queue,
      async (job) => {
        const def = handlers.get(job.name);
        if (!def) throw new Error(`No handler for job ${queue}/${job.name}`);
        return def.handle(job);
      },
      { connection: deps.queues.connection, prefix: deps.queues.prefix, concurrency: QUEUE_CONCURRENCY[queue] },
    );
    worker.on('failed', (job, err) =>
      deps.logger.warn({ queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err }, 'job failed'),
    );
    worker.on('error', (err) => deps.logger.error({ queue, err }, 'worker error'));
    workers.push(worker);
  }

  for (const job of jobs) {
    const every = job.everyMs;
    if (every) await deps.queues.get(job.queue).upsertJobScheduler(job.name, { every }, { name: job.name, opts: job.schedulerJobOptions });
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  return {
    workers,
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
    },
  };
}
