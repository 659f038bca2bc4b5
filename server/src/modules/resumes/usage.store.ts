import type { QueryResult } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/mysql';
import type { Redis } from 'ioredis';

/** The part of a MikroORM connection the statements use (the usage-reset benchmark passes its own). */
type Executor = Pick<AbstractSqlConnection, 'execute'>;

const RESET_DAY_KEY = 'usage:reset-day';

/** Every statement of the daily LLM quota: one `llm_usage` row per user, and the day of the last reset in Redis. */
export const usageStore = {
  /** Takes one job from the user's quota; false when `limit` is reached. Atomic: the WHERE clause is the check. */
  async consume(conn: Executor, userId: number, limit: number): Promise<boolean> {
    await conn.execute('insert ignore into llm_usage (user_id, jobs_used) values (?, 0)', [userId], 'run');
    const res = await conn.execute<QueryResult>(
      'update llm_usage set jobs_used = jobs_used + 1 where user_id = ? and jobs_used < ?',
      [userId, limit],
      'run',
    );
    return res.affectedRows === 1;
  },

  /** Gives back one job (a request that turned out to be a retry of an earlier one). */
  async refund(conn: Executor, userId: number): Promise<void> {
    await conn.execute('update llm_usage set jobs_used = greatest(jobs_used - 1, 0) where user_id = ?', [userId], 'run');
  },

  async used(conn: Executor, userId: number): Promise<number> {
    const rows = await conn.execute<{ jobs_used: number }[]>('select jobs_used from llm_usage where user_id = ?', [userId]);
    return rows[0]?.jobs_used ?? 0;
  },

  /** The smallest and largest user id with a counter; null when there is none. */
  async idRange(conn: Executor): Promise<{ lo: number; hi: number } | null> {
    const [bounds] = await conn.execute<{ lo: number | null; hi: number | null }[]>(
      'select min(user_id) as lo, max(user_id) as hi from llm_usage',
    );
    return bounds?.lo == null || bounds.hi == null ? null : { lo: Number(bounds.lo), hi: Number(bounds.hi) };
  },

  /** Zeroes the counters of user ids in [lo, hi) in one statement; returns the rows changed. */
  async resetRange(conn: Executor, lo: number, hi: number): Promise<number> {
    const res = await conn.execute<QueryResult>(
      'update llm_usage set jobs_used = 0 where user_id >= ? and user_id < ? and jobs_used <> 0',
      [lo, hi],
      'run',
    );
    return res.affectedRows;
  },

  /** Records `day` as the day of the last reset (SET ... GET, atomic); returns the day recorded before. */
  claimResetDay(redis: Redis, day: string): Promise<string | null> {
    return redis.set(RESET_DAY_KEY, day, 'GET');
  },
};
