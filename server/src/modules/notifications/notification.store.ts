import type { Knex } from '@mikro-orm/mysql';
import { insertedRows } from '../../app/inserted-rows.js';

/** How many distinct recent actors a grouped notification remembers ("A, B and 12 others"). */
export const RECENT_ACTORS = 3;

/** A notifications row as MySQL returns it. */
export interface NotificationRow {
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

/** The head of every INSERT into notifications. */
const INSERT_NOTIFICATIONS =
  'insert into notifications (recipient_id, kind, actor_id, actor_ids, target_type, target_id, count, group_key, created_at, updated_at)';

/** A like to apply: its recipient is known and is not the actor. */
export interface Like {
  recipientId: number;
  actorId: number;
  targetType: string;
  targetId: number;
  dedupeKey: string;
}

/** Likes on one target share the recipient's unread notification, found by this key (cleared when read). */
const likeGroupKey = (targetType: string | null, targetId: number | null) => `LIKE:${targetType}:${targetId}`;

/** The newest distinct actors first, at most RECENT_ACTORS. */
const recentActors = (newestFirst: number[], older: number[]) => [...new Set([...newestFirst, ...older])].slice(0, RECENT_ACTORS);

/**
 * Applies the likes of several jobs inside `trx`, their dedupe keys already claimed there: each recipient's unread
 * notification for a target grows by that target's likes, or starts with them, in one multi-row upsert. The upsert
 * comes first, so each row is created or grown atomically and stays locked until commit (reading first would let two
 * transactions both find a group missing); the recent actors of grown rows are merged after it. Returns each like's
 * row, by dedupe key, and the rows as written.
 */
export async function applyLikes(
  trx: Knex.Transaction,
  likes: Like[],
  now: Date,
): Promise<{ byKey: Map<string, NotificationRow>; rows: NotificationRow[] }> {
  const groups = new Map<string, { recipientId: number; groupKey: string; likes: Like[]; newestFirst: number[] }>();
  for (const like of likes) {
    const groupKey = likeGroupKey(like.targetType, like.targetId);
    const id = `${like.recipientId} ${groupKey}`;
    const group = groups.get(id) ?? { recipientId: like.recipientId, groupKey, likes: [], newestFirst: [] };
    group.likes.push(like);
    group.newestFirst.unshift(like.actorId);
    groups.set(id, group);
  }
  // In key order, so two workers growing the same rows lock them in the same order.
  const list = [...groups.values()].sort(
    (a, b) => a.recipientId - b.recipientId || (a.groupKey < b.groupKey ? -1 : a.groupKey > b.groupKey ? 1 : 0),
  );
  const values = list.map((g) => {
    const first = g.likes[0]!;
    return [
      g.recipientId,
      'LIKE',
      g.newestFirst[0],
      JSON.stringify(recentActors(g.newestFirst, [])),
      first.targetType,
      first.targetId,
      g.likes.length,
      g.groupKey,
      now,
      now,
    ];
  });
  await trx.raw(
    `${INSERT_NOTIFICATIONS}
     values ${values.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     on duplicate key update count = count + values(count), actor_id = values(actor_id), updated_at = values(updated_at)`,
    values.flat(),
  );
  // The OR of pairs is what MariaDB serves from the (recipient_id, group_key) unique index.
  const where = list.map(() => '(recipient_id = ? and group_key = ?)').join(' or ');
  const [written] = (await trx.raw(
    `select * from notifications where ${where}`,
    list.flatMap((g) => [g.recipientId, g.groupKey]),
  )) as [(NotificationRow & { group_key: string })[]];
  const byKey = new Map<string, NotificationRow>();
  const grown: NotificationRow[] = [];
  for (const row of written) {
    const g = groups.get(`${row.recipient_id} ${row.group_key}`);
    if (!g) throw new Error(`likes: no group for notification ${row.id} (${row.group_key})`);
    for (const like of g.likes) byKey.set(like.dedupeKey, row);
    // Locked since the upsert: a count above this batch's likes means the row was there before, with its own actors.
    if (row.count > g.likes.length) {
      row.actor_ids = JSON.stringify(recentActors(g.newestFirst, JSON.parse(row.actor_ids) as number[]));
      grown.push(row);
    }
  }
  if (byKey.size !== likes.length) throw new Error('likes: a group was not found after its upsert');
  if (grown.length) {
    await trx.raw(
      `update notifications set actor_ids = case id ${grown.map(() => 'when ? then ?').join(' ')} end where id in (${grown.map(() => '?').join(', ')})`,
      [...grown.flatMap((r) => [r.id, r.actor_ids]), ...grown.map((r) => r.id)],
    );
  }
  return { byKey, rows: written };
}

/** A notification of its own (no grouping) to insert. */
export interface Single {
  recipientId: number;
  kind: string;
  actorId: number | null;
  targetType: string | null;
  targetId: number | null;
}

/** Ungrouped notifications in one multi-row INSERT, read back; null when the ids are not all theirs. */
export async function insertSingles(trx: Knex.Transaction, events: readonly Single[], now: Date): Promise<NotificationRow[] | null> {
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

/** Claims dedupe keys inside `trx`: all of them (throws ER_DUP_ENTRY if one was applied before), or the one given. */
export async function claimKeys(trx: Knex.Transaction, keys: readonly string[], now: Date): Promise<void> {
  await trx.raw(
    `insert into notification_events (dedupe_key, created_at) values ${keys.map(() => '(?, ?)').join(', ')}`,
    keys.flatMap((k) => [k.slice(0, 150), now]),
  );
}

/** Claims one key; false when it was applied before. */
export async function claimKey(trx: Knex.Transaction, key: string, now: Date): Promise<boolean> {
  const [claimed] = await trx.raw('insert ignore into notification_events (dedupe_key, created_at) values (?, ?)', [
    key.slice(0, 150),
    now,
  ]);
  return claimed.affectedRows === 1;
}

/** The same notification for many recipients (a weather warning), without reading them back. */
export async function insertForEach(
  trx: Knex.Transaction,
  recipients: readonly number[],
  n: { kind: string; targetType: string | null; targetId: number | null },
  now: Date,
): Promise<void> {
  await trx.raw(
    `${INSERT_NOTIFICATIONS} values ${recipients.map(() => "(?, ?, null, '[]', ?, ?, 1, null, ?, ?)").join(', ')}`,
    recipients.flatMap((r) => [r, n.kind, n.targetType, n.targetId, now, now]),
  );
}

/** Every notification about one target of one kind (what a broadcast added). */
export async function rowsAbout(
  trx: Knex.Transaction,
  kind: string,
  targetType: string | null,
  targetId: number | null,
): Promise<NotificationRow[]> {
  const [rows] = await trx.raw('select * from notifications where kind = ? and target_type = ? and target_id = ?', [
    kind,
    targetType,
    targetId,
  ]);
  return rows as NotificationRow[];
}

/** Forgets applied keys older than `before`, in chunks so no statement holds locks for long; returns rows removed. */
export async function pruneKeys(knex: Knex, before: Date): Promise<number> {
  let removed = 0;
  for (;;) {
    const [res] = await knex.raw('delete from notification_events where created_at < ? order by created_at limit 5000', [before]);
    removed += res.affectedRows;
    if (res.affectedRows < 5000) return removed;
  }
}

/** Marks some (or all) unread notifications of a recipient read; returns how many changed. */
export async function markRead(knex: Knex, recipientId: number, ids: readonly number[] | null): Promise<number> {
  const q = knex('notifications')
    .where({ recipient_id: recipientId })
    .whereNull('read_at')
    .update({ read_at: new Date(), group_key: null });
  if (ids) q.whereIn('id', ids);
  return q;
}

/** A recipient's notifications changed after (updatedAt, id), oldest change first, at most `limit`. */
export async function changedSince(
  knex: Knex,
  recipientId: number,
  updatedAt: Date,
  id: number,
  limit: number,
): Promise<NotificationRow[]> {
  return knex('notifications')
    .where({ recipient_id: recipientId })
    .andWhere((q) => q.where('updated_at', '>', updatedAt).orWhere((q2) => q2.where('updated_at', '=', updatedAt).andWhere('id', '>', id)))
    .orderBy([{ column: 'updated_at' }, { column: 'id' }])
    .limit(limit);
}
