import type { Infra } from '../../app/infra.js';
import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import type { SystemService } from './system.service.js';

/** Proves the worker runs scheduled jobs; `serverStatus.worker` reads what it records. */
export function heartbeatJob(system: SystemService, infra: Pick<Infra, 'config' | 'instanceId'>): JobDefinition {
  return {
    queue: QueueName.SYSTEM,
    name: 'heartbeat',
    everyMs: infra.config.HEARTBEAT_INTERVAL_SECONDS * 1000,
    handle: async () => system.recordHeartbeat(infra.instanceId),
  };
}
