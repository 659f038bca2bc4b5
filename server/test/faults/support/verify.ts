import type { Redis } from 'ioredis';
import type { Connection } from 'mysql2/promise';
import { sleep } from '../../infra/processes';
import type { GqlClient } from './http';
import type { Op } from './load';
import { dbIdOf, type Post } from './world';

const VOTE_NUMBER = { LIKE: 1, DISLIKE: -1, NONE: 0 } as const;

async function rows<T>(conn: Connection, sql: string, params: unknown[] = []): Promise<T[]> {
  const [result] = await conn.query(sql, params);
  return result as T[];
}

export interface WriteCheck {
  /** Logical writes the API acknowledged (any attempt answered with data). */
  acked: number;
  /** Acknowledged writes not (or no longer) in MySQL. */
  lost: number;
  /** Writes never acknowledged that MySQL has anyway (the client saw an error; a retry without a key duplicates). */
  unackedCommitted: number;
  /** Logical writes stored more than once (retries of one write). */
  duplicates: number;
  lostExamples: string[];
  duplicateExamples: string[];
}

function emptyCheck(): WriteCheck {
  return { acked: 0, lost: 0, unackedCommitted: 0, duplicates: 0, lostExamples: [], duplicateExamples: [] };
}

function merge(a: WriteCheck, b: WriteCheck): WriteCheck {
  return {
    acked: a.acked + b.acked,
    lost: a.lost + b.lost,
    unackedCommitted: a.unackedCommitted + b.unackedCommitted,
    duplicates: a.duplicates + b.duplicates,
    lostExamples: [...a.lostExamples, ...b.lostExamples].slice(0, 5),
    duplicateExamples: [...a.duplicateExamples, ...b.duplicateExamples].slice(0, 5),
  };
}

/** Attempts grouped by logical write (token), in order. */
function byToken(ops: Op[], kind: Op['kind']): Map<string, Op[]> {
  const out = new Map<string, Op[]>();
  for (const op of ops) if (op.kind === kind) out.set(op.token!, [...(out.get(op.token!) ?? []), op]);
  return out;
}

/**
 * Each user's last acknowledged vote on a target must be what MySQL holds, unless a later (unacknowledged) vote of
 * the same user on that target may have been applied.
 */
async function checkVotes(conn: Connection, ops: Op[], userDbIds: Map<number, number>): Promise<WriteCheck> {
  const check = emptyCheck();
  const stored = new Map<string, number>();
  for (const r of await rows<{ target_id: number; user_id: number; value: number }>(
    conn,
    "select target_id, user_id, value from votes where target_type = 'Post'",
  ))
    stored.set(`${r.user_id}:${r.target_id}`, Number(r.value));
  const sequences = new Map<string, Op[]>();
  for (const op of ops.filter((o) => o.kind === 'vote').sort((a, b) => a.start - b.start)) {
    const key = `${userDbIds.get(op.user)}:${dbIdOf(op.target!)}`;
    sequences.set(key, [...(sequences.get(key) ?? []), op]);
  }
  for (const [key, sequence] of sequences) {
    const lastAcked = sequence.map((o) => o.ok).lastIndexOf(true);
    if (lastAcked < 0) continue;
    check.acked++;
    const allowed = new Set<number>(sequence.slice(lastAcked).map((o) => VOTE_NUMBER[o.value!]));
    const actual = stored.get(key) ?? 0;
    if (!allowed.has(actual)) {
      check.lost++;
      check.lostExamples.push(`vote ${key}: acknowledged ${sequence[lastAcked]!.value}, MySQL has ${actual}`);
    }
  }
  return check;
}

/** Comments, posts and chat messages: one row per logical write, found by its unique token. */
async function checkTokens(conn: Connection, ops: Op[], kind: 'comment' | 'post' | 'chat'): Promise<WriteCheck> {
  const check = emptyCheck();
  const sql = {
    comment: "select body as token, count(*) as n from comments where body like 'comment-%' group by body",
    post: "select title as token, count(*) as n from posts where title like 'post-%' group by title",
    chat: "select client_message_id as token, count(*) as n from chat_messages where client_message_id like 'chat-%' group by client_message_id",
  }[kind];
  const counts = new Map((await rows<{ token: string; n: number }>(conn, sql)).map((r) => [r.token, Number(r.n)]));
  for (const [token, attempts] of byToken(ops, kind)) {
    const n = counts.get(token) ?? 0;
    const acked = attempts.some((a) => a.ok);
    if (acked) check.acked++;
    if (acked && n === 0) {
      check.lost++;
      check.lostExamples.push(`${kind} ${token}: acknowledged, not in MySQL`);
    }
    if (!acked && n > 0) check.unackedCommitted++;
    if (n > 1) {
      check.duplicates++;
      check.duplicateExamples.push(`${kind} ${token}: stored ${n} times`);
    }
  }
  return check;
}

export async function checkWrites(conn: Connection, ops: Op[], userDbIds: Map<number, number>): Promise<WriteCheck> {
  let check = await checkVotes(conn, ops, userDbIds);
  for (const kind of ['comment', 'post', 'chat'] as const) check = merge(check, await checkTokens(conn, ops, kind));
  return check;
}

/** Gaps in a room's `seq` (every message numbered 1..n exactly once). */
export async function chatSeqGaps(conn: Connection, roomDbId: number): Promise<number> {
  const seqs = (await rows<{ seq: number }>(conn, 'select seq from chat_messages where room_id = ? order by seq', [roomDbId])).map((r) =>
    Number(r.seq),
  );
  return seqs.filter((s, i) => s !== i + 1).length;
}

export interface CountCheck {
  checked: number;
  mismatches: number;
  examples: string[];
}

const POST_COUNTS = 'query($id: ID!) { post(id: $id) { likeCount dislikeCount commentCount } }';

/** Likes, dislikes and comment counts the API serves for each post against the same counts recomputed from MySQL rows. */
export async function checkCounts(client: GqlClient, conn: Connection, posts: Post[]): Promise<CountCheck> {
  const votes = new Map(
    (
      await rows<{ target_id: number; l: number; d: number }>(
        conn,
        "select target_id, sum(value = 1) as l, sum(value = -1) as d from votes where target_type = 'Post' group by target_id",
      )
    ).map((r) => [Number(r.target_id), { l: Number(r.l), d: Number(r.d) }]),
  );
  const comments = new Map(
    (
      await rows<{ target_id: number; n: number }>(
        conn,
        "select target_id, count(*) as n from comments where target_type = 'Post' and deleted_at is null group by target_id",
      )
    ).map((r) => [Number(r.target_id), Number(r.n)]),
  );
  const result: CountCheck = { checked: 0, mismatches: 0, examples: [] };
  for (const post of posts) {
    const served = (await client.ok(POST_COUNTS, { id: post.id })).post;
    const expected = {
      likeCount: votes.get(post.dbId)?.l ?? 0,
      dislikeCount: votes.get(post.dbId)?.d ?? 0,
      commentCount: comments.get(post.dbId) ?? 0,
    };
    result.checked++;
    if (
      served.likeCount !== expected.likeCount ||
      served.dislikeCount !== expected.dislikeCount ||
      served.commentCount !== expected.commentCount
    ) {
      result.mismatches++;
      if (result.examples.length < 5)
        result.examples.push(`post ${post.dbId}: API ${JSON.stringify(served)}, MySQL ${JSON.stringify(expected)}`);
    }
  }
  return result;
}

export interface NotificationCheck {
  /** Comments in MySQL by someone other than the post's author: each must notify the author exactly once. */
  expected: number;
  missing: number;
  doubled: number;
  /** When the last count was taken (ms since epoch): the moment nothing was missing, or when waiting stopped. */
  settledAt: number;
}

/** Jobs not finished in a BullMQ queue (waiting, running, delayed, prioritized). */
export async function queueBacklog(redis: Redis, prefix: string, queue: string): Promise<number> {
  const base = `${prefix}bull:${queue}`;
  const [wait, active, delayed, prioritized, paused] = await Promise.all([
    redis.llen(`${base}:wait`),
    redis.llen(`${base}:active`),
    redis.zcard(`${base}:delayed`),
    redis.zcard(`${base}:prioritized`),
    redis.llen(`${base}:paused`),
  ]);
  return wait + active + delayed + prioritized + paused;
}

async function countNotifications(conn: Connection): Promise<Omit<NotificationCheck, 'settledAt'>> {
  const perComment = await rows<{ n: number }>(
    conn,
    `select count(n.id) as n from comments c
       join posts p on c.target_type = 'Post' and p.id = c.target_id
       left join notifications n on n.kind = 'COMMENT' and n.target_type = 'Comment' and n.target_id = c.id and n.recipient_id = p.author_id
     where c.author_id <> p.author_id
     group by c.id`,
  );
  return {
    expected: perComment.length,
    missing: perComment.filter((r) => Number(r.n) === 0).length,
    doubled: perComment.filter((r) => Number(r.n) > 1).length,
  };
}

/**
 * Waits until every comment has its notification, or the notifications queue has been empty with nothing changing for
 * `quietMs`, or `timeoutMs` passed; answers the last count.
 */
export async function waitForNotifications(
  conn: Connection,
  redis: Redis | null,
  prefix: string,
  { timeoutMs = 30_000, quietMs = 3000 } = {},
): Promise<NotificationCheck> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let quietSince = Date.now();
  for (;;) {
    const counts = await countNotifications(conn);
    const now = Date.now();
    if (counts.missing === 0 || now > deadline) return { ...counts, settledAt: now };
    const backlog = redis ? await queueBacklog(redis, prefix, 'events').catch(() => -1) : 0;
    const state = JSON.stringify({ ...counts, backlog });
    if (state !== last) {
      last = state;
      quietSince = now;
    } else if (backlog === 0 && now - quietSince > quietMs) return { ...counts, settledAt: now };
    await sleep(250);
  }
}

/** BullMQ job schedulers (repeatable jobs) in Redis, as `queue-key/scheduler-id`. */
export async function jobSchedulers(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*:repeat`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      if ((await redis.type(key)) !== 'zset') continue;
      for (const id of await redis.zrange(key, 0, -1)) found.push(`${key.slice(prefix.length, -':repeat'.length)}/${id}`);
    }
  } while (cursor !== '0');
  return found.sort();
}
