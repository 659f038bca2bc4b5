// Open-loop sender for the hot-room benchmark: RATE messages/s whatever the answers take, alternating targets, each
// body carrying its send time (performance.now() of the load process, which also receives every delivery). A send that
// fails goes to the next target with the same clientMessageId, so a retry after a lost answer stores nothing twice.
import { sleep } from '../lib.mjs';

const ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;

export class PacedSender {
  /**
   * @param {Array<(body: string, clientMessageId: string) => Promise<number>>} targets answer the stored seq; an entry
   *   may be replaced while sending (an instance restarted).
   * @param {{ confirm(seq: number): void }} fleet told every stored seq
   */
  constructor(targets, fleet, idPrefix) {
    this.targets = targets;
    this.fleet = fleet;
    this.idPrefix = idPrefix;
    this.count = 0;
    this.bodies = new Map(); // seq → body as stored
    this.retries = 0;
    this.errors = 0;
    this.firstError = null;
    this.stopped = false;
  }

  /** Sends `rate` messages/s for `seconds` (or until stop()); resolves once every send has settled. */
  async pace(rate, seconds = Infinity) {
    this.stopped = false;
    const started = performance.now();
    const sends = [];
    for (let i = 0; ; i++) {
      const due = started + (i * 1000) / rate;
      if (due - started >= seconds * 1000) break;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      if (this.stopped) break;
      sends.push(this.send(this.count++));
    }
    await Promise.all(sends);
  }

  stop() {
    this.stopped = true;
  }

  async send(n) {
    const body = `m${n}|${performance.now()}`;
    let t = n % this.targets.length;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        const seq = await withTimeout(this.targets[t](body, `${this.idPrefix}${n}`));
        this.bodies.set(seq, body);
        this.fleet.confirm(seq);
        return;
      } catch (err) {
        this.retries++;
        this.lastError = String(err?.message ?? err).slice(0, 300);
        t = (t + 1) % this.targets.length;
        if (attempt) await sleep(100 * attempt);
      }
    }
    this.errors++;
    this.firstError ??= this.lastError;
  }
}

function withTimeout(promise) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
}
