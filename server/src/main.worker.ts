import 'reflect-metadata';
import { loadConfig, type Config } from './app/config.js';
import type { EventConsumer } from './app/events.js';
import { consumerJobs, queuedSink } from './app/outbox/delivery.js';
import { Outbox } from './app/outbox/outbox.js';
import { outboxPruneJob } from './app/outbox/prune.job.js';
import { OutboxRelay } from './app/outbox/relay.js';
import { startWorkerHealth } from './app/http/worker-health.js';
import { sweepOnWake } from './app/outbox/wake.js';
import { runWorkers } from './app/queue/run-workers.js';
import { onShutdown } from './app/shutdown.js';
import { closeInfra, createInfra } from './bootstrap.js';
import { createModules, partsOf } from './modules/index.js';

/**
 * Composition root of the worker process: config → MySQL → Redis → modules → BullMQ workers and schedulers, and the
 * outbox relay that hands committed domain events to the consumers' queue.
 */
export async function startWorker(config: Config) {
  // Migrations belong to the API; a worker started first waits for them rather than racing.
  const infra = await createInfra(config, 'worker', { migrate: true });
  const knex = () => infra.orm.em.getConnection().getKnex();
  let consumers: readonly EventConsumer[] = [];
  const relay = new OutboxRelay(knex, (events) => queuedSink(infra.queues, consumers)(events), infra.logger);
  // Events this process records (a weather poll's) need no wake-up through Redis.
  const modules = createModules(infra, new Outbox(knex, async () => void relay.sweep()));
  const parts = partsOf(modules);
  consumers = parts.consumers;
  const settings = {
    lockMs: config.WORKER_LOCK_MS,
    stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
    reconcileEveryMs: config.SCHEDULES_RECONCILE_INTERVAL_MS,
  };
  const running = await runWorkers({ queues: infra.queues, logger: infra.logger, settings }, [
    ...parts.jobs,
    ...consumerJobs(consumers),
    outboxPruneJob(knex, config),
  ]);
  const health = await startWorkerHealth(infra, () => modules.system.system.lastHeartbeatAt());
  const stopWakes = sweepOnWake(infra.pubsub, relay, infra.logger);
  relay.start(config.OUTBOX_SWEEP_INTERVAL_MS);
  void relay.sweep();
  infra.logger.info({ queues: running.workers.map((w) => w.name), instanceId: infra.instanceId }, 'worker started');
  return {
    infra,
    modules,
    relay,
    async stop() {
      await health.stop();
      await stopWakes();
      await relay.stop();
      await running.close();
      await parts.close();
      await closeInfra(infra);
    },
  };
}

async function main() {
  const worker = await startWorker(loadConfig());
  onShutdown(() => worker.stop(), worker.infra.logger);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
