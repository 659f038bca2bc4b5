import DataLoader from 'dataloader';
import type { Knex } from '@mikro-orm/mysql';
import type { Redis } from 'ioredis';
import type { Context } from '../../app/graphql/context.js';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { defineLoader } from '../../app/graphql/loaders.js';
import type { Infra } from '../../app/infra.js';
import { unauthenticated } from '../../app/errors.js';
import { TargetRegistry, type TargetDefinition } from './targets.js';
import { VoteTopic, type VoteCountsPayload } from './vote.topics.js';
import { numberToVote, voteToNumber, type VoteCounts, VoteValue } from './vote.types.js';

export interface Counts {
  likeCount: number;
  dislikeCount: number;
  version: number;
}

/** Writes counts only when they are newer than what Redis holds, so late or racing writers never regress them. */
const SET_IF_NEWER = `
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '-1')
if tonumber(ARGV[3]) > v then
  redis.call('HSET', KEYS[1], 'l', ARGV[1], 'd', ARGV[2], 'v', ARGV[3])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

const COUNTS_TTL_MS = 7 * 24 * 3600 * 1000;
/** At most one voteCountsChanged event per target per window (per API process). */
export const VOTE_EVENT_WINDOW_MS = 100;
const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

type VoteRedis = Redis & { voteCountsSet(key: string, like: number, dislike: number, version: number, ttlMs: number): Promise<number> };

const countsKey = (type: string, id: number) => `vote:counts:${type}:${id}`;
const targetKey = (type: string, id: number) => `${type}:${id}`;
const splitKey = (key: string): [string, number] => {
  const i = key.indexOf(':');
  return [key.slice(0, i), Number(key.slice(i + 1))];
};

/**
 * Likes and dislikes on any registered target. The `votes` row per (target, user) is the truth; the row lock taken on
 * it serialises one user's changes on one target, and `vote_counts` changes in the same transaction (with a version).
 * Redis serves the counts and is refilled from `vote_counts` whenever a key is missing; writes carry the version so a
 * slow writer never overwrites newer counts.
 */
export class VoteService {
  private readonly targets = new TargetRegistry('votes');
  private readonly redis: VoteRedis;
  private readonly windows = new Map<string, { dirty: boolean; timer: NodeJS.Timeout }>();
  private readonly publishing = new Map<string, Promise<void>>();
  private closed = false;

  /** Per request: counts by `Type:id`. */
  private readonly countsLoader = defineLoader(
    (ctx) => new DataLoader<string, Counts>(async (keys) => this.loadCounts(ctx, keys)),
  );

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
            .execute(`select target_id, value from votes where target_type = ? and user_id = ? and target_id in (${ids.map(() => '?').join(',')})`, [
              type,
              ctx.user!.id,
              ...ids,
            ]);
          for (const r of rows) found.set(targetKey(type, r.target_id), Number(r.value));
        }
        return keys.map((k) => numberToVote(found.get(k) ?? 0));
      }),
  );

  constructor(private readonly infra: Infra) {
    infra.redis.client.defineCommand('voteCountsSet', { numberOfKeys: 1, lua: SET_IF_NEWER });
    this.redis = infra.redis.client as VoteRedis;
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
    const knex = ctx.em.getConnection().getKnex();
    const now = new Date();
    // One round trip: the procedure locks the (target, user) row, updates it and vote_counts in one transaction.
    const { counts, changed } = await this.withRetry(async () => {
      const [sets] = await knex.raw('call vote_set(?, ?, ?, ?, ?)', [type, id, userId, next, now]);
      const c = (sets as Record<string, unknown>[][])[0][0];
      return {
        counts: { likeCount: Number(c.like_count), dislikeCount: Number(c.dislike_count), version: Number(c.version) },
        changed: Number(c.changed) === 1,
      };
    });
    await this.storeCounts(type, id, counts);
    if (changed) this.changed(type, id);
    return { targetId: toGlobalId(type, id), likeCount: counts.likeCount, dislikeCount: counts.dislikeCount, myVote: value };
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
    const pipeline = this.redis.pipeline();
    for (const k of keys) pipeline.hmget(countsKey(...splitKey(k)), 'l', 'd', 'v');
    const cached = (await pipeline.exec()) ?? [];
    const result = new Map<string, Counts>();
    const missing = new Map<string, number[]>();
    keys.forEach((k, i) => {
      const [err, values] = cached[i] as [Error | null, (string | null)[]];
      if (!err && values && values[0] !== null && values[2] !== null) {
        result.set(k, { likeCount: Number(values[0]), dislikeCount: Number(values[1]), version: Number(values[2]) });
      } else {
        const [type, id] = splitKey(k);
        missing.set(type, [...(missing.get(type) ?? []), id]);
      }
    });
    for (const [type, ids] of missing) {
      const rows: { target_id: number; like_count: number; dislike_count: number; version: number }[] = await ctx.em
        .getConnection()
        .execute(`select target_id, like_count, dislike_count, version from vote_counts where target_type = ? and target_id in (${ids.map(() => '?').join(',')})`, [
          type,
          ...ids,
        ]);
      const byId = new Map(rows.map((r) => [Number(r.target_id), r]));
      const writes: Promise<void>[] = [];
      for (const id of ids) {
        const r = byId.get(id);
        const counts = r ? { likeCount: Number(r.like_count), dislikeCount: Number(r.dislike_count), version: Number(r.version) } : { likeCount: 0, dislikeCount: 0, version: 0 };
        result.set(targetKey(type, id), counts);
        writes.push(this.storeCounts(type, id, counts));
      }
      await Promise.all(writes);
    }
    return keys.map((k) => result.get(k)!);
  }

  private async storeCounts(type: string, id: number, c: Counts): Promise<void> {
    await this.redis.voteCountsSet(countsKey(type, id), c.likeCount, c.dislikeCount, c.version, COUNTS_TTL_MS);
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
      const counts = await this.currentCounts(type, id);
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
