import { startOwnRedis, type OwnServer } from '../../../test/own-servers';
import { testConfig } from '../../../test/test-config';
import { closeInfra, createInfra } from '../../bootstrap';
import type { Infra } from '../infra';
import { startWorkerHealth, type WorkerHealth } from './worker-health';

async function get(port: number, path: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('worker health endpoint', () => {
  let redis: OwnServer;
  let infra: Infra;
  let health: WorkerHealth;
  let heartbeat: Date | null = null;
  beforeAll(async () => {
    redis = await startOwnRedis();
    infra = await createInfra(
      testConfig({ REDIS_URL: redis.url, HEARTBEAT_INTERVAL_SECONDS: '10', DEPENDENCY_PROBE_INTERVAL_MS: '100' }),
      'worker',
      {
        migrate: true,
      },
    );
    health = await startWorkerHealth(infra, async () => heartbeat, 0);
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await health.stop();
    await closeInfra(infra);
    await redis.dispose();
  });

  it('answers 200 with the heartbeat age, status degraded while the heartbeat is stale or missing', async () => {
    expect(await get(health.port, '/healthz')).toEqual({ status: 200, body: { status: 'degraded', heartbeatAgeSeconds: null } });
    expect(await get(health.port, '/readyz')).toEqual({ status: 200, body: { status: 'degraded', heartbeatAgeSeconds: null } });

    heartbeat = new Date(Date.now() - 5000);
    await new Promise((r) => setTimeout(r, 600));
    expect(await get(health.port, '/readyz')).toEqual({ status: 200, body: { status: 'ready', heartbeatAgeSeconds: 5 } });
    expect(await get(health.port, '/healthz')).toEqual({ status: 200, body: { status: 'ok', heartbeatAgeSeconds: 5 } });

    heartbeat = new Date(Date.now() - 60_000);
    await new Promise((r) => setTimeout(r, 600));
    expect(await get(health.port, '/readyz')).toEqual({ status: 200, body: { status: 'degraded', heartbeatAgeSeconds: 60 } });
  });

  it('answers /readyz 503 while Redis is gone, /healthz still 200, and 200 again once it is back', async () => {
    heartbeat = new Date();
    await new Promise((r) => setTimeout(r, 600));
    await redis.kill();
    let ready;
    do ready = await get(health.port, '/readyz');
    while (ready.status === 200);
    expect(ready).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: 'DEPENDENCY_DOWN', down: ['redis'], heartbeatAgeSeconds: expect.any(Number) },
    });
    expect((await get(health.port, '/healthz')).status).toBe(200);

    await redis.start();
    do ready = await get(health.port, '/readyz');
    while (ready.status !== 200);
    expect(ready.body.status).toBe('ready');
  });
});
