import type { Infra } from '../../app/infra.js';
import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import type { SystemService } from './system.service.js';

type Deps = { system: SystemService; infra: Pick<Infra, 'config' | 'instanceId'> };

/** Proves the worker runs scheduled jobs; `serverStatus.worker` reads what it records. */
export const heartbeatJob: JobDefinition<Deps> = {
  queue: QueueName.SYSTEM,
  name: 'heartbeat',
  everyMs: (s) => s.infra.config.HEARTBEAT_INTERVAL_SECONDS * 1000,
  handle: async (_job, s) => s.system.recordHeartbeat(s.infra.instanceId),
};
