import type { Knex } from '@mikro-orm/mysql';
import type { Config } from '../config.js';
import type { JobDefinition } from '../queue/jobs.js';
import { QueueName } from '../queue/queues.js';
import { outboxStore } from './outbox.store.js';

/** Hourly: deletes events handed on more than OUTBOX_KEEP_HOURS ago. */
export function outboxPruneJob(knex: () => Knex, config: Pick<Config, 'OUTBOX_KEEP_HOURS'>): JobDefinition<unknown, number> {
  return {
    queue: QueueName.SYSTEM,
    name: 'outbox-prune',
    everyMs: 3_600_000,
    handle: () => outboxStore.pruneSent(knex(), new Date(Date.now() - config.OUTBOX_KEEP_HOURS * 3_600_000)),
  };
}
