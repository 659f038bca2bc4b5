import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import type { ViewCounter } from './view.service.js';

/** How often counted views move from Redis to MySQL. */
export const VIEW_FLUSH_INTERVAL_MS = 10_000;

/** Persists counted views in batches (one UPDATE per target type), not a write per view. */
export const viewsFlushJob: JobDefinition<{ views: ViewCounter }> = {
  queue: QueueName.COMMUNITY,
  name: 'views-flush',
  everyMs: () => VIEW_FLUSH_INTERVAL_MS,
  handle: async (_job, s) => s.views.flush(),
};
