import { HttpError } from './request.js';

export interface AdmissionOptions {
  /** Requests running at once. */
  maxActive: number;
  /** Requests waiting for a place; beyond that the API answers 503. */
  maxQueued: number;
  /** After this long a request is waiting on something outside (Kakao, the weather API) and gives its place up. */
  releaseAfterMs: number;
}

/**
 * Admits GraphQL HTTP requests a few dozen at a time, the rest in arrival order.
 *
 * The API is one thread: with hundreds of requests in flight every await of every request queues behind all the
 * others, so a request that needs a few more round trips than most (a mission winner's grant) waited several times as
 * long as the rest. Admitted requests see short queues at each await, waiting ones wait once, at the door, and
 * latency evens out. A request still running after `releaseAfterMs` is waiting on an outside service, not on this
 * thread, so it gives its place up and slow services cannot block the door.
 */
export class AdmissionGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: AdmissionOptions) {}

  /** Resolves once admitted, to the function that gives the place back (idempotent). */
  async enter(): Promise<() => void> {
    if (this.active < this.options.maxActive) {
      this.active++;
    } else {
      if (this.waiting.length >= this.options.maxQueued) {
        throw new HttpError(503, 'SERVICE_UNAVAILABLE', 'The server is busy; try again in a moment.', { 'retry-after': '1' });
      }
      // The place is handed over by `release` (active stays counted), so nobody can jump the queue.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      clearTimeout(timer);
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
    const timer = setTimeout(release, this.options.releaseAfterMs);
    timer.unref();
    return release;
  }

  /** Requests waiting for a place (tests, diagnostics). */
  get queued(): number {
    return this.waiting.length;
  }
}
