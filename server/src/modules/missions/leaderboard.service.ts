import type { EntityManager } from '@mikro-orm/mysql';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

const KEY = 'leaderboard:points';
const BUMP = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('ZINCRBY', KEYS[1], ARGV[1], ARGV[2]) end return 1`;
// Installs a freshly built board unless a concurrent rebuild did; the temporary key is dropped either way.
const INSTALL = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DEL', KEYS[2]) return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[1]) else redis.call('ZADD', KEYS[1], 0, '0') end
return 1
`;

/** Redis sorted set of users by points; rebuilt from the points ledger whenever it is missing. */
export class LeaderboardService {
  private readonly redis: Redis & {
    leaderboardBump(key: string, amount: number, userId: number): Promise<number>;
    leaderboardInstall(key: string, temp: string): Promise<number>;
  };

  constructor(redis: Redis) {
    redis.defineCommand('leaderboardBump', { numberOfKeys: 1, lua: BUMP });
    redis.defineCommand('leaderboardInstall', { numberOfKeys: 2, lua: INSTALL });
    this.redis = redis as LeaderboardService['redis'];
  }

  /** After a grant committed: adds to the board if it exists (a missing board is rebuilt from the ledger on read). */
  async bump(userId: number, amount: number): Promise<void> {
    await this.redis.leaderboardBump(KEY, amount, userId);
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

  /** Rebuilds the board from the ledger (the truth); a placeholder member `0` with score 0 marks an empty board. */
  async rebuild(em: EntityManager): Promise<void> {
    const sums: { user_id: number; total: string | number }[] = await em
      .getConnection()
      .execute('select user_id, sum(amount) as total from points_ledger group by user_id having sum(amount) <> 0');
    const temp = `leaderboard:build:${randomUUID()}`;
    for (let i = 0; i < sums.length; i += 1000) {
      const args = sums.slice(i, i + 1000).flatMap((r) => [Number(r.total), r.user_id]);
      await this.redis.zadd(temp, ...args);
    }
    await this.redis.leaderboardInstall(KEY, temp);
  }

  /** Drops the board (tests, or after a manual ledger correction); the next read rebuilds it. */
  async forget(): Promise<void> {
    await this.redis.del(KEY);
  }
}
