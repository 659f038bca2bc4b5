import type { MikroORM } from '@mikro-orm/mysql';
import type { Config } from './config.js';
import type { PubSub } from './graphql/pubsub.js';
import type { Logger } from './logger.js';
import type { Queues } from './queue/queues.js';
import type { RedisConnections } from './redis.js';

/** Connections a process opens once in its composition root and hands to its services. */
export interface Infra {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  redis: RedisConnections;
  pubsub: PubSub;
  queues: Queues;
  /** Identifies this process in logs, status and cross-instance tests. */
  instanceId: string;
}
