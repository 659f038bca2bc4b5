import type { Redis } from 'ioredis';

/**
 * Per room, one hash field per API instance: `<count>:<expires at ms>`. An instance rewrites its own fields while it
 * runs; a dead instance's fields expire and stop counting. Updating returns the room's total and whether it changed
 * since the last update (of any instance), so only the instance that moved the total publishes it, with a version.
 */
const UPDATE = `
local now = tonumber(ARGV[3])
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. (now + tonumber(ARGV[4])))
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
local total = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local count, expires = string.match(all[i + 1], '(%d+):(%d+)')
  if tonumber(expires) < now then redis.call('HDEL', KEYS[1], all[i]) else total = total + tonumber(count) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local last = redis.call('HGET', KEYS[2], 'total')
local version = tonumber(redis.call('HGET', KEYS[2], 'version') or '0')
local changed = 0
if last == false or tonumber(last) ~= total then
  version = redis.call('HINCRBY', KEYS[2], 'version', 1)
  redis.call('HSET', KEYS[2], 'total', total)
  changed = 1
end
redis.call('PEXPIRE', KEYS[2], 86400000)
return {total, changed, version}`;

type PresenceRedis = Redis & {
  presenceUpdate(
    hash: string,
    state: string,
    instance: string,
    count: number,
    now: number,
    ttlMs: number,
  ): Promise<[number, number, number]>;
};

const hashKey = (roomId: number) => `presence:room:${roomId}`;
const stateKey = (roomId: number) => `presence:room:${roomId}:state`;

export class PresenceStore {
  private readonly redis: PresenceRedis;

  constructor(redis: Redis) {
    redis.defineCommand('presenceUpdate', { numberOfKeys: 2, lua: UPDATE });
    this.redis = redis as PresenceRedis;
  }

  /** Writes this instance's count; the room's total, whether it changed, and its version (totals are published from several instances: the version orders them). */
  async update(
    roomId: number,
    instanceId: string,
    count: number,
    ttlMs: number,
  ): Promise<{ total: number; changed: boolean; version: number }> {
    const [total, changed, version] = await this.redis.presenceUpdate(
      hashKey(roomId),
      stateKey(roomId),
      instanceId,
      count,
      Date.now(),
      ttlMs,
    );
    return { total: Number(total), changed: Number(changed) === 1, version: Number(version) };
  }

  /** The last published total and its version. */
  async published(roomId: number): Promise<{ total: number; version: number }> {
    const [total, version] = await this.redis.hmget(stateKey(roomId), 'total', 'version');
    return { total: Number(total ?? 0), version: Number(version ?? 0) };
  }

  /** People in the room now, across instances (fields past their expiry do not count). */
  async total(roomId: number): Promise<number> {
    const all = await this.redis.hgetall(hashKey(roomId));
    const now = Date.now();
    return Object.values(all).reduce((sum, v) => {
      const [count, expires] = v.split(':').map(Number);
      return expires! >= now ? sum + count! : sum;
    }, 0);
  }
}
