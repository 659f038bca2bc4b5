import type { Knex } from '@mikro-orm/mysql';
import { Batcher } from '../../app/batcher.js';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { conflict } from '../../app/errors.js';
import { decodeCursor, encodeCursor, toConnection, type ConnectionShape } from '../../app/graphql/relay.js';
import type { Infra } from '../../app/infra.js';
import { Notification, NotificationKind } from './notification.entity.js';
import {
  applyLikes,
  changedSince,
  claimKey,
  claimKeys,
  insertForEach,
  insertSingles,
  markRead,
  pruneKeys,
  rowsAbout,
  type Like,
  type NotificationRow,
} from './notification.store.js';
import { NotificationTopic, type NotificationPayload } from './notification.topics.js';

/**
 * What the worker applies: a notification-shaped view of a domain event. `dedupeKey` identifies it; applying the same
 * key twice changes nothing. WEATHER_ALERT has no recipient: it goes to every user whose home province is `province`.
 */
export interface NotificationEventData {
  kind: NotificationKind;
  recipientId: number | null;
  actorId: number | null;
  targetType: string | null;
  targetId: number | null;
  province?: string | null;
  dedupeKey: string;
}

/** The users of a province, a page at a time (the users module answers; notifications never read its table). */
export type ProvinceResidents = (province: string, afterId: number, limit: number) => Promise<number[]>;

/** Kinds the worker writes for all the jobs it is running at once: one row each, or a grouped like. */
const TOGETHER = new Set<NotificationKind>([
  NotificationKind.COMMENT,
  NotificationKind.REPLY,
  NotificationKind.MISSION_REVIEWED,
  NotificationKind.RESUME_READY,
  NotificationKind.LIKE,
]);
const RESIDENTS_PAGE = 1000;

type Addressed = NotificationEventData & { recipientId: number };

/** The events cannot go together (one was applied before, or the ids came out interleaved): apply them one by one. */
class OneByOne extends Error {}

/** Nobody to tell, or telling the actor about their own action: nothing to write. */
const addressed = (e: NotificationEventData): e is Addressed =>
  e.recipientId != null && e.actorId !== e.recipientId && (e.kind !== NotificationKind.LIKE || e.actorId != null);

/**
 * Notifications: written by the worker from domain events (idempotently, by their dedupe keys), published to their
 * recipient on every API instance, read and marked read by their recipient.
 */
export class NotificationService {
  /** Events of the consumer jobs the worker runs at once go to MySQL together. */
  private readonly together = new Batcher<'jobs', NotificationEventData[], number[]>(
    async (_key, jobs) => {
      try {
        const added = await this.applyTogether(jobs.flat());
        return jobs.map((events) => events.flatMap((e) => added.get(e.dedupeKey) ?? []));
      } catch (err) {
        // A deadlock with another worker rolled the batch back: each event alone is a smaller target.
        if (!(err instanceof OneByOne) && (err as { code?: string }).code !== 'ER_LOCK_DEADLOCK') throw err;
        const out: number[][] = [];
        for (const events of jobs) {
          const ids: number[] = [];
          for (const e of events) ids.push(...(await this.apply(e)));
          out.push(ids);
        }
        return out;
      }
    },
    { maxBatch: 50 },
  );

  constructor(
    private readonly infra: Pick<Infra, 'orm' | 'pubsub' | 'config'>,
    nodes: NodeRegistry,
    private readonly residents: ProvinceResidents,
  ) {
    nodes.register('Notification', (ctx, id) =>
      ctx.user ? ctx.em.findOne(Notification, { id, recipientId: ctx.user.id }) : Promise.resolve(null),
    );
  }

  private get knex(): Knex {
    return this.infra.orm.em.getConnection().getKnex();
  }

  /**
   * Applies a job's events. Likes and the one-row kinds of all the jobs the worker is running go to MySQL together:
   * one transaction with multi-row statements. If any was applied before (a retried job), that transaction rolls back
   * and each event goes alone through `apply`, which skips the ones already applied. Weather alerts go one by one.
   */
  async applyAll(events: NotificationEventData[]): Promise<number[]> {
    const together = events.filter((e) => TOGETHER.has(e.kind));
    const ids = together.length ? await this.together.add('jobs', together) : [];
    for (const e of events) if (!TOGETHER.has(e.kind)) ids.push(...(await this.apply(e)));
    return ids;
  }

  /** Ids of the notifications added or grown, by dedupe key. */
  private async applyTogether(events: NotificationEventData[]): Promise<Map<string, number>> {
    const todo = events.filter(addressed);
    if (!todo.length) return new Map();
    const singles = todo.filter((e) => e.kind !== NotificationKind.LIKE);
    const likes = todo.filter((e) => e.kind === NotificationKind.LIKE) as Like[];
    const now = new Date();
    const ids = new Map<string, number>();
    const rows = await this.knex.transaction(async (trx) => {
      try {
        await claimKeys(
          trx,
          todo.map((e) => e.dedupeKey),
          now,
        );
      } catch (err) {
        if ((err as { code?: string }).code === 'ER_DUP_ENTRY') throw new OneByOne();
        throw err;
      }
      const written: NotificationRow[] = [];
      if (singles.length) {
        const added = await insertSingles(trx, singles, now);
        if (!added) throw new OneByOne();
        added.forEach((r, i) => ids.set(singles[i]!.dedupeKey, r.id));
        written.push(...added);
      }
      if (likes.length) {
        const grown = await applyLikes(trx, likes, now);
        for (const [key, r] of grown.byKey) ids.set(key, r.id);
        written.push(...grown.rows);
      }
      return written;
    });
    await this.publish(rows);
    return ids;
  }

  /**
   * Applies one event idempotently: its dedupe key and the notification change commit together, so a job that runs
   * twice (a stalled job retried, a worker killed after the commit) finds the key and writes nothing. Likes on one
   * target are grouped into the recipient's unread notification for it. Publishes after the commit.
   * Returns the ids of the notifications added or grown.
   */
  async apply(event: NotificationEventData): Promise<number[]> {
    if (event.kind === NotificationKind.WEATHER_ALERT) return this.applyBroadcast(event);
    if (!addressed(event)) return [];
    const rows = await this.knex.transaction(async (trx) => {
      const now = new Date();
      if (!(await claimKey(trx, event.dedupeKey, now))) return [];
      if (event.kind === NotificationKind.LIKE) return (await applyLikes(trx, [event as Like], now)).rows;
      const added = await insertSingles(trx, [event], now);
      if (!added) throw new Error(`notification for ${event.dedupeKey}: its row was not found after the insert`);
      return added;
    });
    await this.publish(rows);
    return rows.map((r) => r.id);
  }

  /** A weather warning: one notification for every resident of its province, once per event. */
  private async applyBroadcast(event: NotificationEventData): Promise<number[]> {
    const { province } = event;
    if (!province) return [];
    const rows = await this.knex.transaction(async (trx) => {
      const now = new Date();
      if (!(await claimKey(trx, event.dedupeKey, now))) return [];
      for (let after = 0; ;) {
        const page = await this.residents(province, after, RESIDENTS_PAGE);
        if (page.length) await insertForEach(trx, page, event, now);
        if (page.length < RESIDENTS_PAGE) break;
        after = page.at(-1)!;
      }
      return rowsAbout(trx, event.kind, event.targetType, event.targetId);
    });
    await this.publish(rows);
    return rows.map((r) => r.id);
  }

  private async publish(rows: NotificationRow[]): Promise<void> {
    await Promise.all(rows.map((r) => this.infra.pubsub.publish(NotificationTopic.ADDED, r.recipient_id, toPayload(r))));
  }

  /**
   * Forgets applied events older than NOTIFICATION_EVENTS_KEEP_DAYS. A job is retried for minutes at most, so a key
   * that old can no longer meet its duplicate. Returns rows removed.
   */
  pruneEvents(now = new Date()): Promise<number> {
    return pruneKeys(this.knex, new Date(now.getTime() - this.infra.config.NOTIFICATION_EVENTS_KEEP_DAYS * 86_400_000));
  }

  /** What a subscriber resuming from `after` missed: every notification added or grown since, oldest change first. */
  async changedSince(recipientId: number, after: string): Promise<NotificationPayload[]> {
    const [ms, id] = decodeCursor<[number, number]>(after, ['number', 'number'])!;
    const rows = await changedSince(this.knex, recipientId, new Date(ms), id, RESUME_MAX + 1);
    if (rows.length > RESUME_MAX)
      throw conflict('RESUME_GAP', 'Too much was missed to replay; reload your notifications and subscribe again.');
    return rows.map(toPayload);
  }

  // ---------------------------------------------------------------- reads

  async list(
    ctx: Context,
    args: { first: number; after?: string | null; unreadOnly?: boolean | null },
  ): Promise<ConnectionShape<Notification>> {
    const after = decodeCursor<[number]>(args.after, ['number']);
    const rows = await ctx.em.find(
      Notification,
      {
        recipientId: ctx.user!.id,
        ...(args.unreadOnly ? { readAt: null } : {}),
        ...(after ? { id: { $lt: after[0] } } : {}),
      },
      { orderBy: { id: 'desc' }, limit: args.first + 1 },
    );
    return toConnection(rows, args.first, (n) => encodeCursor([n.id]));
  }

  async unreadCount(ctx: Context): Promise<number> {
    return ctx.em.count(Notification, { recipientId: ctx.user!.id, readAt: null });
  }

  /** Marks the given notifications (or all) of the signed-in user read; returns how many changed. */
  async markRead(ctx: Context, ids: number[] | null, all: boolean): Promise<number> {
    if (!all && (!ids || ids.length === 0)) return 0;
    return markRead(this.knex, ctx.user!.id, all ? null : ids);
  }
}

/** A position in a user's notifications: the last change seen (a grouped like changes when it grows). */
export const resumeCursor = (updatedAt: Date, id: number) => encodeCursor([updatedAt.getTime(), id]);

/** Notifications replayed to a resuming subscriber at most; more means the client should reload the list. */
export const RESUME_MAX = 200;

export function toPayload(r: NotificationRow): NotificationPayload {
  const iso = (d: Date | string) => new Date(d).toISOString();
  return {
    id: r.id,
    recipientId: r.recipient_id,
    kind: r.kind,
    actorId: r.actor_id,
    actorIds: r.actor_ids,
    targetType: r.target_type,
    targetId: r.target_id,
    count: r.count,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    readAt: r.read_at ? iso(r.read_at) : null,
  };
}

/** A Notification (not managed by an EntityManager) from a pub/sub payload. */
export function fromPayload(p: NotificationPayload): Notification {
  return Object.assign(new Notification(), {
    ...p,
    kind: p.kind as NotificationKind,
    createdAt: new Date(p.createdAt),
    updatedAt: new Date(p.updatedAt),
    readAt: p.readAt ? new Date(p.readAt) : null,
  });
}
