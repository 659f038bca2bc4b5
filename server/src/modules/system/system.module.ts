import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import { heartbeatJob } from './heartbeat.job.js';
import { SystemResolver } from './system.resolver.js';
import { SystemService } from './system.service.js';
import { SystemStore } from './system.store.js';
import { SystemTopic } from './system.topics.js';

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const SYSTEM_RESOLVERS = [SystemResolver];

/** Health of the process and its stores, the worker heartbeat, `node(id)` and the ping check. */
export function createSystemModule(deps: { infra: Infra; nodes: NodeRegistry }) {
  const system = new SystemService(deps.infra, new SystemStore(deps.infra.orm, deps.infra.redis.client));
  return {
    system,
    resolvers: [new SystemResolver(system, deps.nodes)],
    jobs: [heartbeatJob(system, deps.infra)],
    topics: SystemTopic,
  } satisfies ModuleParts & Record<string, unknown>;
}
