import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorDependencies } from '../dependencies/probes.js';
import type { Infra } from '../infra.js';
import { drainHttp } from './shutdown.js';
import { requestIdOf, sendJson, type Request } from './request.js';
import { healthRoutes, matchRoute, type Readiness } from './router.js';

export interface WorkerHealth {
  port: number;
  stop(): Promise<void>;
}

/**
 * The worker's own health endpoint on WORKER_HEALTH_PORT: `GET /healthz` 200 while the process runs, `GET /readyz`
 * 200 while MySQL and Redis answer (503 otherwise). Both carry `{ status, heartbeatAgeSeconds }`: `status` is
 * `degraded` when the last heartbeat is older than three intervals (its schedules are not running).
 * `heartbeatAt` reads the last heartbeat (the system module knows where it is kept).
 */
export async function startWorkerHealth(
  infra: Pick<Infra, 'config' | 'logger' | 'redis'>,
  heartbeatAt: () => Promise<Date | null>,
  port = infra.config.WORKER_HEALTH_PORT,
): Promise<WorkerHealth> {
  const { config, logger } = infra;
  const monitor = monitorDependencies(infra);
  monitor.start();
  const staleAfterMs = config.HEARTBEAT_INTERVAL_SECONDS * 3000;

  // Read on its own timer, so a probe answers from memory even while Redis does not.
  let heartbeatAgeSeconds: number | null = null;
  const readHeartbeat = async () => {
    const at = await heartbeatAt().catch(() => undefined);
    if (at !== undefined) heartbeatAgeSeconds = at ? Math.max(0, Math.floor((Date.now() - at.getTime()) / 1000)) : null;
  };
  await readHeartbeat();
  const heartbeatTimer = setInterval(() => void readHeartbeat(), config.DEPENDENCY_PROBE_INTERVAL_MS * 4);
  heartbeatTimer.unref();

  const stale = () => heartbeatAgeSeconds === null || heartbeatAgeSeconds * 1000 > staleAfterMs;
  const readiness = (): Readiness =>
    monitor.ready
      ? { status: 'ready' }
      : { status: 'unavailable', reason: 'DEPENDENCY_DOWN', down: (['mysql', 'redis'] as const).filter((d) => !monitor.isUp(d)) };
  const routes = healthRoutes(readiness, () => ({ heartbeatAgeSeconds, ...(monitor.ready && stale() ? { status: 'degraded' } : {}) }));

  const server = createServer({ requestTimeout: 5000, headersTimeout: 5000 }, (req, res) => {
    (req as Request).requestId = requestIdOf(req);
    const match = matchRoute(routes, req.method ?? 'GET', (req.url ?? '/').split('?')[0]);
    if (!match) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'No such path.' } });
    void match[0].handle(req as Request, res, match[1]);
  });
  await new Promise<void>((resolve) => server.listen(port, config.HOST, resolve));
  const actualPort = (server.address() as AddressInfo).port;
  logger.info({ port: actualPort }, 'worker health listening');
  return {
    port: actualPort,
    async stop() {
      clearInterval(heartbeatTimer);
      await drainHttp(server);
      await monitor.stop();
    },
  };
}
