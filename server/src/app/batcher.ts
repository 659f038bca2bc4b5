interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

interface Lane<T, R> {
  queue: Waiting<T, R>[];
  inFlight: number;
  scheduled: boolean;
}

export interface BatcherOptions {
  /** Items per call. */
  maxBatch?: number;
  /** > 0: the first call of a burst waits this long to gather more (a producer's linger: fewer, larger calls). */
  lingerMs?: number;
  /** Calls of one key in flight at once; items arriving meanwhile wait for a free one. */
  maxInFlight?: number;
  /** Start calls on the next turn of the event loop, so a call carries everything one I/O turn produced. */
  gatherTurn?: boolean;
}

/**
 * Group commit: while a call for a key is in flight, later items of that key wait and go together in the next call.
 * A lone item goes at once, so nothing waits on a timer; under load a burst needs a handful of round trips instead
 * of one each, and none of them waits for a pool connection behind a saturated event loop.
 */
export class Batcher<K, T, R> {
  private readonly lanes = new Map<K, Lane<T, R>>();
  private readonly maxBatch: number;
  private readonly lingerMs: number;
  private readonly maxInFlight: number;
  private readonly gatherTurn: boolean;

  /** `run` answers one result per item, in order; if it throws, every item of that call is rejected. */
  constructor(
    private readonly run: (key: K, items: T[]) => Promise<R[]>,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 100;
    this.lingerMs = options.lingerMs ?? 0;
    this.maxInFlight = options.maxInFlight ?? 1;
    this.gatherTurn = options.gatherTurn ?? false;
  }

  add(key: K, item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (!lane) {
        lane = { queue: [], inFlight: 0, scheduled: false };
        this.lanes.set(key, lane);
      }
      const idle = lane.inFlight === 0 && !lane.scheduled && lane.queue.length === 0;
      lane.queue.push({ item, resolve, reject });
      this.schedule(key, lane, idle ? this.lingerMs : 0);
    });
  }

  private schedule(key: K, lane: Lane<T, R>, lingerMs: number): void {
    if (lane.scheduled || lane.inFlight >= this.maxInFlight || !lane.queue.length) return;
    if (lingerMs > 0 || this.gatherTurn) {
      lane.scheduled = true;
      const start = () => {
        lane.scheduled = false;
        this.start(key, lane);
      };
      if (lingerMs > 0) setTimeout(start, lingerMs);
      else setImmediate(start);
    } else {
      this.start(key, lane);
    }
  }

  private start(key: K, lane: Lane<T, R>): void {
    while (lane.queue.length && lane.inFlight < this.maxInFlight) {
      const batch = lane.queue.splice(0, this.maxBatch);
      lane.inFlight++;
      void this.call(key, batch).finally(() => {
        lane.inFlight--;
        if (lane.queue.length) this.schedule(key, lane, 0);
        else if (lane.inFlight === 0 && !lane.scheduled) this.lanes.delete(key);
      });
    }
  }

  private async call(key: K, batch: Waiting<T, R>[]): Promise<void> {
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
}
