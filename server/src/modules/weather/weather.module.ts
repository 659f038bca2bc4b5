import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import type { EventRecorder } from '../../app/outbox/outbox.js';
import { RedisLocks } from '../../app/redis-lock.js';
import { AlertIngest } from './alert-ingest.js';
import { CurrentWeatherService } from './current-weather.service.js';
import { DemoKma } from './demo-kma.js';
import { KmaClient, type KmaSource } from './kma.client.js';
import { PollerStatus } from './poller-status.js';
import { ServerStatusWeatherResolver } from './server-status.resolver.js';
import { WeatherAlert } from './weather-alert.entity.js';
import { weatherPollJob } from './weather.job.js';
import { WeatherResolver } from './weather.resolver.js';
import { WeatherService } from './weather.service.js';
import { WeatherStore } from './weather.store.js';
import { WeatherTopic } from './weather.topics.js';

export const WEATHER_ENTITIES = [WeatherAlert];

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const WEATHER_RESOLVERS = [WeatherResolver, ServerStatusWeatherResolver];

/** KMA warnings (polled by the worker) and current observations; tells listeners which provinces have warnings. */
export function createWeatherModule(deps: { infra: Infra; nodes: NodeRegistry; events: EventRecorder }) {
  const { infra } = deps;
  const config = infra.config;
  // Without a key, a first start outside production plays the built-in demo so the weather pages are alive.
  const demo = !config.KMA_SERVICE_KEY && config.DEMO_SEED && !config.isProduction;
  const kma: KmaSource | null = config.KMA_SERVICE_KEY
    ? new KmaClient({
        baseUrl: config.KMA_BASE_URL ?? 'https://apis.data.go.kr/1360000',
        serviceKey: config.KMA_SERVICE_KEY,
        timeoutMs: config.KMA_TIMEOUT_MS,
      })
    : demo
      ? new DemoKma()
      : null;
  const store = new WeatherStore(infra.orm, infra.redis.client);
  const currentWeather = new CurrentWeatherService(infra, store, kma);
  const weather = new WeatherService(
    infra,
    deps.nodes,
    kma,
    new AlertIngest(infra, store, deps.events),
    new PollerStatus(store, infra.logger),
    new RedisLocks(infra.redis.client),
  );
  return {
    weather,
    currentWeather,
    resolvers: [new WeatherResolver(weather, currentWeather), new ServerStatusWeatherResolver(weather)],
    // The demo's warnings move within minutes: poll it often enough to watch.
    jobs: [weatherPollJob(weather, demo ? Math.min(config.WEATHER_POLL_INTERVAL_SECONDS, 15) : config.WEATHER_POLL_INTERVAL_SECONDS)],
    topics: WeatherTopic,
  } satisfies ModuleParts & Record<string, unknown>;
}
