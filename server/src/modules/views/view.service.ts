import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/mysql';
import type { Context } from '../../app/graphql/context.js';
import { defineLoader } from '../../app/graphql/loaders.js';
import type { Infra } from '../../app/infra.js';
import type { ViewStore } from './views.store.js';

/** How a kind of target stores its view count. */
export interface ViewTarget {
  /** Adds counted views to MySQL: one statement for the whole batch. */
  persist(em: EntityManager, deltas: Map<number, number>): Promise<void>;
}

/** A viewer counts once per target per hour. */
export const VIEW_DEDUP_SECONDS = 3600;

/**
 * Counts views once per viewer (user id, else IP) per target per hour with a Redis key that expires, and collects
 * them per type in a Redis hash; `flush()` (a worker job every few seconds) moves them to MySQL in one batch.
 * Reads add the pending views to the stored count, so a view shows at once.
 */
export class ViewCounter {
  private readonly targets = new Map<string, ViewTarget>();

  private readonly pendingLoader = defineLoader(
    (ctx) =>
      new DataLoader<string, number>((keys) =>
        this.store.pending(
          keys.map((k) => {
            const i = k.indexOf(':');
            return { type: k.slice(0, i), id: k.slice(i + 1) };
          }),
        ),
      ),
  );

  constructor(
    private readonly infra: Pick<Infra, 'orm'>,
    private readonly store: ViewStore,
  ) {}

  registerTarget(type: string, target: ViewTarget): void {
    this.targets.set(type, target);
  }

  /** Counts a view of `type:id` by the caller unless they viewed it within the hour; true when counted. */
  async count(ctx: Context, type: string, id: number): Promise<boolean> {
    const viewer = ctx.user ? `u${ctx.user.id}` : `ip${ctx.ip}`;
    if (!(await this.store.markSeen(type, id, viewer, VIEW_DEDUP_SECONDS))) return false;
    await this.store.addPending(type, id);
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
      const flat = await this.store.take(type);
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
        await this.store.putBack(type, deltas);
        throw err;
      }
    }
    return total;
  }
}
