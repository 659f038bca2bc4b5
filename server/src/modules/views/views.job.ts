import type { Config } from '../../app/config.js';
import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import type { ViewCounter } from './view.service.js';

/** Persists counted views in batches (one UPDATE per target type), not a write per view; every VIEWS_FLUSH_INTERVAL_MS. */
export function viewsFlushJob(views: ViewCounter, config: Pick<Config, 'VIEWS_FLUSH_INTERVAL_MS'>): JobDefinition {
  return { queue: QueueName.COMMUNITY, name: 'views-flush', everyMs: config.VIEWS_FLUSH_INTERVAL_MS, handle: async () => views.flush() };
}
