import DataLoader from 'dataloader';
import type { Knex } from '@mikro-orm/mysql';
import { randomUUID } from 'node:crypto';
import type { Connection } from '@mikro-orm/core';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Context } from '../../app/graphql/context.js';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { defineLoader } from '../../app/graphql/loaders.js';
import type { Infra } from '../../app/infra.js';
import { unauthenticated, unavailable } from '../../app/errors.js';
import type { NotificationService } from '../notifications/notification.service.js';
import { TargetRegistry, type TargetDefinition } from './targets.js';
import { VoteTopic, type VoteCountsPayload } from './vote.topics.js';
import { numberToVote, voteToNumber, type VoteCounts, VoteValue } from './vote.types.js';

export interface Counts {
  likeCount: number;
  dislikeCount: number;
  version: number;
}

/**
 * One user's vote on one target, atomically: KEYS[1] is the target's hash (`l`, `d`, `v` and one `u<userId>` field
 * per non-zero vote), KEYS[2] its count of writes on their way to MySQL. Answers nil when the hash is missing (the
 * caller rebuilds it from MySQL and tries again), else `{like, dislike, version, changed}`; a change bumps the
 * version, which is also the sequence number the MySQL write carries.
 */
const VOTE_APPLY = `
if redis.call('HEXISTS', KEYS[1], 'v') == 0 then return false end
local old = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local new = tonumber(ARGV[2])
if old == new then
  local c = redis.call('HMGET', KEYS[1], 'l', 'd', 'v')
  return {tonumber(c[1]), tonumber(c[2]), tonumber(c[3]), 0}
end
local function b(x) if x then return 1 else return 0 end end
local l = redis.call('HINCRBY', KEYS[1], 'l', b(new == 1) - b(old == 1))
local d = redis.call('HINCRBY', KEYS[1], 'd', b(new == -1) - b(old == -1))
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
if new == 0 then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], new) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {l, d, v, 1}`;

/** Fills a missing target hash (rebuilt from MySQL): ARGV like, dislike, version, ttl, then field/value pairs. */
const VOTE_FILL = `
if redis.call('HEXISTS', KEYS[1], 'v') == 1 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'l', ARGV[1], 'd', ARGV[2], 'v', ARGV[3])
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

/** A write reached MySQL (or failed for good): one pending write less; the counter never stays below zero. */
const VOTE_DONE = `local n = redis.call('DECRBY', KEYS[1], ARGV[1]) if n <= 0 then redis.call('DEL', KEYS[1]) end return n`;
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const COUNTS_TTL_MS = 7 * 24 * 3600 * 1000;
/** Safety expiry of a pending-writes counter (a process that died mid-write must not block rebuilds for long). */
const PENDING_TTL_MS = 30_000;
/** Write batches in flight at once (changes arriving meanwhile queue up and go in the next batch). */
const MAX_BATCHES_IN_FLIGHT = 3;
const MAX_BATCH = 500;
const REBUILD_LOCK_MS = 5_000;
/** How long a rebuild waits for writes already applied in Redis to reach MySQL. */
const DRAIN_WAIT_MS = 3_000;
/** At most one voteCountsChanged event per target per window (per API process). */
export const VOTE_EVENT_WINDOW_MS = 100;
const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ECONNRESET', 'PROTOCOL_CONNECTION_LOST']);

type VoteRedis = Redis & {
  voteApply(
    hash: string,
    pending: string,
    field: string,
    value: number,
    ttlMs: number,
    pendingTtlMs: number,
  ): Promise<[number, number, number, number] | null>;
  voteFill(hash: string, ...args: (string | number)[]): Promise<number>;
  voteDone(pending: string, writes: number): Promise<number>;
};

interface QueuedWrite {
  type: string;
  id: number;
  userId: number;
  value: number;
  seq: number;
  /** Like count, dislike count and version right after this change. */
  counts: [number, number, number];
  resolve(): void;
  reject(err: unknown): void;
}

const countsKey = (type: string, id: number) => `vote:counts:${type}:${id}`;
const pendingKey = (type: string, id: number) => `vote:pending:${type}:${id}`;
const rebuildKey = (type: string, id: number) => `vote:rebuild:${type}:${id}`;
const targetKey = (type: string, id: number) => `${type}:${id}`;
const splitKey = (key: string): [string, number] => {
  const i = key.indexOf(':');
  return [key.slice(0, i), Number(key.slice(i + 1))];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const upsertVotes = (
  rows: number,
) => `insert into votes (target_type, target_id, user_id, value, seq, updated_at) values ${Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')}
  on duplicate key update value = if(values(seq) > seq, values(value), value), updated_at = if(values(seq) > seq, values(updated_at), updated_at),
  seq = greatest(seq, values(seq))`;
const upsertCounts = (
  rows: number,
) => `insert into vote_counts (target_type, target_id, like_count, dislike_count, version) values ${Array(rows).fill('(?, ?, ?, ?, ?)').join(', ')}
  on duplicate key update like_count = if(values(version) > version, values(like_count), like_count),
  dislike_count = if(values(version) > version, values(dislike_count), dislike_count), version = greatest(version, values(version))`;

/**
 * Likes and dislikes on any registered target. The `votes` row per (target, user) is the truth. One user's changes on
 * one target are serialised in Redis by an atomic Lua script over the target's hash (counts, version, every user's
 * vote); each change then reaches MySQL as autocommit upserts guarded by that version (`votes.seq`,
 * `vote_counts.version`), so writes landing out of order never leave a stale row or regress the counts, and no MySQL
 * lock is held beyond one statement. A missing hash is rebuilt from the `votes` rows under a short Redis lock, after
 * the writes already applied in Redis have reached MySQL; a write MySQL refuses drops the hash so it is rebuilt too.
 */
export class VoteService {
  private readonly targets = new TargetRegistry('votes');
  private readonly redis: VoteRedis;
  private readonly windows = new Map<string, { dirty: boolean; timer: NodeJS.Timeout }>();
  private readonly publishing = new Map<string, Promise<void>>();
  private readonly writeQueue: QueuedWrite[] = [];
  private batchesInFlight = 0;
  private flushScheduled = false;
  private closed = false;

  /** Per request: counts by `Type:id`. */
  private readonly countsLoader = defineLoader((ctx) => new DataLoader<string, Counts>(async (keys) => this.loadCounts(ctx, keys)));

  /** Per request: the caller's vote by `Type:id`. */
  private readonly myVoteLoader = defineLoader(
    (ctx) =>
      new DataLoader<string, VoteValue>(async (keys) => {
        const byType = new Map<string, number[]>();
        for (const k of keys) {
          const [type, id] = splitKey(k);
          byType.set(type, [...(byType.get(type) ?? []), id]);
        }
        const found = new Map<string, number>();
        for (const [type, ids] of byType) {
          const rows: { target_id: number; value: number }[] = await ctx.em
            .getConnection()
            .execute(
              `select target_id, value from votes where target_type = ? and user_id = ? and target_id in (${ids.map(() => '?').join(',')})`,
              [type, ctx.user!.id, ...ids],
            );
          for (const r of rows) found.set(targetKey(type, r.target_id), Number(r.value));
        }
        return keys.map((k) => numberToVote(found.get(k) ?? 0));
      }),
  );

  constructor(private readonly infra: Infra) {
    infra.redis.client.defineCommand('voteApply', { numberOfKeys: 2, lua: VOTE_APPLY });
    infra.redis.client.defineCommand('voteFill', { numberOfKeys: 1, lua: VOTE_FILL });
    infra.redis.client.defineCommand('voteDone', { numberOfKeys: 1, lua: VOTE_DONE });
    this.redis = infra.redis.client as VoteRedis;
  }

  private notifications: Pick<NotificationService, 'notify'> | null = null;

  /** A new like notifies the target's owner (LIKE, grouped while unread); unlikes and dislikes send nothing. */
  attachNotifications(notifications: Pick<NotificationService, 'notify'>): void {
    this.notifications = notifications;
  }

  /** Makes a node type votable, e.g. `votes.registerTarget('Resume', { exists })`. */
  registerTarget(type: string, def: TargetDefinition): void {
    this.targets.register(type, def);
  }

  /** `vote(targetId, value)`: sets the caller's vote; concurrent calls of one user end in exactly one vote. */
  async vote(ctx: Context, targetGlobalId: string, value: VoteValue): Promise<VoteCounts> {
    if (!ctx.user) throw unauthenticated();
    const { type, id } = await this.targets.resolve(ctx, targetGlobalId);
    const userId = ctx.user.id;
    const next = voteToNumber(value);
    const conn = ctx.em.getConnection();
    let applied: [number, number, number, number] | null = null;
    for (let attempt = 1; !applied; attempt++) {
      applied = await this.redis.voteApply(countsKey(type, id), pendingKey(type, id), `u${userId}`, next, COUNTS_TTL_MS, PENDING_TTL_MS);
      if (!applied) {
        if (attempt >= 5) throw unavailable('Votes are being recounted; try again.');
        await this.rebuild(conn, type, [id]);
      }
    }
    const [likeCount, dislikeCount, version, changed] = applied.map(Number);
    if (changed === 1) {
      await this.persist({ type, id, userId, value: next, seq: version, counts: [likeCount, dislikeCount, version] });
      this.changed(type, id);
      if (value === VoteValue.LIKE) await this.notifications?.notify({ kind: 'LIKE', actorId: userId, targetType: type, targetId: id });
    }
    return { targetId: toGlobalId(type, id), likeCount, dislikeCount, myVote: value };
  }

  counts(ctx: Context, type: string, id: number): Promise<Counts> {
    return this.countsLoader(ctx).load(targetKey(type, id));
  }

  /** The caller's vote; null when anonymous. */
  async myVote(ctx: Context, type: string, id: number): Promise<VoteValue | null> {
    if (!ctx.user) return null;
    return this.myVoteLoader(ctx).load(targetKey(type, id));
  }

  /** Counts straight from Redis (refilled from MySQL when missing), outside any request. */
  async currentCounts(type: string, id: number): Promise<Counts> {
    const ctx = { em: this.infra.orm.em.fork() } as unknown as Context;
    const [counts] = await this.loadCounts(ctx, [targetKey(type, id)]);
    return counts;
  }

  /** Removes every vote on a deleted target (inside the caller's transaction). */
  async purge(trx: Knex.Transaction | Knex, type: string, id: number): Promise<void> {
    await trx.raw('delete from votes where target_type = ? and target_id = ?', [type, id]);
    await trx.raw('delete from vote_counts where target_type = ? and target_id = ?', [type, id]);
    await this.redis.del(countsKey(type, id));
  }

  /** Stops pending coalesced events (process shutdown). */
  close(): void {
    this.closed = true;
    for (const w of this.windows.values()) clearTimeout(w.timer);
    this.windows.clear();
  }

  private async loadCounts(ctx: Pick<Context, 'em'>, keys: readonly string[]): Promise<Counts[]> {
    const result = new Map<string, Counts>();
    let todo = [...new Set(keys)];
    for (let attempt = 1; todo.length; attempt++) {
      const pipeline = this.redis.pipeline();
      for (const k of todo) pipeline.hmget(countsKey(...splitKey(k)), 'l', 'd', 'v');
      const cached = (await pipeline.exec()) ?? [];
      const missing = new Map<string, number[]>();
      todo.forEach((k, i) => {
        const [err, values] = cached[i] as [Error | null, (string | null)[]];
        if (err) throw err;
        if (values && values[0] !== null && values[2] !== null) {
          result.set(k, { likeCount: Number(values[0]), dislikeCount: Number(values[1]), version: Number(values[2]) });
        } else {
          const [type, id] = splitKey(k);
          missing.set(type, [...(missing.get(type) ?? []), id]);
        }
      });
      todo = todo.filter((k) => !result.has(k));
      if (!todo.length) break;
      if (attempt >= 5) throw unavailable('Votes are being recounted; try again.');
      await Promise.all([...missing].map(([type, ids]) => this.rebuild(ctx.em.getConnection(), type, ids)));
    }
    return keys.map((k) => result.get(k)!);
  }

  /**
   * Rebuilds the Redis hashes of `ids` from MySQL: one query for the batch. Each target is locked in Redis first; a
   * target someone else is rebuilding is waited for instead. Before reading, writes already applied in Redis are
   * given time to reach MySQL (their pending counter drops to zero); votes meanwhile wait, as the hash is missing.
   * The new version starts above every earlier one (at least the clock in microseconds), so writes of the old
   * generation still in flight can never win over newer ones. `vote_counts` is corrected when it disagrees.
   */
  private async rebuild(conn: Connection, type: string, ids: number[]): Promise<void> {
    const token = randomUUID();
    const locks = this.redis.pipeline();
    for (const id of ids) locks.set(rebuildKey(type, id), token, 'PX', REBUILD_LOCK_MS, 'NX');
    const got = (await locks.exec()) ?? [];
    const mine = ids.filter((_, i) => got[i]?.[1] === 'OK');
    const others = ids.filter((_, i) => got[i]?.[1] !== 'OK');
    try {
      if (mine.length) {
        for (const deadline = Date.now() + DRAIN_WAIT_MS; ;) {
          const pending = await this.redis.mget(...mine.map((id) => pendingKey(type, id)));
          if (pending.every((p) => !p || Number(p) <= 0)) break;
          if (Date.now() > deadline) {
            this.infra.logger.warn({ type, ids: mine }, 'vote rebuild: writes still pending, rebuilding anyway');
            break;
          }
          await sleep(5);
        }
        const marks = mine.map(() => '?').join(',');
        const rows: { k: string; target_id: number; a: number; b: number; c: number | string }[] = await conn.execute(
          `select 'v' as k, target_id, user_id as a, value as b, seq as c from votes where target_type = ? and target_id in (${marks})
           union all select 'c', target_id, like_count, dislike_count, version from vote_counts where target_type = ? and target_id in (${marks})`,
          [type, ...mine, type, ...mine],
        );
        const built = new Map(
          mine.map((id) => [
            id,
            { l: 0, d: 0, maxSeq: 0, users: [] as (string | number)[], stored: null as null | { l: number; d: number } },
          ]),
        );
        for (const r of rows) {
          const t = built.get(Number(r.target_id))!;
          t.maxSeq = Math.max(t.maxSeq, Number(r.c));
          if (r.k === 'c') {
            t.stored = { l: Number(r.a), d: Number(r.b) };
          } else if (Number(r.b) !== 0) {
            if (Number(r.b) === 1) t.l++;
            else t.d++;
            t.users.push(`u${r.a}`, Number(r.b));
          }
        }
        const floor = Date.now() * 1000;
        const fix: (string | number)[] = [];
        const fill = this.redis.pipeline() as unknown as VoteRedis;
        for (const [id, t] of built) {
          const version = Math.max(t.maxSeq + 1, floor);
          if (t.stored ? t.stored.l !== t.l || t.stored.d !== t.d : t.l || t.d) fix.push(type, id, t.l, t.d, version);
          fill.voteFill(countsKey(type, id), t.l, t.d, version, COUNTS_TTL_MS, ...t.users);
        }
        if (fix.length) await conn.execute(upsertCounts(fix.length / 5), fix);
        await (fill as unknown as ChainableCommander).exec();
      }
      for (const id of others) {
        for (const deadline = Date.now() + REBUILD_LOCK_MS; Date.now() < deadline; await sleep(5)) {
          if (await this.redis.hexists(countsKey(type, id), 'v')) break;
        }
      }
    } finally {
      if (mine.length) {
        const unlock = this.redis.pipeline();
        for (const id of mine) unlock.eval(UNLOCK, 1, rebuildKey(type, id), token);
        await unlock.exec();
      }
    }
  }

  /** Queues one change for MySQL; resolves once it is stored (or rejects, after the target's hash was dropped). */
  private persist(write: Omit<QueuedWrite, 'resolve' | 'reject'>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writeQueue.push({ ...write, resolve, reject });
      this.scheduleWrites();
    });
  }

  /**
   * Group writes: changes queued while earlier batches are in flight go to MySQL together, as one multi-row upsert
   * into `votes` and one into `vote_counts` (each autocommit and guarded by seq/version, so a batch holding several
   * changes of one row, or batches landing out of order, still leave the newest). Rows are sorted by key so
   * concurrent batches lock in the same order.
   */
  private scheduleWrites(): void {
    if (this.flushScheduled || !this.writeQueue.length || this.batchesInFlight >= MAX_BATCHES_IN_FLIGHT) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      while (this.writeQueue.length && this.batchesInFlight < MAX_BATCHES_IN_FLIGHT) {
        const batch = this.writeQueue.splice(0, MAX_BATCH);
        this.batchesInFlight++;
        void this.writeBatch(batch).finally(() => {
          this.batchesInFlight--;
          this.scheduleWrites();
        });
      }
    });
  }

  private async writeBatch(batch: QueuedWrite[]): Promise<void> {
    const conn = this.infra.orm.em.getConnection();
    const now = new Date();
    const rows = [...batch].sort((a, b) =>
      a.type < b.type ? -1 : a.type > b.type ? 1 : a.id - b.id || a.userId - b.userId || a.seq - b.seq,
    );
    const targets = new Map<string, { type: string; id: number; counts: [number, number, number]; writes: number }>();
    for (const w of rows) {
      const key = targetKey(w.type, w.id);
      const t = targets.get(key);
      if (!t) targets.set(key, { type: w.type, id: w.id, counts: w.counts, writes: 1 });
      else {
        t.writes++;
        if (w.counts[2] > t.counts[2]) t.counts = w.counts;
      }
    }
    const voteRow = (w: QueuedWrite) => [w.type, w.id, w.userId, w.value, w.seq, now];
    const writeVotes = async (): Promise<Map<QueuedWrite, unknown>> => {
      try {
        await this.withRetry(() => conn.execute(upsertVotes(rows.length), rows.flatMap(voteRow)));
        return new Map();
      } catch (err) {
        if (rows.length === 1) return new Map([[rows[0], err]]);
        // One bad row (say a user deleted meanwhile) must not fail the others: write them one by one.
        const errors = new Map<QueuedWrite, unknown>();
        for (const w of rows) {
          await this.withRetry(() => conn.execute(upsertVotes(1), voteRow(w))).catch((e: unknown) => errors.set(w, e));
        }
        return errors;
      }
    };
    const [votes, counts] = await Promise.allSettled([
      writeVotes(),
      this.withRetry(() =>
        conn.execute(
          upsertCounts(targets.size),
          [...targets.values()].flatMap((t) => [t.type, t.id, ...t.counts]),
        ),
      ),
    ]);
    const errors = votes.status === 'fulfilled' ? votes.value : new Map(rows.map((w) => [w, votes.reason]));
    if (counts.status === 'rejected') for (const w of rows) if (!errors.has(w)) errors.set(w, counts.reason);
    // Redis holds changes MySQL refused: drop those targets' hashes and rebuild them from MySQL (once the other writes
    // in flight have landed), so the two agree again and `vote_counts` is corrected.
    const broken = new Map<string, { type: string; id: number }>();
    for (const w of errors.keys()) broken.set(targetKey(w.type, w.id), { type: w.type, id: w.id });
    try {
      if (broken.size) await this.redis.del(...[...broken.values()].map((t) => countsKey(t.type, t.id)));
      const done = this.redis.pipeline() as unknown as VoteRedis;
      for (const t of targets.values()) done.voteDone(pendingKey(t.type, t.id), t.writes);
      await (done as unknown as ChainableCommander).exec();
    } catch (err) {
      this.infra.logger.warn({ err }, 'vote write bookkeeping failed');
    }
    for (const w of batch) {
      if (errors.has(w)) w.reject(errors.get(w));
      else w.resolve();
    }
    if (broken.size) {
      const byType = new Map<string, number[]>();
      for (const t of broken.values()) byType.set(t.type, [...(byType.get(t.type) ?? []), t.id]);
      for (const [type, ids] of byType) {
        void this.rebuild(conn, type, ids).catch((err: unknown) => this.infra.logger.warn({ err, type, ids }, 'vote rebuild failed'));
      }
    }
  }

  private async withRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (attempt >= 8 || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  /**
   * Coalesces events: the first change of a target publishes at once and opens a window; changes inside the window
   * publish once when it ends, with the counts read then (so the last event carries the final counts).
   */
  private changed(type: string, id: number): void {
    if (this.closed) return;
    const key = targetKey(type, id);
    const open = this.windows.get(key);
    if (open) {
      open.dirty = true;
      return;
    }
    void this.publish(type, id);
    const tick = () => {
      const w = this.windows.get(key);
      if (!w) return;
      if (w.dirty && !this.closed) {
        w.dirty = false;
        void this.publish(type, id);
        w.timer = setTimeout(tick, VOTE_EVENT_WINDOW_MS);
      } else {
        this.windows.delete(key);
      }
    };
    this.windows.set(key, { dirty: false, timer: setTimeout(tick, VOTE_EVENT_WINDOW_MS) });
  }

  /** Publishes of one target run one after another, each reading the counts when it runs: events never go back. */
  private publish(type: string, id: number): Promise<void> {
    const key = targetKey(type, id);
    const next = (this.publishing.get(key) ?? Promise.resolve()).then(() => this.publishNow(type, id));
    this.publishing.set(key, next);
    void next.then(() => {
      if (this.publishing.get(key) === next) this.publishing.delete(key);
    });
    return next;
  }

  private async publishNow(type: string, id: number): Promise<void> {
    try {
      const [l, d, v] = await this.redis.hmget(countsKey(type, id), 'l', 'd', 'v');
      const counts =
        l !== null && v !== null
          ? { likeCount: Number(l), dislikeCount: Number(d), version: Number(v) }
          : await this.currentCounts(type, id);
      const payload: VoteCountsPayload = { type, id, ...counts };
      await this.infra.pubsub.publish(VoteTopic.COUNTS_CHANGED, targetKey(type, id), payload);
    } catch (err) {
      if (!this.closed) this.infra.logger.warn({ err, type, id }, 'voteCountsChanged publish failed');
    }
  }

  /** For the subscription: whether the caller may still see the target. */
  canSee(ctx: Context, type: string, id: number): Promise<boolean> {
    return this.targets.get(type).exists(ctx, id);
  }

  /** Validates a `targetId` argument synchronously (for subscription topic ids). */
  targetTypes(): string[] {
    return this.targets.types();
  }
}
