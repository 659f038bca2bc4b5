import { Worker } from 'bullmq';
import type { Logger } from '../logger.js';
import type { JobDefinition } from './jobs.js';
import { QUEUE_CONCURRENCY, type QueueName, type Queues } from './queues.js';

export interface RunningWorkers {
  workers: Worker[];
  /** Puts back every job scheduler Redis no longer has (after it lost its data); returns the names restored. */
  reconcile(reason: string): Promise<string[]>;
  close(): Promise<void>;
}

export interface WorkerSettings {
  /** A job's lock lasts this long unless renewed (the worker renews it at half): a dead worker's job is free after it. */
  lockMs: number;
  /** How often workers look for jobs whose lock expired (stalled) and hand them out again. */
  stalledIntervalMs: number;
  /** How often the job schedulers are checked besides every Redis reconnect. */
  reconcileEveryMs: number;
}

/** Starts one BullMQ worker per queue that has jobs, upserts the job schedulers and keeps them there. */
export async function runWorkers(
  deps: { queues: Queues; logger: Logger; settings: WorkerSettings },
  jobs: readonly JobDefinition<any, any>[],
): Promise<RunningWorkers> {
  const { queues, logger, settings } = deps;
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
      {
        connection: queues.connection,
        prefix: queues.prefix,
        concurrency: QUEUE_CONCURRENCY[queue],
        lockDuration: settings.lockMs,
        stalledInterval: settings.stalledIntervalMs,
      },
    );
    worker.on('failed', (job, err) =>
      logger.warn({ queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err }, 'job failed'),
    );
    worker.on('error', (err) => logger.error({ queue, err }, 'worker error'));
    workers.push(worker);
  }

  const scheduled = jobs.filter((job) => job.everyMs);
  const upsert = (job: JobDefinition<any, any>) =>
    queues.get(job.queue).upsertJobScheduler(job.name, { every: job.everyMs! }, { name: job.name, opts: job.schedulerJobOptions });
  // At start every scheduler is written, so a changed interval takes effect.
  for (const job of scheduled) await upsert(job);
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  // Redis restarted empty (or was flushed): the schedulers are gone and nothing would ever run again. They are put
  // back as soon as a connection comes back, and checked on a timer for a flush that needs no reconnect.
  const reconcile = async (reason: string) => {
    const restored: string[] = [];
    for (const job of scheduled) {
      if (await queues.get(job.queue).getJobScheduler(job.name)) continue;
      await upsert(job);
      restored.push(job.name);
    }
    if (restored.length) logger.warn({ restored, reason }, 'job schedulers restored');
    return restored;
  };
  const tryReconcile = (reason: string) =>
    void reconcile(reason).catch((err: unknown) => logger.debug({ err, reason }, 'schedulers not checked'));
  const timer = setInterval(() => tryReconcile('timer'), settings.reconcileEveryMs);
  timer.unref();
  for (const queue of new Set(scheduled.map((j) => j.queue))) {
    const client = await queues.get(queue).client;
    // The first 'ready' has passed; every later one is a reconnect.
    client.on('ready', () => tryReconcile('redis reconnected'));
  }

  return {
    workers,
    reconcile,
    async close() {
      clearInterval(timer);
      await Promise.allSettled(workers.map((w) => w.close()));
    },
  };
}
