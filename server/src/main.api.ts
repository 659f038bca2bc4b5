import 'reflect-metadata';
import { startApi, type RunningApi } from './app/http/api.js';
import { loadConfig, type Config } from './app/config.js';
import type { EventConsumer } from './app/events.js';
import { buildAppSchema } from './app/graphql/build-schema.js';
import type { Infra } from './app/infra.js';
import { inlineSink } from './app/outbox/delivery.js';
import { Outbox, type EventRecorder } from './app/outbox/outbox.js';
import { OutboxRelay } from './app/outbox/relay.js';
import { wakeRelays } from './app/outbox/wake.js';
import { onShutdown } from './app/shutdown.js';
import { closeInfra, createInfra, type InfraOptions } from './bootstrap.js';
import { describeDemo, seedDemo, type DemoAccount } from './modules/demo/demo.seed.js';
import { createModules, partsOf, RESOLVERS, type Modules } from './modules/index.js';

export interface ApiApp {
  infra: Infra;
  modules: Modules;
  /** Records domain events (what features do inside their transactions). */
  events: EventRecorder;
  /** First start on an empty database outside production: a small demo; null when nothing was done. */
  seedDemo(): Promise<DemoAccount[] | null>;
  start(port?: number): Promise<RunningApi>;
  stop(): Promise<void>;
}

/**
 * How committed domain events leave the API: queued (the default), a wake-up for the workers' relays; inline (the
 * notify benchmark's baseline), the consumers run here before the request answers.
 */
function apiOutbox(infra: Infra, consumers: () => readonly EventConsumer[]) {
  const knex = () => infra.orm.em.getConnection().getKnex();
  if (infra.config.NOTIFICATIONS_MODE !== 'inline')
    return { events: new Outbox(knex, wakeRelays(infra.pubsub, infra.logger)), relay: null };
  const relay = new OutboxRelay(knex, (events) => inlineSink(consumers())(events), infra.logger);
  return { events: new Outbox(knex, async () => void (await relay.sweep())), relay };
}

/** Composition root of the API process: config → MySQL → Redis → modules → schema → HTTP + WebSocket. */
export async function buildApiApp(config: Config, options: InfraOptions = {}): Promise<ApiApp> {
  const infra = await createInfra(config, 'api', { migrate: true, ...options });
  const { events, relay } = apiOutbox(infra, () => parts.consumers);
  const modules = createModules(infra, events);
  const parts = partsOf(modules);
  const instances = new Map<Function, object>(parts.resolvers.map((r) => [r.constructor, r]));
  const schema = await buildAppSchema({
    resolvers: RESOLVERS,
    pubSub: infra.pubsub,
    container: {
      get: (cls: Function) => {
        const instance = instances.get(cls);
        if (!instance) throw new Error(`${cls.name} has no instance: its module does not return it`);
        return instance;
      },
    },
  });
  let running: RunningApi | undefined;
  return {
    infra,
    modules,
    events,
    seedDemo: () =>
      seedDemo({
        infra,
        auth: modules.auth.auth,
        posts: modules.posts.posts,
        chat: modules.chat.chat,
        missions: modules.missions.missions,
        resumes: modules.resumes.resumes,
      }),
    async start(port = config.PORT) {
      running = await startApi(
        {
          infra,
          schema,
          authenticate: modules.authenticate,
          routes: parts.routes,
        },
        port,
        config.HOST,
      );
      return running;
    },
    async stop() {
      await running?.stop();
      await parts.close();
      await relay?.stop();
      await closeInfra(infra);
    },
  };
}

async function main() {
  const config = loadConfig();
  const app = await buildApiApp(config);
  const { infra } = app;
  // DEMO_SEED=false turns the demo off.
  const demo = await app.seedDemo().catch((err: unknown) => {
    infra.logger.warn({ err }, 'demo seed failed');
    return null;
  });
  if (demo) process.stdout.write(describeDemo(demo));
  await app.start();
  onShutdown(() => app.stop(), infra.logger);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
