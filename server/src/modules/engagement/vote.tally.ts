import type { Connection } from '@mikro-orm/core';
import { unavailable } from '../../app/errors.js';
import type { Logger } from '../../app/logger.js';
import type { RedisLocks } from '../../app/redis-lock.js';
import { rebuildLockKey, type Counts, type VoteStore } from './vote.store.js';

const REBUILD_LOCK_MS = 5_000;
/** How long a rebuild waits for writes already applied in Redis to reach MySQL. */
const DRAIN_WAIT_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type TargetRef = { type: string; id: number };

/**
 * Counts are served from the Redis hash of each target and rebuilt from the `votes` rows (the truth) when missing.
 * Before reading, writes already applied in Redis are given time to reach MySQL; votes meanwhile wait, as the hash
 * is missing. The new version starts above every earlier one (at least the clock in microseconds), so writes of the
 * old generation still in flight can never win over newer ones. `vote_counts` is corrected when it disagrees.
 */
export class VoteTally {
  constructor(
    private readonly store: VoteStore,
    private readonly locks: RedisLocks,
    private readonly logger: Logger,
  ) {}

  async load(conn: Connection, targets: readonly TargetRef[]): Promise<Counts[]> {
    let todo = [...targets];
    const found = new Map<TargetRef, Counts>();
    for (let attempt = 1; todo.length; attempt++) {
      const cached = await this.store.cachedCounts(todo);
      todo.forEach((t, i) => cached[i] && found.set(t, cached[i]));
      todo = todo.filter((t) => !found.has(t));
      if (!todo.length) break;
      if (attempt >= 5) throw unavailable('Votes are being recounted; try again.');
      const byType = new Map<string, number[]>();
      for (const t of todo) byType.set(t.type, [...(byType.get(t.type) ?? []), t.id]);
      await Promise.all([...byType].map(([type, ids]) => this.rebuild(conn, type, ids)));
    }
    return targets.map((t) => found.get(t)!);
  }

  /** Rebuilds the hashes of `ids`; a target someone else is rebuilding is waited for instead. */
  async rebuild(conn: Connection, type: string, ids: number[]): Promise<void> {
    const lock = await this.locks.tryAcquire(
      ids.map((id) => rebuildLockKey(type, id)),
      REBUILD_LOCK_MS,
    );
    const mine = ids.filter((id) => lock.held.includes(rebuildLockKey(type, id)));
    try {
      if (mine.length) await this.rebuildHeld(conn, type, mine);
      for (const id of ids.filter((i) => !mine.includes(i))) await this.waitForOther(type, id);
    } finally {
      await lock.release();
    }
  }

  private async rebuildHeld(conn: Connection, type: string, ids: number[]): Promise<void> {
    await this.waitForWrites(type, ids);
    const stored = await this.store.storedVotes(conn, type, ids);
    const floor = Date.now() * 1000;
    const fix: ({ type: string; id: number } & Counts)[] = [];
    const fills = [...stored].map(([id, s]) => {
      const likeCount = s.users.filter((u) => u.value === 1).length;
      const dislikeCount = s.users.filter((u) => u.value === -1).length;
      const newest = s.users.reduce((max, u) => Math.max(max, u.seq), s.counts?.version ?? 0);
      const version = Math.max(newest + 1, floor);
      const wrong = s.counts ? s.counts.likeCount !== likeCount || s.counts.dislikeCount !== dislikeCount : likeCount || dislikeCount;
      if (wrong) fix.push({ type, id, likeCount, dislikeCount, version });
      return { id, likeCount, dislikeCount, version, users: s.users };
    });
    if (fix.length) await this.store.writeCounts(conn, fix);
    await this.store.fill(type, fills);
  }

  private async waitForWrites(type: string, ids: number[]): Promise<void> {
    for (const deadline = Date.now() + DRAIN_WAIT_MS; ; await sleep(5)) {
      if ((await this.store.pendingWrites(type, ids)).every((n) => n === 0)) return;
      if (Date.now() > deadline) {
        this.logger.warn({ type, ids }, 'vote rebuild: writes still pending, rebuilding anyway');
        return;
      }
    }
  }

  private async waitForOther(type: string, id: number): Promise<void> {
    for (const deadline = Date.now() + REBUILD_LOCK_MS; Date.now() < deadline; await sleep(5)) {
      if (await this.store.hasCounts(type, id)) return;
    }
  }
}
