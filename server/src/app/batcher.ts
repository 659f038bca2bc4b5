interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: while a call for a key is in flight, later items of that key wait and go together in the next call.
 * A lone item goes at once, so nothing waits on a timer; under load a burst needs a handful of round trips instead
 * of one each, and none of them waits for a pool connection behind a saturated event loop.
 */
export class Batcher<K, T, R> {
  private readonly queues = new Map<K, Waiting<T, R>[]>();

  /**
   * `run` answers one result per item, in order; if it throws, every item of that call is rejected. `lingerMs` > 0
   * holds the first call of a burst that long to gather more (a producer's linger: fewer, larger calls).
   */
  constructor(
    private readonly run: (key: K, items: T[]) => Promise<R[]>,
    private readonly maxBatch = 100,
    private readonly lingerMs = 0,
  ) {}

  add(key: K, item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      const fresh: Waiting<T, R>[] = [{ item, resolve, reject }];
      this.queues.set(key, fresh);
      if (this.lingerMs > 0) setTimeout(() => void this.drain(key, fresh), this.lingerMs);
      else void this.drain(key, fresh);
    });
  }

  private async drain(key: K, queue: Waiting<T, R>[]): Promise<void> {
    while (queue.length) {
      const batch = queue.splice(0, this.maxBatch);
      try {
        const results = await this.run(
          key,
          batch.map((w) => w.item),
        );
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.queues.delete(key);
  }
}
