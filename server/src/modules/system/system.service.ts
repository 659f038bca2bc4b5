import type { Infra } from '../../app/infra.js';
import { QueueName } from '../../app/queue/queues.js';
import type { SystemStore } from './system.store.js';
import { SystemTopic, type PingedPayload } from './system.topics.js';
import { WorkerState, type ServerStatus } from './system.types.js';

const VERSION = '0.1.0';

export class SystemService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly infra: Pick<Infra, 'pubsub' | 'queues' | 'config' | 'instanceId'>,
    private readonly store: SystemStore,
  ) {}

  async isDatabaseUp(): Promise<boolean> {
    try {
      await this.store.queryDatabase();
      return true;
    } catch {
      return false;
    }
  }

  async isRedisUp(): Promise<boolean> {
    try {
      await this.store.pingRedis();
      return true;
    } catch {
      return false;
    }
  }

  async status(): Promise<ServerStatus> {
    const [database, redis, lastHeartbeatAt, queues] = await Promise.all([
      this.isDatabaseUp(),
      this.isRedisUp(),
      this.lastHeartbeatAt().catch(() => null),
      this.queueStatus(),
    ]);
    const staleAfterMs = this.infra.config.HEARTBEAT_INTERVAL_SECONDS * 3000;
    const alive = !!lastHeartbeatAt && Date.now() - lastHeartbeatAt.getTime() < staleAfterMs;
    return {
      version: VERSION,
      instanceId: this.infra.instanceId,
      uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
      database,
      redis,
      worker: { lastHeartbeatAt, alive, state: alive ? WorkerState.OK : WorkerState.DEGRADED },
      queues,
    };
  }

  private async queueStatus() {
    return Promise.all(
      Object.values(QueueName).map(async (name) => {
        const counts = await this.infra.queues
          .get(name)
          .getJobCounts('waiting', 'active', 'delayed', 'failed')
          .catch(() => ({ waiting: 0, active: 0, delayed: 0, failed: 0 }));
        return { name, waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
      }),
    );
  }

  /** When a worker last ran its heartbeat job (null: never, or Redis lost it); the worker's health endpoint reads it. */
  async lastHeartbeatAt(): Promise<Date | null> {
    const heartbeat = await this.store.readHeartbeat();
    return heartbeat ? new Date(heartbeat.at) : null;
  }

  /** Called by the worker's heartbeat job. */
  async recordHeartbeat(workerId: string): Promise<void> {
    await this.store.writeHeartbeat({ at: new Date().toISOString(), workerId });
  }

  /** Publishes a ping to every instance; the message's length is checked on PingArgs. */
  async ping(message: string): Promise<void> {
    const payload: PingedPayload = { message, instanceId: this.infra.instanceId, at: new Date().toISOString() };
    await this.infra.pubsub.publish(SystemTopic.PINGED, payload);
  }
}
