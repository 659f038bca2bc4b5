import 'reflect-metadata';
import { startApi, type RunningApi } from './app/http/api.js';
import { loadConfig, type Config } from './app/config.js';
import { buildAppSchema } from './app/graphql/build-schema.js';
import { onShutdown } from './app/shutdown.js';
import { closeInfra, createInfra, type InfraOptions } from './bootstrap.js';
import { describeDemo, seedDemo } from './modules/demo/demo.seed.js';
import { createRoutes, createServices, resolvers } from './modules/index.js';

export interface ApiApp {
  start(port?: number): Promise<RunningApi>;
  stop(): Promise<void>;
  services: ReturnType<typeof createServices>;
}

/** Composition root of the API process: config → MySQL → Redis → services → schema → HTTP + WebSocket. */
export async function buildApiApp(config: Config, options: InfraOptions = {}): Promise<ApiApp> {
  const infra = await createInfra(config, 'api', { migrate: true, ...options });
  const services = createServices(infra);
  const instances = new Map<Function, unknown>();
  const schema = await buildAppSchema({
    resolvers,
    pubSub: infra.pubsub,
    container: {
      get: (cls: new (s: typeof services) => unknown) => {
        if (!instances.has(cls)) instances.set(cls, new cls(services));
        return instances.get(cls);
      },
    },
  });
  let running: RunningApi | undefined;
  return {
    services,
    async start(port = config.PORT) {
      running = await startApi(
        {
          infra,
          schema,
          authenticate: (h) => services.tokens.authenticate(h),
          routes: createRoutes(services),
        },
        port,
        config.HOST,
      );
      return running;
    },
    async stop() {
      await running?.stop();
      await closeInfra(infra);
    },
  };
}

async function main() {
  const config = loadConfig();
  const app = await buildApiApp(config);
  // First start on an empty database outside production: a small demo (DEMO_SEED=false turns it off).
  const demo = await seedDemo(app.services).catch((err: unknown) => {
    app.services.infra.logger.warn({ err }, 'demo seed failed');
    return null;
  });
  if (demo) process.stdout.write(describeDemo(demo));
  await app.start();
  onShutdown(() => app.stop(), app.services.infra.logger);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
