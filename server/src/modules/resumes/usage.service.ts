import type { EntityManager } from '@mikro-orm/mysql';
import type { Infra } from '../../app/infra.js';
import { usageStore } from './usage.store.js';

export const USAGE_RESET_CHUNK = 20_000;
const DAY_MS = 86_400_000;
/** Quota days run from midnight to midnight in Korea (UTC+9, no daylight saving). */
const KST_OFFSET_MS = 9 * 3_600_000;

const kstDay = (now: number) => new Date(now + KST_OFFSET_MS).toISOString().slice(0, 10);

/** Daily LLM job quota per user: one counter row per user, zeroed by the daily reset job in key-range chunks. */
export class UsageService {
  constructor(private readonly infra: Pick<Infra, 'orm' | 'config' | 'redis'>) {}

  get limit(): number {
    return this.infra.config.LLM_DAILY_JOB_LIMIT;
  }

  /** Next midnight in Korea; the reset job (every few minutes) resets within minutes of it. */
  resetsAt(now = Date.now()): Date {
    return new Date(Math.floor((now + KST_OFFSET_MS) / DAY_MS) * DAY_MS + DAY_MS - KST_OFFSET_MS);
  }

  /**
   * The scheduled job: resets once per Korean day. The day is claimed atomically in Redis (SET ... GET), so a
   * worker that was down at midnight catches up on its next run and two workers never both reset.
   */
  async resetIfDue(now = Date.now()): Promise<{ rows: number; chunks: number; skipped: boolean }> {
    const day = kstDay(now);
    const previous = await usageStore.claimResetDay(this.infra.redis.client, day);
    if (previous === day) return { rows: 0, chunks: 0, skipped: true };
    return { ...(await this.resetAll()), skipped: false };
  }

  /** Takes one job from today's quota; false when it is used up. Atomic: the WHERE clause is the check. */
  consume(em: EntityManager, userId: number): Promise<boolean> {
    return usageStore.consume(em.getConnection(), userId, this.limit);
  }

  refund(em: EntityManager, userId: number): Promise<void> {
    return usageStore.refund(em.getConnection(), userId);
  }

  used(em: EntityManager, userId: number): Promise<number> {
    return usageStore.used(em.getConnection(), userId);
  }

  /**
   * Zeroes every counter with one UPDATE per key range of `chunk` user ids (set-based, short transactions,
   * no row-by-row round trips). Returns the rows changed and the statements run.
   */
  async resetAll(chunk = USAGE_RESET_CHUNK): Promise<{ rows: number; chunks: number }> {
    const conn = this.infra.orm.em.getConnection();
    const range = await usageStore.idRange(conn);
    if (!range) return { rows: 0, chunks: 0 };
    let rows = 0;
    let chunks = 0;
    for (let lo = range.lo; lo <= range.hi; lo += chunk) {
      rows += await usageStore.resetRange(conn, lo, lo + chunk);
      chunks += 1;
    }
    return { rows, chunks };
  }
}
