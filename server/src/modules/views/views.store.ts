import type { EntityManager } from '@mikro-orm/mysql';
import type { Redis } from 'ioredis';

/** Takes the pending counts of a type atomically (read and delete), so concurrent flushes never count twice. */
const TAKE = `
local all = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return all`;

type ViewRedis = Redis & { viewsTake(key: string): Promise<string[]> };

const pendingKey = (type: string) => `views:pending:${type}`;
const seenKey = (type: string, id: number, viewer: string) => `views:seen:${type}:${id}:${viewer}`;

/** Every Redis command and script of view counting: a key per recent viewer, a hash of pending counts per type. */
export class ViewStore {
  private readonly redis: ViewRedis;

  constructor(redis: Redis) {
    redis.defineCommand('viewsTake', { numberOfKeys: 1, lua: TAKE });
    this.redis = redis as ViewRedis;
  }

  /** Marks `viewer` as having seen `type:id` for `seconds`; false when they already had. */
  async markSeen(type: string, id: number, viewer: string, seconds: number): Promise<boolean> {
    return (await this.redis.set(seenKey(type, id, viewer), '1', 'EX', seconds, 'NX')) === 'OK';
  }

  async addPending(type: string, id: number): Promise<void> {
    await this.redis.hincrby(pendingKey(type), String(id), 1);
  }

  /** Pending views by position, in one round trip. */
  async pending(targets: readonly { type: string; id: string }[]): Promise<number[]> {
    const pipeline = this.redis.pipeline();
    for (const t of targets) pipeline.hget(pendingKey(t.type), t.id);
    const rows = (await pipeline.exec()) ?? [];
    return targets.map((_, i) => Number(rows[i]?.[1] ?? 0) || 0);
  }

  /** Removes and returns the pending counts of a type, as flat [id, count, id, count, ...]. */
  take(type: string): Promise<string[]> {
    return this.redis.viewsTake(pendingKey(type));
  }

  /** Adds counts back (a flush that failed). */
  async putBack(type: string, deltas: Map<number, number>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [id, n] of deltas) pipeline.hincrby(pendingKey(type), String(id), n);
    await pipeline.exec();
  }
}

/** `update <table> set view_count = view_count + case id ... end where id in (...)`: one statement per batch. */
export async function addViewCounts(em: EntityManager, table: string, deltas: Map<number, number>): Promise<void> {
  if (!deltas.size) return;
  const ids = [...deltas.keys()];
  const cases = ids.map(() => 'when ? then ?').join(' ');
  const params = ids.flatMap((id) => [id, deltas.get(id)!]);
  await em
    .getConnection()
    .execute(
      `update \`${table}\` set view_count = view_count + case id ${cases} else 0 end where id in (${ids.map(() => '?').join(',')})`,
      [...params, ...ids],
    );
}
