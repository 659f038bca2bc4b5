import { DemoKma } from './demo-kma';
import { COMMAND_BY_CODE, KIND_BY_WARN_VAR } from './weather.codes';

describe('the built-in demo KMA', () => {
  const start = Date.parse('2026-12-04T09:00:00Z');
  const at = (ms: number) => new DemoKma(start, () => start + ms);

  it('issues a 호우주의보 a minute after start, upgrades it to a 경보, lifts it, then starts over', async () => {
    expect(await at(59_000).warnings()).toEqual([]);
    const issued = await at(61_000).warnings();
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ stnId: 'DEMO', areaCode: 'L1100200', warnStress: 0, command: 1, cancelled: false });
    expect(KIND_BY_WARN_VAR[issued[0]!.warnVar]).toBe('HEAVY_RAIN');
    expect(issued[0]!.tmFc).toBe(202612041801); // Korean time of start + 1 min
    const lifted = await at(11 * 60_000).warnings();
    expect(lifted.map((r) => [COMMAND_BY_CODE[r.command], r.warnStress])).toEqual([
      ['ISSUE', 0],
      ['CHANGE_ISSUE', 1],
      ['LIFT', 1],
    ]);
    // Polls see the same announcements each time (idempotent), and the next cycle adds new ones.
    expect(await at(11 * 60_000).warnings()).toEqual(lifted);
    expect((await at(31 * 60_000 + 1000).warnings()).length).toBe(4);
  });

  it('reports rain while its warning is in force and dry weather otherwise', async () => {
    const value = async (ms: number, category: string) =>
      (await at(ms).observations('20261204', '1800')).find((r) => r.category === category)!.obsrValue;
    expect(await value(30_000, 'PTY')).toBe('0');
    expect(await value(2 * 60_000, 'PTY')).toBe('1');
    expect(Number(await value(5 * 60_000, 'RN1'))).toBeGreaterThan(Number(await value(2 * 60_000, 'RN1')));
    expect(await value(12 * 60_000, 'PTY')).toBe('0');
  });
});
