// A fixed-bucket latency histogram (0.1 ms buckets up to 60 s): recording a delivery allocates nothing, which matters
// when one load process records hundreds of thousands of deliveries a second.
const RESOLUTION = 10; // buckets per ms
const BUCKETS = 60_000 * RESOLUTION;

export class Histogram {
  counts = new Uint32Array(BUCKETS);
  count = 0;
  max = 0;

  add(ms) {
    const b = ms <= 0 ? 0 : Math.min(BUCKETS - 1, Math.floor(ms * RESOLUTION));
    this.counts[b]++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  /** The smallest recorded value v with at least p % of the values ≤ v (bucket upper edge), in ms. */
  percentile(p) {
    if (!this.count) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b];
      if (seen >= rank) return Math.min(this.max, (b + 1) / RESOLUTION);
    }
    return this.max;
  }
}
