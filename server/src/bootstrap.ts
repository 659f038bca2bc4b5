import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from './app/config.js';
import { createPubSub } from './app/graphql/pubsub.js';
import type { Infra } from './app/infra.js';
import { createLogger } from './app/logger.js';
import { createOrm } from './app/orm.js';
import { createQueues } from './app/queue/queues.js';
import { createRedis } from './app/redis.js';
import { migrations } from './migrations/index.js';
import { ENTITIES } from './modules/index.js';

export interface InfraOptions {
  /** Apply pending migrations (the API does at start; the worker waits for it). */
  migrate?: boolean;
  onQuery?: (sql: string) => void;
}

/** Opens what every process needs, in order; what was opened is closed again if a later step fails. */
export async function createInfra(config: Config, processName: 'api' | 'worker', options: InfraOptions = {}): Promise<Infra> {
  const logger = createLogger(config, processName);
  const instanceId = `${processName}-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const orm = await createOrm(config, { entities: ENTITIES, migrations, logger, migrate: options.migrate, onQuery: options.onQuery });
  try {
    const redis = await createRedis(config);
    const pubsub = createPubSub(redis, config.REDIS_PREFIX);
    const queues = createQueues(config);
    return { config, logger, orm, redis, pubsub, queues, instanceId };
  } catch (err) {
    await orm.close(true);
    throw err;
  }
}

export async function closeInfra(infra: Infra): Promise<void> {
  await infra.queues.close();
  await infra.pubsub.close().catch(() => undefined);
  await infra.redis.close();
  await infra.orm.close(true);
}
