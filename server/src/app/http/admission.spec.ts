import { AdmissionGate } from './admission';
import { HttpError } from './request';

const tick = () => new Promise((r) => setImmediate(r));

describe('AdmissionGate', () => {
  it('admits up to maxActive at once and the rest in arrival order', async () => {
    const gate = new AdmissionGate({ maxActive: 2, maxQueued: 10, releaseAfterMs: 60_000 });
    const order: number[] = [];
    const leaves = await Promise.all([gate.enter(), gate.enter()]);
    const waiting = [3, 4, 5].map((n) => gate.enter().then((leave) => (order.push(n), leave)));
    await tick();
    expect(order).toEqual([]);
    expect(gate.queued).toBe(3);
    leaves[0]!();
    leaves[0]!(); // a second call gives nothing back twice
    await tick();
    expect(order).toEqual([3]);
    leaves[1]!();
    await tick();
    expect(order).toEqual([3, 4]);
    (await waiting[0]!)();
    (await waiting[1]!)();
    (await waiting[2]!)();
    // Everyone has left: two places are free again.
    const again = await Promise.all([gate.enter(), gate.enter()]);
    expect(gate.queued).toBe(0);
    again.forEach((leave) => leave());
  });

  it('answers 503 SERVICE_UNAVAILABLE when the queue is full, and nothing is lost for those waiting', async () => {
    const gate = new AdmissionGate({ maxActive: 1, maxQueued: 1, releaseAfterMs: 60_000 });
    const first = await gate.enter();
    const second = gate.enter();
    const third = gate.enter();
    await expect(third).rejects.toBeInstanceOf(HttpError);
    await expect(third).rejects.toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    first();
    (await second)();
  });

  it('gives the place up when a request runs longer than releaseAfterMs', async () => {
    const gate = new AdmissionGate({ maxActive: 1, maxQueued: 5, releaseAfterMs: 30 });
    const slow = await gate.enter();
    const started = Date.now();
    const next = await gate.enter();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    slow(); // late completion of the slow one must not free a second place
    const third = gate.enter();
    let admitted = false;
    void third.then(() => (admitted = true));
    await tick();
    expect(admitted).toBe(false);
    next();
    (await third)();
  });
});
