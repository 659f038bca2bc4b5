import type { Connection } from 'mysql2/promise';
import type { Config } from '../config.js';
import type { Infra } from '../infra.js';
import { adminConnection } from '../orm.js';
import { DependencyMonitor, type Probe } from './monitor.js';

/**
 * MySQL is probed over a connection of its own: a probe through the pool would wait behind requests under load and
 * call a busy server unreachable.
 */
function mysqlProbe(config: Config): Probe {
  let connection: Promise<Connection> | undefined;
  const drop = () => {
    const dropped = connection;
    connection = undefined;
    void dropped?.then((c) => c.destroy()).catch(() => undefined);
  };
  return {
    async check() {
      connection ??= adminConnection(config).then((c) => {
        c.on('error', drop);
        return c;
      });
      try {
        await (await connection).query({ sql: 'select 1', timeout: config.DEPENDENCY_PROBE_TIMEOUT_MS });
      } catch (err) {
        drop();
        throw err;
      }
    },
    async close() {
      const open = connection;
      connection = undefined;
      await open?.then((c) => c.end()).catch(() => undefined);
    },
  };
}

/** Watches the process's MySQL and Redis (through the request-path Redis client, whose commands fail fast). */
export function monitorDependencies(infra: Pick<Infra, 'config' | 'logger' | 'redis'>): DependencyMonitor {
  return new DependencyMonitor({ mysql: mysqlProbe(infra.config), redis: { check: () => infra.redis.client.ping() } }, infra.logger, {
    intervalMs: infra.config.DEPENDENCY_PROBE_INTERVAL_MS,
    timeoutMs: infra.config.DEPENDENCY_PROBE_TIMEOUT_MS,
  });
}
