import type { Knex } from '@mikro-orm/mysql';

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
 * notification for a target grows by that target's likes, or starts with them. The unread rows are locked first, so
 * counts and recent actors are computed here and written with one multi-row upsert. Returns each like's row, by
 * dedupe key, and the rows as written.
 */
export async function applyLikes(trx: Knex.Transaction, likes: Like[], now: Date): Promise<{ byKey: Map<string, NotificationRow>; rows: NotificationRow[] }> {
  const groups = new Map<string, { recipientId: number; groupKey: string; likes: Like[] }>();
  for (const like of likes) {
    const groupKey = likeGroupKey(like.targetType, like.targetId);
    const id = `${like.recipientId} ${groupKey}`;
    const group = groups.get(id) ?? { recipientId: like.recipientId, groupKey, likes: [] };
    group.likes.push(like);
    groups.set(id, group);
  }
  // In key order, so two workers growing the same rows lock them in the same order (a deadlock would only retry the jobs).
  const list = [...groups.values()].sort((a, b) => a.recipientId - b.recipientId || (a.groupKey < b.groupKey ? -1 : a.groupKey > b.groupKey ? 1 : 0));
  // The OR of pairs is what MariaDB serves from the (recipient_id, group_key) unique index.
  const where = list.map(() => '(recipient_id = ? and group_key = ?)').join(' or ');
  const keys = list.flatMap((g) => [g.recipientId, g.groupKey]);
  const [unread] = (await trx.raw(`select * from notifications where ${where} for update`, keys)) as [(NotificationRow & { group_key: string })[]];
  const existing = new Map(unread.map((r) => [`${r.recipient_id} ${r.group_key}`, r]));
  const values = list.map((g) => {
    const old = existing.get(`${g.recipientId} ${g.groupKey}`);
    const newestFirst = g.likes.map((l) => l.actorId).reverse();
    const actorIds = recentActors(newestFirst, old ? (JSON.parse(old.actor_ids) as number[]) : []);
    const first = g.likes[0]!;
    return [g.recipientId, 'LIKE', newestFirst[0], JSON.stringify(actorIds), first.targetType, first.targetId, (old?.count ?? 0) + g.likes.length, g.groupKey, now, now];
  });
  await trx.raw(
    `insert into notifications (recipient_id, kind, actor_id, actor_ids, target_type, target_id, count, group_key, created_at, updated_at)
     values ${values.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     on duplicate key update count = values(count), actor_id = values(actor_id), actor_ids = values(actor_ids), updated_at = values(updated_at)`,
    values.flat(),
  );
  const [written] = (await trx.raw(`select * from notifications where ${where}`, keys)) as [(NotificationRow & { group_key: string })[]];
  const byGroup = new Map(written.map((r) => [`${r.recipient_id} ${r.group_key}`, r]));
  const byKey = new Map<string, NotificationRow>();
  for (const [id, g] of groups) for (const like of g.likes) byKey.set(like.dedupeKey, byGroup.get(id)!);
  return { byKey, rows: written };
}
