// The signed-in session: kept in localStorage, shared across tabs, refreshed once at a time.
import type { SessionFragment, SessionUserFragment } from '../__generated__/graphql';

export type Session = SessionFragment;

/** Exchanges a refresh token for a new session; rejects with an `AuthRejected` when the token is dead. */
export type Refresher = (refreshToken: string) => Promise<Session>;

/** The server refused the refresh token (rotated, revoked or expired): the user must sign in again. */
export class AuthRejected extends Error {}

const KEY = 'ww.session';
/** Refresh this long before the access token expires, so requests rarely meet an expired token. */
const EARLY_MS = 20_000;

type Listener = (session: Session | null) => void;

export class SessionStore {
  private current: Session | null = null;
  private inflight: Promise<boolean> | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly refresher: Refresher,
    private readonly storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage,
    private readonly now: () => number = Date.now,
  ) {
    this.current = this.read();
    if (typeof window !== 'undefined') {
      // Another tab signed in, out, or rotated the tokens.
      window.addEventListener('storage', (e) => {
        if (e.key === KEY) this.emit(this.read());
      });
    }
  }

  get(): Session | null {
    return this.current;
  }

  get user(): SessionUserFragment | null {
    return this.current?.user ?? null;
  }

  set(session: Session | null): void {
    if (session) this.storage?.setItem(KEY, JSON.stringify(session));
    else this.storage?.removeItem(KEY);
    this.emit(session);
  }

  /** Keeps the tokens, replaces the user (after a profile change). */
  setUser(user: SessionUserFragment): void {
    if (this.current) this.set({ ...this.current, user });
  }

  clear(): void {
    this.set(null);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The access token to send now (refreshed first when about to expire); null when anonymous. */
  async accessToken(): Promise<string | null> {
    const s = this.current;
    if (!s) return null;
    if (Date.parse(s.accessTokenExpiresAt) - EARLY_MS <= this.now()) await this.refresh(s.accessToken);
    return this.current?.accessToken ?? null;
  }

  /**
   * Gets a new token pair. Concurrent callers share one request, and tabs take turns (Web Locks), because
   * presenting a rotated refresh token twice signs the whole session out. `rejected` is the access token the server
   * refused: when the stored one already differs, another caller refreshed meanwhile and nothing is sent.
   * Resolves true when a usable session exists afterwards.
   */
  refresh(rejected?: string): Promise<boolean> {
    this.inflight ??= this.withLock(async () => {
      const stored = this.read();
      if (stored && rejected && stored.accessToken !== rejected && Date.parse(stored.accessTokenExpiresAt) - EARLY_MS > this.now()) {
        this.emit(stored);
        return true;
      }
      if (!stored) {
        this.emit(null);
        return false;
      }
      try {
        this.set(await this.refresher(stored.refreshToken));
        return true;
      } catch (err) {
        if (err instanceof AuthRejected) this.clear();
        return false;
      }
    }).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private withLock<T>(fn: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
    return locks ? locks.request('ww.session.refresh', fn) : fn();
  }

  /** The stored session (another tab may have changed it); the in-memory one when there is no usable storage. */
  private read(): Session | null {
    if (!this.storage) return this.current ?? null;
    try {
      const raw = this.storage.getItem(KEY);
      return raw ? (JSON.parse(raw) as Session) : null;
    } catch {
      return this.current ?? null;
    }
  }

  private emit(session: Session | null): void {
    const before = this.current;
    this.current = session;
    if (before === session) return;
    for (const l of this.listeners) l(session);
  }
}
