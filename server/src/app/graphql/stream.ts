/**
 * How a topic's subscribers catch up: what they see before live events, and how to tell a live event they already
 * have. Registered per topic by the module that owns it (`pubsub.registerStream`).
 */
export interface StreamSource<P> {
  /**
   * What a new subscriber sees first, in order: the current state of a state-like stream, or what a reconnecting
   * client missed since `resume`. Called once live events are already being collected, so nothing falls in between.
   * May throw (e.g. CONFLICT RESUME_GAP when history no longer reaches back): the subscription ends with that error.
   */
  replay(id: string, resume: unknown): Promise<P[]>;
  /** Payloads with the same key replace each other; one whose version is not above the last seen is dropped. */
  key?(payload: P): string;
  version?(payload: P): number;
  /** For gapless streams (chat seq): what lies strictly between two versions when a live event skips ahead. */
  fill?(id: string, afterVersion: number, beforeVersion: number): Promise<P[]>;
  /** Where a resuming subscriber stands before anything is replayed (the last seq it has). */
  start?(resume: unknown): { key: string; version: number } | null;
  /** A subscriber of `id` started listening (presence counts it) / left. */
  joined?(id: string): void;
  left?(id: string): void;
}

/** Starts listening; resolves once events are being collected, with a function that stops. */
export type Listen<P> = (push: (payload: P) => void) => Promise<() => void>;

type Waiter<P> = { resolve: (r: IteratorResult<P>) => void; reject: (err: unknown) => void };

/**
 * A subscription's events: listening starts first, then the source's replay is delivered, then live events with
 * every duplicate across the seam dropped and every gap filled. A plain iterator rather than an async generator, so
 * that `return()` (the client unsubscribed) stops listening at once even while waiting for the next event.
 */
export class Stream<P> implements AsyncIterableIterator<P> {
  private readonly out: P[] = [];
  private readonly incoming: P[] = [];
  private waiter: Waiter<P> | null = null;
  private wakePump: (() => void) | null = null;
  private failure: { err: unknown } | null = null;
  private done = false;
  private stop: (() => void) | null = null;
  private readonly last = new Map<string, number>();

  constructor(
    private readonly source: StreamSource<P>,
    private readonly id: string,
    private readonly resume: unknown,
    listen: Listen<P>,
  ) {
    void this.pump(listen).catch((err: unknown) => this.fail(err));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<P> {
    return this;
  }

  next(): Promise<IteratorResult<P>> {
    if (this.out.length) return Promise.resolve({ value: this.out.shift()!, done: false });
    if (this.failure) return Promise.reject(this.failure.err);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<P>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<P>> {
    this.finish();
    return Promise.reject(err);
  }

  private async pump(listen: Listen<P>): Promise<void> {
    const stop = await listen((p) => {
      this.incoming.push(p);
      this.wakePump?.();
    });
    if (this.done) return stop();
    this.source.joined?.(this.id);
    this.stop = () => {
      stop();
      this.source.left?.(this.id);
    };
    const start = this.source.start?.(this.resume);
    if (start) this.last.set(start.key, start.version);
    for (const p of await this.source.replay(this.id, this.resume)) this.accept(p);
    while (!this.done) {
      if (!this.incoming.length) await new Promise<void>((r) => (this.wakePump = r));
      this.wakePump = null;
      while (this.incoming.length && !this.done) await this.live(this.incoming.shift()!);
    }
  }

  private async live(p: P): Promise<void> {
    const { key, version, fill } = this.source;
    if (key && version) {
      const seen = this.last.get(key(p));
      const at = version(p);
      if (seen !== undefined && at <= seen) return;
      if (seen !== undefined && fill && at > seen + 1) for (const missing of await fill(this.id, seen, at)) this.accept(missing);
    }
    this.accept(p);
  }

  private accept(p: P): void {
    if (this.done) return;
    const { key, version } = this.source;
    if (key && version) this.last.set(key(p), Math.max(version(p), this.last.get(key(p)) ?? -Infinity));
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve({ value: p, done: false });
    } else this.out.push(p);
  }

  private fail(err: unknown): void {
    if (this.done) return;
    this.failure = { err };
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.reject(err);
    }
    this.finish(false);
  }

  private finish(clear = true): void {
    this.done = true;
    this.stop?.();
    this.stop = null;
    this.wakePump?.();
    if (clear) this.out.length = 0;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve({ value: undefined, done: true });
    }
  }
}
