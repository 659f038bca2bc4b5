import type { MikroORM } from '@mikro-orm/mysql';
import type { Redis } from 'ioredis';

const HEARTBEAT_KEY = 'worker:heartbeat';

/** The worker's last heartbeat, as the heartbeat job records it. */
export interface Heartbeat {
  at: string;
  workerId: string;
}

/** The statements of the health checks: a trivial query, and the worker's heartbeat record in Redis. */
export class SystemStore {
  constructor(
    private readonly orm: Pick<MikroORM, 'em'>,
    private readonly redis: Redis,
  ) {}

  /** Throws when MySQL does not answer. */
  async queryDatabase(): Promise<void> {
    await this.orm.em.getConnection().execute('select 1');
  }

  /** Throws when Redis does not answer PONG. */
  async pingRedis(): Promise<void> {
    const reply = await this.redis.ping();
    if (reply !== 'PONG') throw new Error(`redis answered ${reply}`);
  }

  async readHeartbeat(): Promise<Heartbeat | null> {
    const raw = await this.redis.get(HEARTBEAT_KEY);
    return raw ? (JSON.parse(raw) as Heartbeat) : null;
  }

  async writeHeartbeat(h: Heartbeat): Promise<void> {
    await this.redis.set(HEARTBEAT_KEY, JSON.stringify(h));
  }
}
