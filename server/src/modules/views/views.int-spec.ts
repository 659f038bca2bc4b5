import { startTestApi, type TestApi } from '../../../test/create-test-app';
import type { Context } from '../../app/graphql/context';

// The view counter is generic over target types; this test registers one that records what a flush persists.
describe('view counter', () => {
  let api: TestApi;
  const persisted: Map<number, number>[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    api.modules.views.views.registerTarget('Probe', { persist: async (_em, deltas) => void persisted.push(new Map(deltas)) });
  });

  afterAll(async () => {
    await api.stop();
  });

  beforeEach(async () => {
    await api.reset();
    persisted.length = 0;
  });

  const ctx = (user: number | null, ip = '10.0.0.1') =>
    ({ user: user ? { id: user, role: 'USER' } : null, ip, loaders: {} }) as unknown as Context;

  it('counts a viewer once per target per hour (user id, or IP when anonymous) and flushes in one batch', async () => {
    const views = api.modules.views.views;
    expect(await views.count(ctx(1), 'Probe', 5)).toBe(true);
    expect(await views.count(ctx(1), 'Probe', 5)).toBe(false);
    expect(await views.count(ctx(1, '10.9.9.9'), 'Probe', 5)).toBe(false); // same user from elsewhere
    expect(await views.count(ctx(2), 'Probe', 5)).toBe(true);
    expect(await views.count(ctx(null, '10.0.0.7'), 'Probe', 5)).toBe(true);
    expect(await views.count(ctx(null, '10.0.0.7'), 'Probe', 5)).toBe(false);
    expect(await views.count(ctx(1), 'Probe', 6)).toBe(true);
    expect(await views.pending(ctx(3), 'Probe', 5)).toBe(3);
    // The de-duplication key expires within the hour.
    const ttl = await api.infra.redis.client.ttl('views:seen:Probe:5:u1');
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);

    expect(await views.flush()).toBe(4);
    expect(persisted).toEqual([
      new Map([
        [5, 3],
        [6, 1],
      ]),
    ]);
    expect(await views.pending(ctx(3), 'Probe', 5)).toBe(0);
    expect(await views.flush()).toBe(0);
    expect(persisted).toHaveLength(1);
  });

  it('concurrent views of one viewer count once; many viewers all count', async () => {
    const views = api.modules.views.views;
    const same = await Promise.all(Array.from({ length: 50 }, () => views.count(ctx(9), 'Probe', 1)));
    expect(same.filter(Boolean)).toHaveLength(1);
    await Promise.all(Array.from({ length: 40 }, (_, i) => views.count(ctx(100 + i), 'Probe', 1)));
    expect(await views.flush()).toBe(41);
    expect(persisted[0].get(1)).toBe(41);
  });
});
