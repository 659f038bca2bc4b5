import type { Connection } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/mysql';
import type { ChainableCommander, Redis } from 'ioredis';

/** Counts and version of one target, as Redis holds them. */
export interface Counts {
  likeCount: number;
  dislikeCount: number;
  version: number;
}

/** One vote row to write: the change's version is its `seq`. */
export interface VoteRow {
  type: string;
  id: number;
  userId: number;
  value: number;
  seq: number;
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

const COUNTS_TTL_MS = 7 * 24 * 3600 * 1000;
/** Safety expiry of a pending-writes counter (a process that died mid-write must not block rebuilds for long). */
const PENDING_TTL_MS = 30_000;

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

const countsKey = (type: string, id: number) => `vote:counts:${type}:${id}`;
const pendingKey = (type: string, id: number) => `vote:pending:${type}:${id}`;
export const rebuildLockKey = (type: string, id: number) => `vote:rebuild:${type}:${id}`;
const marks = (n: number) => Array(n).fill('?').join(',');

const upsertVotes = (rows: number) => `insert into votes (target_type, target_id, user_id, value, seq, updated_at)
  values ${Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')}
  on duplicate key update value = if(values(seq) > seq, values(value), value),
  updated_at = if(values(seq) > seq, values(updated_at), updated_at), seq = greatest(seq, values(seq))`;
const upsertCounts = (rows: number) => `insert into vote_counts (target_type, target_id, like_count, dislike_count, version)
  values ${Array(rows).fill('(?, ?, ?, ?, ?)').join(', ')}
  on duplicate key update like_count = if(values(version) > version, values(like_count), like_count),
  dislike_count = if(values(version) > version, values(dislike_count), dislike_count), version = greatest(version, values(version))`;

/** What a rebuild reads per target: its vote rows and its stored counts. */
export interface StoredVotes {
  users: { userId: number; value: number; seq: number }[];
  counts: { likeCount: number; dislikeCount: number; version: number } | null;
}

/** Every Redis script and SQL statement of votes: the hash per target in Redis, `votes` and `vote_counts` in MySQL. */
export class VoteStore {
  private readonly redis: VoteRedis;

  constructor(redis: Redis) {
    redis.defineCommand('voteApply', { numberOfKeys: 2, lua: VOTE_APPLY });
    redis.defineCommand('voteFill', { numberOfKeys: 1, lua: VOTE_FILL });
    redis.defineCommand('voteDone', { numberOfKeys: 1, lua: VOTE_DONE });
    this.redis = redis as VoteRedis;
  }

  /** Applies one user's vote in Redis; null when the target's hash must be rebuilt first. */
  async apply(type: string, id: number, userId: number, value: number): Promise<{ counts: Counts; changed: boolean } | null> {
    const r = await this.redis.voteApply(countsKey(type, id), pendingKey(type, id), `u${userId}`, value, COUNTS_TTL_MS, PENDING_TTL_MS);
    if (!r) return null;
    const [likeCount, dislikeCount, version, changed] = r.map(Number) as [number, number, number, number];
    return { counts: { likeCount, dislikeCount, version }, changed: changed === 1 };
  }

  /** Cached counts by position; null where the hash is missing. */
  async cachedCounts(targets: readonly { type: string; id: number }[]): Promise<(Counts | null)[]> {
    const pipeline = this.redis.pipeline();
    for (const t of targets) pipeline.hmget(countsKey(t.type, t.id), 'l', 'd', 'v');
    const replies = (await pipeline.exec()) ?? [];
    return targets.map((_, i) => {
      const [err, values] = replies[i] as [Error | null, (string | null)[]];
      if (err) throw err;
      if (!values || values[0] === null || values[2] === null) return null;
      return { likeCount: Number(values[0]), dislikeCount: Number(values[1]), version: Number(values[2]) };
    });
  }

  async hasCounts(type: string, id: number): Promise<boolean> {
    return (await this.redis.hexists(countsKey(type, id), 'v')) === 1;
  }

  /** Writes still on their way to MySQL, per id (0 when none). */
  async pendingWrites(type: string, ids: readonly number[]): Promise<number[]> {
    const values = await this.redis.mget(...ids.map((id) => pendingKey(type, id)));
    return values.map((v) => Math.max(0, Number(v ?? 0)));
  }

  /** Fills rebuilt hashes (each only if still missing). */
  async fill(
    type: string,
    targets: { id: number; likeCount: number; dislikeCount: number; version: number; users: StoredVotes['users'] }[],
  ) {
    const pipeline = this.redis.pipeline() as unknown as VoteRedis;
    for (const t of targets) {
      const fields = t.users.filter((u) => u.value !== 0).flatMap((u) => [`u${u.userId}`, u.value]);
      pipeline.voteFill(countsKey(type, t.id), t.likeCount, t.dislikeCount, t.version, COUNTS_TTL_MS, ...fields);
    }
    await (pipeline as unknown as ChainableCommander).exec();
  }

  /** Bookkeeping after a write batch: drops the hashes of targets MySQL disagreed with, counts writes done. */
  async settle(done: { type: string; id: number; writes: number }[], broken: { type: string; id: number }[]): Promise<void> {
    if (broken.length) await this.redis.del(...broken.map((t) => countsKey(t.type, t.id)));
    const pipeline = this.redis.pipeline() as unknown as VoteRedis;
    for (const t of done) pipeline.voteDone(pendingKey(t.type, t.id), t.writes);
    await (pipeline as unknown as ChainableCommander).exec();
  }

  /** Takes a target's event window (`key` is `Type:id`) for `ms`: 0 when taken, else how long another holder keeps it. */
  async takePublishWindow(key: string, ms: number): Promise<number> {
    const windowKey = `vote:publish:${key}`;
    if ((await this.redis.set(windowKey, '1', 'PX', ms, 'NX')) === 'OK') return 0;
    const left = await this.redis.pttl(windowKey);
    return left > 0 ? left : 5;
  }

  async forget(type: string, id: number): Promise<void> {
    await this.redis.del(countsKey(type, id));
  }

  // ---- MySQL ------------------------------------------------------------------------------------------------------

  /** Upserts vote rows inside `trx`, each guarded by its seq: an older change never overwrites a newer one. */
  async writeVotes(trx: Knex.Transaction, rows: readonly VoteRow[], now: Date): Promise<void> {
    await trx.raw(
      upsertVotes(rows.length),
      rows.flatMap((r) => [r.type, r.id, r.userId, r.value, r.seq, now]),
    );
  }

  /** Upserts counts (autocommit), each guarded by its version. */
  async writeCounts(conn: Connection, targets: readonly ({ type: string; id: number } & Counts)[]): Promise<void> {
    await conn.execute(
      upsertCounts(targets.length),
      targets.flatMap((t) => [t.type, t.id, t.likeCount, t.dislikeCount, t.version]),
    );
  }

  /** The caller's votes on some targets of one type (value by target id). */
  async votesOf(conn: Connection, userId: number, type: string, ids: readonly number[]): Promise<Map<number, number>> {
    const rows: { target_id: number; value: number }[] = await conn.execute(
      `select target_id, value from votes where target_type = ? and user_id = ? and target_id in (${marks(ids.length)})`,
      [type, userId, ...ids],
    );
    return new Map(rows.map((r) => [Number(r.target_id), Number(r.value)]));
  }

  /** Vote rows and stored counts of some targets of one type, in one query. */
  async storedVotes(conn: Connection, type: string, ids: readonly number[]): Promise<Map<number, StoredVotes>> {
    const rows: { k: string; target_id: number; a: number; b: number; c: number | string }[] = await conn.execute(
      `select 'v' as k, target_id, user_id as a, value as b, seq as c from votes where target_type = ? and target_id in (${marks(ids.length)})
       union all select 'c', target_id, like_count, dislike_count, version from vote_counts
       where target_type = ? and target_id in (${marks(ids.length)})`,
      [type, ...ids, type, ...ids],
    );
    const out = new Map<number, StoredVotes>(ids.map((id) => [id, { users: [], counts: null }]));
    for (const r of rows) {
      const t = out.get(Number(r.target_id))!;
      if (r.k === 'c') t.counts = { likeCount: Number(r.a), dislikeCount: Number(r.b), version: Number(r.c) };
      else t.users.push({ userId: Number(r.a), value: Number(r.b), seq: Number(r.c) });
    }
    return out;
  }

  /** Removes every vote on a deleted target (inside the caller's transaction when given one). */
  async purge(trx: Knex.Transaction | Knex, type: string, id: number): Promise<void> {
    await trx.raw('delete from votes where target_type = ? and target_id = ?', [type, id]);
    await trx.raw('delete from vote_counts where target_type = ? and target_id = ?', [type, id]);
    await this.forget(type, id);
  }
}
