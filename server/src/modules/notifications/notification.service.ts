import type { Knex } from '@mikro-orm/mysql';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { decodeCursor, encodeCursor, toConnection, type ConnectionShape } from '../../app/graphql/relay.js';
import type { Infra } from '../../app/infra.js';
import { Batcher } from '../../app/batcher.js';
import { insertedRows } from '../../app/inserted-rows.js';
import { applyLikes, INSERT_NOTIFICATIONS, type Like, type NotificationRow } from './notification.likes.js';
import { QueueName } from '../../app/queue/queues.js';
import { Notification, NotificationKind } from './notification.entity.js';
import { NotificationTopic, type NotificationPayload } from './notification.topics.js';

export const NOTIFY_JOB = 'notify';

/**
 * A domain event, as the job carries it: ids only. `dedupeKey` identifies the event; applying the same key twice
 * changes nothing. WEATHER_ALERT events have no recipient: they go to every user whose home province is `province`.
 */
export interface NotificationEventData {
  kind: NotificationKind;
  /** Null: the owner of `ownerOf` (or of the target), looked up by the worker so the request pays nothing. */
  recipientId: number | null;
  /** Whose owner is the recipient when `recipientId` is null (a COMMENT's target is the comment, the owner is the post's). */
  ownerOf?: { type: string; id: number } | null;
  actorId: number | null;
  targetType: string | null;
  targetId: number | null;
  province?: string | null;
  dedupeKey: string;
}

/** What a producer passes; the dedupe key defaults to one derived from the event. */
export type NotifyInput = Omit<NotificationEventData, 'kind' | 'dedupeKey' | 'province' | 'recipientId'> & {
  /** The enum or its name, so producers need no import but the type. */
  kind: NotificationKind | `${NotificationKind}`;
  recipientId?: number | null;
  dedupeKey?: string;
};

/** A notify job: the events of the requests that enqueued together (older jobs carry one bare event). */
export type NotifyJobData = { events: NotificationEventData[] } | NotificationEventData;

/** How the worker finds the owner of a notifiable object: table and owner column of the modules that produce events. */
const OWNERS: Readonly<Record<string, { table: string; column: string }>> = {
  Post: { table: 'posts', column: 'author_id' },
  Comment: { table: 'comments', column: 'author_id' },
  Resume: { table: 'resumes', column: 'owner_id' },
  MissionSubmission: { table: 'mission_submissions', column: 'user_id' },
  ResumeJob: { table: 'resume_jobs', column: 'user_id' },
};

/** Kinds that always add a row of their own (no grouping, one recipient). */
const UNGROUPED = new Set<NotificationKind>([
  NotificationKind.COMMENT,
  NotificationKind.REPLY,
  NotificationKind.MISSION_REVIEWED,
  NotificationKind.RESUME_READY,
]);
/** Kinds the worker writes for all the jobs it is running at once: the ungrouped ones and likes. */
const TOGETHER = new Set<NotificationKind>([...UNGROUPED, NotificationKind.LIKE]);

export class NotificationService {
  constructor(
    private readonly infra: Pick<Infra, 'config' | 'orm' | 'pubsub' | 'queues' | 'logger'>,
    nodes: NodeRegistry,
  ) {
    this.outbox = new Batcher(
      async (_key: 'jobs', events: NotificationEventData[]) => {
        await this.infra.queues
          .get(QueueName.NOTIFICATIONS)
          .add(NOTIFY_JOB, { events }, { attempts: 8, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: true });
        return events.map((): void => undefined);
      },
      200,
      infra.config.NOTIFICATIONS_LINGER_MS,
    );
    nodes.register('Notification', (ctx, id) =>
      ctx.user ? ctx.em.findOne(Notification, { id, recipientId: ctx.user.id }) : Promise.resolve(null),
    );
  }

  /** Events of concurrent requests share one job; each request still waits until its event is in Redis. */
  private readonly outbox: Batcher<'jobs', NotificationEventData, void>;

  private get knex(): Knex {
    return this.infra.orm.em.getConnection().getKnex();
  }

  // ---------------------------------------------------------------- producers

  /**
   * Called by the request that caused the event, after its own write committed. In `queued` mode it only adds a
   * small BullMQ job; in `inline` mode (benchmark baseline) it writes the notification before returning. Never
   * throws: the caller's change is already committed, so a failure here is logged rather than failing the request.
   */
  async notify(input: NotifyInput): Promise<void> {
    const recipientId = input.recipientId ?? null;
    if (recipientId == null && !input.ownerOf && !(input.targetType && input.targetId != null)) return;
    if (recipientId != null && input.actorId === recipientId) return;
    const dedupeKey =
      input.dedupeKey ??
      (input.kind === NotificationKind.LIKE
        ? `LIKE:${input.actorId}:${input.targetType}:${input.targetId}`
        : `${input.kind}:${input.actorId ?? '-'}:${input.targetType}:${input.targetId}`);
    await this.dispatch({ ...input, kind: input.kind as NotificationKind, recipientId, dedupeKey });
  }

  /** A new weather warning: every user whose home province is `province` gets one notification, once per alert. */
  async notifyWeatherAlert(alertId: number, province: string | null): Promise<void> {
    if (!province) return;
    await this.dispatch({
      kind: NotificationKind.WEATHER_ALERT,
      recipientId: null,
      actorId: null,
      targetType: 'WeatherAlert',
      targetId: alertId,
      province,
      dedupeKey: `WEATHER_ALERT:${alertId}`,
    });
  }

  private async dispatch(data: NotificationEventData): Promise<void> {
    try {
      if (this.infra.config.NOTIFICATIONS_MODE === 'inline') await this.apply(data);
      else await this.outbox.add('jobs', data);
    } catch (err) {
      this.infra.logger.error({ err, event: data }, 'notification not dispatched');
    }
  }

  // ---------------------------------------------------------------- worker

  /**
   * Applies a job's events. Likes and the ungrouped kinds (a comment, a reply...) of all the jobs the worker is running
   * go to MySQL together: one transaction with multi-row statements. If any was applied before (a retried job), that
   * transaction rolls back and each event goes alone through `apply`, which skips the ones already applied. Weather
   * alerts always go one by one.
   */
  async applyAll(events: NotificationEventData[]): Promise<number[]> {
    const together = events.filter((e) => TOGETHER.has(e.kind));
    const ids = together.length ? await this.together.add('jobs', together) : [];
    for (const e of events) if (!TOGETHER.has(e.kind)) ids.push(...(await this.apply(e)));
    return ids;
  }

  private readonly together = new Batcher<'jobs', NotificationEventData[], number[]>(async (_key, jobs) => {
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
  }, 50);

  /** Ids of the notifications added or grown, by dedupe key. */
  private async applyTogether(events: NotificationEventData[]): Promise<Map<string, number>> {
    const owners = await this.ownersOf(events);
    const todo = events
      .map((e) => ({ ...e, recipientId: e.recipientId ?? owners.get(ownerKey(e)) ?? null }))
      .filter((e): e is NotificationEventData & { recipientId: number } => e.recipientId != null && e.actorId !== e.recipientId)
      // a like names its actor; one without is nothing to show
      .filter((e) => e.kind !== NotificationKind.LIKE || e.actorId != null);
    if (!todo.length) return new Map();
    const singles = todo.filter((e) => e.kind !== NotificationKind.LIKE);
    const likes = todo.filter((e) => e.kind === NotificationKind.LIKE) as Like[];
    const now = new Date();
    const ids = new Map<string, number>();
    const rows = await this.knex.transaction(async (trx) => {
      try {
        await trx.raw(
          `insert into notification_events (dedupe_key, created_at) values ${todo.map(() => '(?, ?)').join(', ')}`,
          todo.flatMap((e) => [e.dedupeKey.slice(0, 150), now]),
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
    await Promise.all(rows.map((r) => this.infra.pubsub.publish(NotificationTopic.ADDED, r.recipient_id, toPayload(r))));
    return ids;
  }

  /** Owners of the events that name none, by `type:id`, one query per type. */
  private async ownersOf(events: NotificationEventData[]): Promise<Map<string, number>> {
    const byType = new Map<string, number[]>();
    for (const e of events) {
      const about = e.recipientId == null ? subjectOf(e) : null;
      if (about && OWNERS[about.type]) byType.set(about.type, [...(byType.get(about.type) ?? []), about.id]);
    }
    const owners = new Map<string, number>();
    for (const [type, ids] of byType) {
      const { table, column } = OWNERS[type]!;
      const [found] = await this.knex.raw(
        `select id, ${column} as owner from ${table} where id in (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      for (const r of found as { id: number; owner: number }[]) owners.set(`${type}:${r.id}`, r.owner);
    }
    return owners;
  }

  /**
   * Applies one event idempotently: its dedupe key and the notification change commit together, so a job that runs
   * twice (a stalled job retried, a worker killed after the commit) finds the key and writes nothing. Likes on one
   * target are grouped into the recipient's unread notification for it. Publishes after the commit.
   * Returns the ids of the notifications added or grown.
   */
  async apply(input: NotificationEventData): Promise<number[]> {
    const event =
      input.kind === NotificationKind.WEATHER_ALERT || input.recipientId != null
        ? input
        : { ...input, recipientId: await this.ownerOf(input) };
    if (event.kind !== NotificationKind.WEATHER_ALERT && event.recipientId == null) return [];
    if (event.actorId != null && event.actorId === event.recipientId) return [];
    const rows = await this.knex.transaction(async (trx) => {
      const now = new Date();
      const [claimed] = await trx.raw('insert ignore into notification_events (dedupe_key, created_at) values (?, ?)', [
        event.dedupeKey.slice(0, 150),
        now,
      ]);
      if (!claimed.affectedRows) return [] as NotificationRow[];

      if (event.kind === NotificationKind.WEATHER_ALERT) {
        if (!event.province) return [] as NotificationRow[];
        await trx.raw(
          `${INSERT_NOTIFICATIONS}
           select u.id, ?, null, '[]', ?, ?, 1, null, ?, ? from users u where u.home_province = ?`,
          [event.kind, event.targetType, event.targetId, now, now, event.province],
        );
        const [added] = await trx.raw('select * from notifications where kind = ? and target_type = ? and target_id = ?', [
          event.kind,
          event.targetType,
          event.targetId,
        ]);
        return added as NotificationRow[];
      }

      if (event.recipientId == null) return [] as NotificationRow[];
      if (event.kind === NotificationKind.LIKE) return event.actorId == null ? [] : (await applyLikes(trx, [event as Like], now)).rows;
      const added = await insertSingles(trx, [{ ...event, recipientId: event.recipientId }], now);
      if (!added) throw new Error(`notification for ${event.dedupeKey}: its row was not found after the insert`);
      return added;
    });
    await Promise.all(rows.map((r) => this.infra.pubsub.publish(NotificationTopic.ADDED, r.recipient_id, toPayload(r))));
    return rows.map((r) => r.id);
  }

  /** The owner of what the event is about; null when it is gone or of a type without owners. */
  private async ownerOf(event: NotificationEventData): Promise<number | null> {
    return (await this.ownersOf([event])).get(ownerKey(event)) ?? null;
  }

  /**
   * Forgets applied events older than NOTIFICATION_EVENTS_KEEP_DAYS, in chunks so no statement holds locks for long.
   * A job is retried for minutes at most, so a key that old can no longer meet its duplicate. Returns rows removed.
   */
  async pruneEvents(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.infra.config.NOTIFICATION_EVENTS_KEEP_DAYS * 86_400_000);
    let removed = 0;
    for (;;) {
      const [res] = await this.knex.raw('delete from notification_events where created_at < ? order by created_at limit 5000', [before]);
      removed += res.affectedRows;
      if (res.affectedRows < 5000) return removed;
    }
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
    const q = this.knex('notifications')
      .where({ recipient_id: ctx.user!.id })
      .whereNull('read_at')
      .update({ read_at: new Date(), group_key: null });
    if (!all) q.whereIn('id', ids!);
    return q;
  }
}

/** Notifications of their own (no grouping), in one multi-row INSERT, read back; null when the ids are not all theirs. */
async function insertSingles(
  trx: Knex.Transaction,
  events: (NotificationEventData & { recipientId: number })[],
  now: Date,
): Promise<NotificationRow[] | null> {
  const values = events.map((e) => [
    e.recipientId,
    e.kind,
    e.actorId,
    JSON.stringify(e.actorId == null ? [] : [e.actorId]),
    e.targetType,
    e.targetId,
    now,
    now,
  ]);
  const [res] = await trx.raw(
    `${INSERT_NOTIFICATIONS} values ${values.map(() => '(?, ?, ?, ?, ?, ?, 1, null, ?, ?)').join(', ')}`,
    values.flat(),
  );
  const ours = (r: NotificationRow, i: number) =>
    r.recipient_id === events[i]!.recipientId && r.target_id === events[i]!.targetId && r.kind === events[i]!.kind;
  return insertedRows<NotificationRow>(trx, 'notifications', '*', res.insertId, events.length, ours);
}

/** The events cannot go together (one was applied before, or the ids came out interleaved): apply them one by one. */
class OneByOne extends Error {}

/** What an event's recipient owns: `ownerOf`, else its target. */
function subjectOf(e: NotificationEventData): { type: string; id: number } | null {
  return e.ownerOf ?? (e.targetType && e.targetId != null ? { type: e.targetType, id: e.targetId } : null);
}

function ownerKey(e: NotificationEventData): string {
  const about = subjectOf(e);
  return about ? `${about.type}:${about.id}` : '';
}

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
