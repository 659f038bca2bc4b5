import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/mysql';
import type { Redis } from 'ioredis';
import type { Context } from '../../app/graphql/context.js';
import { defineLoader } from '../../app/graphql/loaders.js';
import type { Infra } from '../../app/infra.js';

/** How a kind of target stores its view count. */
export interface ViewTarget {
  /** Adds counted views to MySQL: one statement for the whole batch. */
  persist(em: EntityManager, deltas: Map<number, number>): Promise<void>;
}

/** A viewer counts once per target per hour. */
export const VIEW_DEDUP_SECONDS = 3600;

/** Takes the pending counts of a type atomically (read and delete), so concurrent flushes never count twice. */
const TAKE = `
local all = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return all`;

type ViewRedis = Redis & { viewsTake(key: string): Promise<string[]> };

const pendingKey = (type: string) => `views:pending:${type}`;

/**
 * Counts views once per viewer (user id, else IP) per target per hour with a Redis key that expires, and collects
 * them per type in a Redis hash; `flush()` (a worker job every few seconds) moves them to MySQL in one batch.
 * Reads add the pending views to the stored count, so a view shows at once.
 */
export class ViewCounter {
  private readonly targets = new Map<string, ViewTarget>();
  private readonly redis: ViewRedis;

  private readonly pendingLoader = defineLoader(
    (ctx) =>
      new DataLoader<string, number>(async (keys) => {
        const pipeline = this.redis.pipeline();
        for (const k of keys) {
          const i = k.indexOf(':');
          pipeline.hget(pendingKey(k.slice(0, i)), k.slice(i + 1));
        }
        const rows = (await pipeline.exec()) ?? [];
        return keys.map((_, i) => Number(rows[i]?.[1] ?? 0) || 0);
      }),
  );

  constructor(private readonly infra: Infra) {
    infra.redis.client.defineCommand('viewsTake', { numberOfKeys: 1, lua: TAKE });
    this.redis = infra.redis.client as ViewRedis;
  }

  registerTarget(type: string, target: ViewTarget): void {
    this.targets.set(type, target);
  }

  /** Counts a view of `type:id` by the caller unless they viewed it within the hour; true when counted. */
  async count(ctx: Context, type: string, id: number): Promise<boolean> {
    const viewer = ctx.user ? `u${ctx.user.id}` : `ip${ctx.ip}`;
    const fresh = await this.redis.set(`views:seen:${type}:${id}:${viewer}`, '1', 'EX', VIEW_DEDUP_SECONDS, 'NX');
    if (fresh !== 'OK') return false;
    await this.redis.hincrby(pendingKey(type), String(id), 1);
    this.pendingLoader(ctx).clear(`${type}:${id}`);
    return true;
  }

  /** Views counted but not yet in MySQL. */
  pending(ctx: Context, type: string, id: number): Promise<number> {
    return this.pendingLoader(ctx).load(`${type}:${id}`);
  }

  /** Moves pending views of every type to MySQL; returns how many views were written. */
  async flush(): Promise<number> {
    let total = 0;
    for (const [type, target] of this.targets) {
      const flat = await this.redis.viewsTake(pendingKey(type));
      if (!flat.length) continue;
      const deltas = new Map<number, number>();
      for (let i = 0; i < flat.length; i += 2) {
        const n = Number(flat[i + 1]);
        if (n > 0) deltas.set(Number(flat[i]), n);
        total += n;
      }
      try {
        await target.persist(this.infra.orm.em.fork(), deltas);
      } catch (err) {
        // Put them back for the next flush rather than lose them.
        const pipeline = this.redis.pipeline();
        for (const [id, n] of deltas) pipeline.hincrby(pendingKey(type), String(id), n);
        await pipeline.exec();
        throw err;
      }
    }
    return total;
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
