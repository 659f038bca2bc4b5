import type { KmaObservationRow, KmaWarningRow } from './kma.client.js';

/** Where the demo's warning falls: Seoul's north-east zone (a real KMA zone code). */
const ZONE = { stnId: 'DEMO', areaCode: 'L1100200', areaName: '서울동북권' };
const HEAVY_RAIN = 2;
/** The timeline repeats: a 호우주의보 a minute in, upgraded to 호우경보 at four, lifted at ten. */
const CYCLE_MS = 30 * 60_000;
const STEPS = [
  { atMs: 60_000, command: 1, warnStress: 0 },
  { atMs: 4 * 60_000, command: 7, warnStress: 1 },
  { atMs: 10 * 60_000, command: 2, warnStress: 1 },
] as const;

/** A KMA time (yyyyMMddHHmm, Korean time) as the API writes it. */
function kmaTime(at: number): number {
  const kst = new Date(at + 9 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return Number(`${kst.getUTCFullYear()}${p(kst.getUTCMonth() + 1)}${p(kst.getUTCDate())}${p(kst.getUTCHours())}${p(kst.getUTCMinutes())}`);
}

/**
 * A built-in KMA for a first start without a service key: recorded answers' shapes and the product's own fixtures,
 * played on a timeline from when the process started, so a newcomer watches a warning open a room, grow into a 경보
 * and lift. Every row is marked as demo data (station "DEMO"); it is never used with a key or in production.
 */
export class DemoKma {
  readonly demo = true;

  constructor(
    private readonly startedAt = Date.now(),
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async warnings(): Promise<KmaWarningRow[]> {
    const now = this.clock();
    const rows: KmaWarningRow[] = [];
    for (let cycleStart = this.startedAt; cycleStart <= now; cycleStart += CYCLE_MS) {
      STEPS.forEach((step, i) => {
        const at = cycleStart + step.atMs;
        if (at > now) return;
        rows.push({
          ...ZONE,
          tmFc: kmaTime(at),
          tmSeq: Math.floor((cycleStart - this.startedAt) / CYCLE_MS) * STEPS.length + i + 1,
          warnVar: HEAVY_RAIN,
          warnStress: step.warnStress,
          command: step.command,
          startTime: kmaTime(at),
          endTime: null,
          allEndTime: null,
          cancelled: false,
        });
      });
    }
    return rows;
  }

  /** The same hour everywhere: warm and humid, raining while the demo warning is in force. */
  async observations(baseDate: string, baseTime: string): Promise<KmaObservationRow[]> {
    const into = (this.clock() - this.startedAt) % CYCLE_MS;
    const raining = into >= STEPS[0].atMs && into < STEPS[2].atMs;
    const values: Record<string, string> = {
      T1H: '24.6',
      REH: raining ? '94' : '61',
      RN1: raining ? (into >= STEPS[1].atMs ? '31.5' : '8.0') : '0',
      PTY: raining ? '1' : '0',
      WSD: raining ? '6.2' : '2.1',
      VEC: '225',
      UUU: '1.5',
      VVV: '1.5',
    };
    return Object.entries(values).map(([category, obsrValue]) => ({ baseDate, baseTime, category, obsrValue }));
  }
}
