import type { Redis } from 'ioredis';

/**
 * First-come slots of capped missions in Redis, in front of MySQL:
 * - `mission:<id>:state` (hash: capacity, -1 = unlimited) says the other keys were seeded from MySQL;
 * - `mission:<id>:winners` (set) the users whose grant committed;
 * - `mission:<id>:pending` (sorted set) reservations not yet committed, scored by lease expiry (ms).
 * A reservation counts against the capacity until it is confirmed (moved to winners) or released; a process that dies
 * in between leaves a lease that expires, so the slot comes back. MySQL stays the authority: the grant transaction
 * re-checks the capacity and the (mission, user) unique key, so stale Redis state can cost a round trip, never an
 * over-grant.
 */
export type ReserveResult = 'RESERVED' | 'FULL' | 'ALREADY_COMPLETED' | 'IN_PROGRESS' | 'NOT_SEEDED';

const RESERVE = `
local cap = redis.call('HGET', KEYS[1], 'capacity')
if not cap then return -2 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return -1 end
if redis.call('ZSCORE', KEYS[3], ARGV[1]) then return -3 end
cap = tonumber(cap)
if cap >= 0 and redis.call('SCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3]) >= cap then return 0 end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
return 1
`;

const CONFIRM = `
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('SADD', KEYS[2], ARGV[1]) end
return 1
`;

const SEED = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2])
for i = 2, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'capacity', ARGV[1])
return 1
`;

type SlotCommands = {
  missionReserve(state: string, winners: string, pending: string, userId: number, leaseMs: number): Promise<number>;
  missionConfirm(state: string, winners: string, pending: string, userId: number): Promise<number>;
  missionSeed(state: string, winners: string, capacity: number, ...userIds: number[]): Promise<number>;
};

export class MissionSlots {
  private readonly redis: Redis & SlotCommands;

  constructor(
    redis: Redis,
    private readonly leaseMs: number,
  ) {
    redis.defineCommand('missionReserve', { numberOfKeys: 3, lua: RESERVE });
    redis.defineCommand('missionConfirm', { numberOfKeys: 3, lua: CONFIRM });
    redis.defineCommand('missionSeed', { numberOfKeys: 2, lua: SEED });
    this.redis = redis as Redis & SlotCommands;
  }

  private keys(missionId: number) {
    return [`mission:${missionId}:state`, `mission:${missionId}:winners`, `mission:${missionId}:pending`] as const;
  }

  async reserve(missionId: number, userId: number): Promise<ReserveResult> {
    const [state, winners, pending] = this.keys(missionId);
    const r = await this.redis.missionReserve(state, winners, pending, userId, this.leaseMs);
    return r === 1 ? 'RESERVED' : r === 0 ? 'FULL' : r === -1 ? 'ALREADY_COMPLETED' : r === -3 ? 'IN_PROGRESS' : 'NOT_SEEDED';
  }

  /** Loads capacity and winners from MySQL's truth unless another caller did already. */
  async seed(missionId: number, capacity: number | null, winnerIds: number[]): Promise<void> {
    const [state, winners] = this.keys(missionId);
    await this.redis.missionSeed(state, winners, capacity ?? -1, ...winnerIds);
  }

  async confirm(missionId: number, userId: number): Promise<void> {
    const [state, winners, pending] = this.keys(missionId);
    await this.redis.missionConfirm(state, winners, pending, userId);
  }

  async release(missionId: number, userId: number): Promise<void> {
    await this.redis.zrem(this.keys(missionId)[2], userId);
  }

  /** Forgets capacity and winners (after an admin change, or when MySQL disagreed); the next reservation reseeds. */
  async invalidate(missionId: number): Promise<void> {
    const [state, winners] = this.keys(missionId);
    await this.redis.del(state, winners);
  }

  /** Reservations not yet committed (tests and diagnostics). */
  pendingCount(missionId: number): Promise<number> {
    return this.redis.zcard(this.keys(missionId)[2]);
  }
}
