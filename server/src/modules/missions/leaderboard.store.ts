import type { EntityManager } from '@mikro-orm/mysql';
import type { Redis } from 'ioredis';

const KEY = 'leaderboard:points';
/** Member `0` (no user has id 0) with score 0 marks a board that exists, even with nobody on it. */
const PLACEHOLDER = '0';
// Grants write a user's new total (from MySQL, after the commit); GT keeps the highest, so order does not matter.
const BUMP = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[2]) end return 1`;

/**
 * Redis sorted set of users by points; rebuilt from the points ledger whenever it is missing.
 * A rebuild first creates the (empty) board, then reads the ledger: a grant that commits before the read is in the
 * read; one whose bump comes after the board exists is applied by the bump. Either way nothing is lost.
 * (Points only grow: grants are the only ledger entries. A correction that lowers points must call `forget`.)
 */
export class LeaderboardStore {
  private readonly redis: Redis & { leaderboardBump(key: string, total: number, userId: number): Promise<number> };

  constructor(redis: Redis) {
    redis.defineCommand('leaderboardBump', { numberOfKeys: 1, lua: BUMP });
    this.redis = redis as LeaderboardStore['redis'];
  }

  /** After a grant committed: the user's new total, if the board exists (a missing board is rebuilt on read). */
  async bump(userId: number, total: number): Promise<void> {
    await this.redis.leaderboardBump(KEY, total, userId);
  }

  /** Top users, best first; ties share a rank (1, 2, 2, 4). */
  async top(em: EntityManager, first: number): Promise<{ userId: number; points: number; rank: number }[]> {
    if (!(await this.redis.exists(KEY))) await this.rebuild(em);
    const flat = await this.redis.zrevrangebyscore(KEY, '+inf', '(0', 'WITHSCORES', 'LIMIT', 0, first);
    const rows: { userId: number; points: number; rank: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const points = Number(flat[i + 1]);
      const prev = rows.at(-1);
      rows.push({ userId: Number(flat[i]), points, rank: prev && prev.points === points ? prev.rank : rows.length + 1 });
    }
    return rows;
  }

  /** Loads every user's ledger sum (the truth) into the board. */
  async rebuild(em: EntityManager): Promise<void> {
    await this.redis.zadd(KEY, 'NX', 0, PLACEHOLDER);
    const sums: { user_id: number; total: string | number }[] = await em
      .getConnection()
      .execute('select user_id, sum(amount) as total from points_ledger group by user_id having sum(amount) > 0');
    for (let i = 0; i < sums.length; i += 1000) {
      const args = sums.slice(i, i + 1000).flatMap((r) => [Number(r.total), r.user_id]);
      await this.redis.zadd(KEY, 'GT', ...args);
    }
  }

  /** Drops the board (tests, or after a manual ledger correction); the next read rebuilds it. */
  async forget(): Promise<void> {
    await this.redis.del(KEY);
  }
}
