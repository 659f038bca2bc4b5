import type { Knex } from '@mikro-orm/mysql';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { decodeCursor, encodeCursor, toConnection, type ConnectionShape } from '../../app/graphql/relay.js';
import type { Infra } from '../../app/infra.js';
import { QueueName } from '../../app/queue/queues.js';
import { Notification, NotificationKind } from './notification.entity.js';
import { NotificationTopic, type NotificationPayload } from './notification.topics.js';

/** How many distinct recent actors a grouped notification remembers ("A, B and 12 others"). */
export const RECENT_ACTORS = 3;

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

/** How the worker finds the owner of a notifiable object (the tables of the modules that produce events). */
const OWNER_SQL: Readonly<Record<string, string>> = {
  Post: 'select author_id as owner from posts where id = ?',
  Comment: 'select author_id as owner from comments where id = ?',
  Resume: 'select owner_id as owner from resumes where id = ?',
  MissionSubmission: 'select user_id as owner from mission_submissions where id = ?',
  ResumeJob: 'select user_id as owner from resume_jobs where id = ?',
};

interface Row {
  id: number;
  recipient_id: number;
  kind: string;
  actor_id: number | null;
  actor_ids: string;
  target_type: string | null;
  target_id: number | null;
  count: number;
  created_at: Date;
  updated_at: Date;
  read_at: Date | null;
}

export class NotificationService {
  constructor(
    private readonly infra: Pick<Infra, 'config' | 'orm' | 'pubsub' | 'queues' | 'logger'>,
    nodes: NodeRegistry,
  ) {
    nodes.register('Notification', (ctx, id) =>
      ctx.user ? ctx.em.findOne(Notification, { id, recipientId: ctx.user.id }) : Promise.resolve(null),
    );
  }

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
      else {
        await this.infra.queues
          .get(QueueName.NOTIFICATIONS)
          .add(NOTIFY_JOB, data, { attempts: 8, backoff: { type: 'exponential', delay: 500 } });
      }
    } catch (err) {
      this.infra.logger.error({ err, event: data }, 'notification not dispatched');
    }
  }

  // ---------------------------------------------------------------- worker

  /**
   * Applies one event idempotently: its dedupe key and the notification change commit together, so a job that runs
   * twice (a stalled job retried, a worker killed after the commit) finds the key and writes nothing. Likes on one
   * target are grouped into the recipient's unread notification for it. Publishes after the commit.
   * Returns the ids of the notifications added or grown.
   */
  async apply(input: NotificationEventData): Promise<number[]> {
    const event = input.kind === NotificationKind.WEATHER_ALERT || input.recipientId != null ? input : { ...input, recipientId: await this.ownerOf(input) };
    if (event.kind !== NotificationKind.WEATHER_ALERT && event.recipientId == null) return [];
    if (event.actorId != null && event.actorId === event.recipientId) return [];
    const rows = await this.knex.transaction(async (trx) => {
      const now = new Date();
      const [claimed] = await trx.raw('insert ignore into notification_events (dedupe_key, created_at) values (?, ?)', [
        event.dedupeKey.slice(0, 150),
        now,
      ]);
      if (!claimed.affectedRows) return [] as Row[];

      if (event.kind === NotificationKind.WEATHER_ALERT) {
        if (!event.province) return [] as Row[];
        await trx.raw(
          `insert into notifications (recipient_id, kind, actor_id, actor_ids, target_type, target_id, count, group_key, created_at, updated_at)
           select u.id, ?, null, '[]', ?, ?, 1, null, ?, ? from users u where u.home_province = ?`,
          [event.kind, event.targetType, event.targetId, now, now, event.province],
        );
        const [added] = await trx.raw(
          'select * from notifications where kind = ? and target_type = ? and target_id = ?',
          [event.kind, event.targetType, event.targetId],
        );
        return added as Row[];
      }

      if (event.recipientId == null) return [] as Row[];
      const actorIds = JSON.stringify(event.actorId == null ? [] : [event.actorId]);
      const groupKey = event.kind === NotificationKind.LIKE ? `LIKE:${event.targetType}:${event.targetId}` : null;
      // id = last_insert_id(id): insertId is the grouped row's id on the duplicate path too.
      const [res] = await trx.raw(
        `insert into notifications (recipient_id, kind, actor_id, actor_ids, target_type, target_id, count, group_key, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
         on duplicate key update id = last_insert_id(id), count = count + 1, actor_id = values(actor_id), updated_at = values(updated_at)`,
        [event.recipientId, event.kind, event.actorId, actorIds, event.targetType, event.targetId, groupKey, now, now],
      );
      const [[row]] = await trx.raw('select * from notifications where id = ? for update', [res.insertId]);
      if (res.affectedRows === 2 && event.actorId != null) {
        // Grown: remember the newest actors (the row is locked by the upsert until commit).
        const recent = [event.actorId, ...(JSON.parse(row.actor_ids) as number[]).filter((a) => a !== event.actorId)].slice(0, RECENT_ACTORS);
        row.actor_ids = JSON.stringify(recent);
        await trx.raw('update notifications set actor_ids = ? where id = ?', [row.actor_ids, row.id]);
      }
      return [row as Row];
    });
    await Promise.all(rows.map((r) => this.infra.pubsub.publish(NotificationTopic.ADDED, r.recipient_id, toPayload(r))));
    return rows.map((r) => r.id);
  }

  /** The owner of what the event is about; null when it is gone or of a type without owners. */
  private async ownerOf(event: NotificationEventData): Promise<number | null> {
    const about = event.ownerOf ?? (event.targetType && event.targetId != null ? { type: event.targetType, id: event.targetId } : null);
    const sql = about && OWNER_SQL[about.type];
    if (!about || !sql) return null;
    const [found] = await this.knex.raw(sql, [about.id]);
    return (found as { owner: number }[])[0]?.owner ?? null;
  }

  // ---------------------------------------------------------------- reads

  async list(ctx: Context, args: { first: number; after?: string | null; unreadOnly?: boolean | null }): Promise<ConnectionShape<Notification>> {
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

export function toPayload(r: Row): NotificationPayload {
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
