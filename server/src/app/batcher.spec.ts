import { Batcher } from './batcher';

interface GrantRequest {
  user: number;
}
interface GrantOutcome {
  outcome: string;
  points: number;
}

const request = (user: number): GrantRequest => ({ user });
const granted = (points: number): GrantOutcome => ({ outcome: 'GRANTED', points });

describe('Batcher', () => {
  it('sends a lone grant at once and groups grants that arrive while a call is in flight, per key', async () => {
    const calls: { missionId: number; users: number[]; finish: () => void }[] = [];
    const batcher = new Batcher<number, GrantRequest, GrantOutcome>(
      (missionId, grants) =>
        new Promise((resolve) => {
          calls.push({ missionId, users: grants.map((g) => g.user), finish: () => resolve(grants.map((g) => granted(g.user * 10))) });
        }),
    );
    const first = batcher.add(1, request(1));
    const others = [2, 3, 4].map((u) => batcher.add(1, request(u)));
    const elsewhere = batcher.add(2, request(9));
    expect(calls.map((c) => [c.missionId, c.users])).toEqual([
      [1, [1]],
      [2, [9]],
    ]);
    calls[0]!.finish();
    expect(await first).toEqual(granted(10));
    await new Promise((r) => setImmediate(r));
    expect(calls[2]).toMatchObject({ missionId: 1, users: [2, 3, 4] });
    calls[2]!.finish();
    calls[1]!.finish();
    expect(await Promise.all(others)).toEqual([granted(20), granted(30), granted(40)]);
    expect(await elsewhere).toEqual(granted(90));
  });

  it('rejects only the grants of a call that failed; the next call goes on', async () => {
    let n = 0;
    const batcher = new Batcher<number, GrantRequest, GrantOutcome>(async (_missionId, grants) => {
      if (n++ === 0) throw new Error('deadlock');
      return grants.map(() => granted(1));
    });
    const failed = batcher.add(1, request(1));
    const next = batcher.add(1, request(2));
    await expect(failed).rejects.toThrow('deadlock');
    expect(await next).toEqual(granted(1));
  });

  it('with a linger, holds the first call of a burst to gather what arrives meanwhile', async () => {
    const calls: number[][] = [];
    const batcher = new Batcher<number, GrantRequest, GrantOutcome>(
      async (_key, items) => {
        calls.push(items.map((i) => i.user));
        return items.map((i) => granted(i.user));
      },
      { lingerMs: 30 },
    );
    const first = batcher.add(1, request(1));
    await new Promise((r) => setTimeout(r, 5));
    const second = batcher.add(1, request(2));
    expect(calls).toEqual([]);
    expect(await Promise.all([first, second])).toEqual([granted(1), granted(2)]);
    expect(calls).toEqual([[1, 2]]);
  });

  it('with several calls in flight and gathering per turn, the items of a turn go together and later ones wait for a free call', async () => {
    const calls: { users: number[]; finish: () => void }[] = [];
    const batcher = new Batcher<'k', GrantRequest, GrantOutcome>(
      (_key, items) =>
        new Promise((resolve) => calls.push({ users: items.map((i) => i.user), finish: () => resolve(items.map((i) => granted(i.user))) })),
      { maxInFlight: 2, maxBatch: 3, gatherTurn: true },
    );
    const all = [1, 2, 3, 4, 5, 6, 7].map((u) => batcher.add('k', request(u)));
    expect(calls).toEqual([]); // nothing before the turn ends
    await new Promise((r) => setImmediate(r));
    expect(calls.map((c) => c.users)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    calls[0]!.finish();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(calls.map((c) => c.users)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    calls[1]!.finish();
    calls[2]!.finish();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5, 6, 7].map(granted));
  });
});
