import 'reflect-metadata';
import { loadConfig, type Config } from './app/config.js';
import { runWorkers } from './app/queue/run-workers.js';
import { onShutdown } from './app/shutdown.js';
import { closeInfra, createInfra } from './bootstrap.js';
import { createServices, jobs } from './modules/index.js';

/** Composition root of the worker process: config → MySQL → Redis → services → BullMQ workers and schedulers. */
export async function startWorker(config: Config) {
  // Migrations belong to the API; a worker started first waits for them rather than racing.
  const infra = await createInfra(config, 'worker', { migrate: true });
  const services = createServices(infra);
  const running = await runWorkers({ queues: infra.queues, logger: infra.logger, services }, jobs);
  infra.logger.info({ queues: running.workers.map((w) => w.name), instanceId: infra.instanceId }, 'worker started');
  return {
    services,
    async stop() {
      await running.close();
      await closeInfra(infra);
    },
  };
}

async function main() {
  const worker = await startWorker(loadConfig());
  onShutdown(() => worker.stop(), worker.services.infra.logger);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
