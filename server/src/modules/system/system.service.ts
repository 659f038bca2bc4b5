import { badInput } from '../../app/errors.js';
import type { Infra } from '../../app/infra.js';
import { QueueName } from '../../app/queue/queues.js';
import { SystemTopic, type PingedPayload } from './system.topics.js';
import type { ServerStatus } from './system.types.js';

const HEARTBEAT_KEY = 'worker:heartbeat';
const VERSION = '0.1.0';

export class SystemService {
  private readonly startedAt = Date.now();

  constructor(private readonly infra: Pick<Infra, 'orm' | 'redis' | 'pubsub' | 'queues' | 'config' | 'instanceId'>) {}

  async isDatabaseUp(): Promise<boolean> {
    try {
      await this.infra.orm.em.getConnection().execute('select 1');
      return true;
    } catch {
      return false;
    }
  }

  async isRedisUp(): Promise<boolean> {
    try {
      return (await this.infra.redis.client.ping()) === 'PONG';
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
    return {
      version: VERSION,
      instanceId: this.infra.instanceId,
      uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
      database,
      redis,
      worker: { lastHeartbeatAt, alive: !!lastHeartbeatAt && Date.now() - lastHeartbeatAt.getTime() < staleAfterMs },
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
    const heartbeat = await this.infra.redis.client.get(HEARTBEAT_KEY);
    return heartbeat ? new Date(JSON.parse(heartbeat).at) : null;
  }

  /** Called by the worker's heartbeat job. */
  async recordHeartbeat(workerId: string): Promise<void> {
    const at = new Date().toISOString();
    await this.infra.redis.client.set(HEARTBEAT_KEY, JSON.stringify({ at, workerId }));
  }

  async ping(message: string): Promise<void> {
    if (message.length > 200) throw badInput({ message: ['must be at most 200 characters'] });
    const payload: PingedPayload = { message, instanceId: this.infra.instanceId, at: new Date().toISOString() };
    await this.infra.pubsub.publish(SystemTopic.PINGED, payload);
  }
}
