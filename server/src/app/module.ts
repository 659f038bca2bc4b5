import type { EventConsumer } from './events.js';
import type { Route } from './http/request.js';
import type { JobDefinition } from './queue/jobs.js';

/**
 * What a module's factory (`createXModule(deps)`) hands the composition roots besides its services: the API takes
 * resolvers and routes, the worker jobs and consumers. Entities are listed statically (`X_ENTITIES`) because the ORM
 * must know them before any module is built.
 */
export interface ModuleParts {
  /** Resolver instances, each constructed with the services it uses. */
  resolvers?: readonly object[];
  routes?: readonly Route[];
  jobs?: readonly JobDefinition<any, any>[];
  consumers?: readonly EventConsumer[];
  /** The module's pub/sub topics (for the README's map and tests). */
  topics?: Readonly<Record<string, string>>;
  /** Stops timers (and says goodbye where others count on it) before connections close. */
  close?(): Promise<void> | void;
}
