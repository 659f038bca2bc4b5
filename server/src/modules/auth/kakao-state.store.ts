import type { Redis } from 'ioredis';

/** What a Kakao login URL left behind for its callback. */
export interface PendingLogin {
  verifier: string;
  redirectUri: string;
}

const stateKey = (state: string) => `auth:kakao-state:${state}`;

/** The pending Kakao logins in Redis, one key per state, each readable once. */
export class KakaoStateStore {
  constructor(private readonly redis: Redis) {}

  async save(state: string, pending: PendingLogin, ttlSeconds: number): Promise<void> {
    await this.redis.set(stateKey(state), JSON.stringify(pending), 'EX', ttlSeconds);
  }

  /** The pending login of `state`, removed as it is read (GETDEL), so it works once even when two requests race. */
  async take(state: string): Promise<PendingLogin | null> {
    const raw = await this.redis.getdel(stateKey(state));
    return raw ? (JSON.parse(raw) as PendingLogin) : null;
  }
}
