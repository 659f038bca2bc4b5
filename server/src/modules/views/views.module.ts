import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import { ViewCounter } from './view.service.js';
import { viewsFlushJob } from './views.job.js';
import { ViewStore } from './views.store.js';

/** View counts, once per viewer per hour, flushed to MySQL in batches by the worker. */
export function createViewsModule(deps: { infra: Infra }) {
  const views = new ViewCounter(deps.infra, new ViewStore(deps.infra.redis.client));
  return { views, jobs: [viewsFlushJob(views, deps.infra.config)] } satisfies ModuleParts & Record<string, unknown>;
}
