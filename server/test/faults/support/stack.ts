import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Connection } from 'mysql2/promise';
import { startMariaDb, type MariaDbServer } from '../../infra/mariadb-server';
import { startRedis, type RedisServer } from '../../infra/redis-server';
import { startApp, type AppProcess } from './app-process';

export const DATABASE = 'weatherwise';
export const REDIS_PREFIX = 'ww:';

/**
 * Settings every process of a fault scenario shares: production mode, its own Redis and MariaDB, fast bcrypt, a
 * heartbeat every second and views flushed every 500 ms (so lost schedules show within seconds), limits that load
 * from one IP does not trip.
 */
function baseEnv(redis: RedisServer, db: MariaDbServer, uploads: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DEMO_SEED: 'false',
    WORKER_HEALTH_PORT: '0',
    DATABASE_URL: `${db.url}/${DATABASE}`,
    REDIS_URL: redis.url,
    REDIS_PREFIX,
    JWT_SECRET: 'fault-suite-secret-fault-suite-secret-0123456789',
    BCRYPT_COST: '4',
    LOGIN_MAX_FAILURES_PER_IP: '100000',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '100000',
    CHAT_RATE_LIMIT_MESSAGES: '100000',
    HEARTBEAT_INTERVAL_SECONDS: '1',
    VIEWS_FLUSH_INTERVAL_MS: '500',
    UPLOAD_DIR: uploads,
  };
}

/** One scenario's world: Redis, MariaDB, APIs and workers, each its own process, and a folder for their logs. */
export interface Stack {
  redis: RedisServer;
  db: MariaDbServer;
  apis: AppProcess[];
  workers: AppProcess[];
  dir: string;
  env(extra?: Record<string, string>): Record<string, string>;
  startApi(extra?: Record<string, string>): Promise<AppProcess>;
  startWorker(extra?: Record<string, string>): Promise<AppProcess>;
  mysql(): Promise<Connection>;
  stop(): Promise<void>;
}

/**
 * Redis connections of BullMQ workers: a Worker names its blocking connection after its queue (`CLIENT SETNAME`);
 * queue-events listeners end in `:qe`, other connections are unnamed.
 */
async function workerConnections(url: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    const list = (await client.client('LIST')) as string;
    return list.split('\n').filter((line) => /\bname=\S+/.test(line) && !/\bname=\S*:qe\b/.test(line)).length;
  } finally {
    client.disconnect();
  }
}

export async function startStack(
  scenario: string,
  { apis = 1, workers = 1, env = {} }: { apis?: number; workers?: number; env?: Record<string, string> } = {},
): Promise<Stack> {
  const root = process.env.WW_FAULTS_DIR ?? mkdtempSync(join(tmpdir(), 'ww-faults-'));
  const dir = join(root, scenario);
  mkdirSync(join(dir, 'uploads'), { recursive: true });
  const [redis, db] = await Promise.all([startRedis({ dir: join(dir, 'redis') }), startMariaDb({ dir: join(dir, 'mariadb') })]);
  let apiCount = 0;
  let workerCount = 0;
  const stack: Stack = {
    redis,
    db,
    apis: [],
    workers: [],
    dir,
    env: (extra = {}) => ({ ...baseEnv(redis, db, join(dir, 'uploads')), ...env, ...extra }),
    async startApi(extra = {}) {
      const app = await startApp('api', `api-${++apiCount}`, stack.env(extra), { logDir: dir });
      stack.apis.push(app);
      return app;
    },
    async startWorker(extra = {}) {
      const before = await workerConnections(redis.url);
      let last = -1;
      // Ready once the new process's BullMQ workers have connected: more of them than before, and no more coming.
      const workerReady = async () => {
        const now = await workerConnections(redis.url);
        const settled = now > before && now === last;
        last = now;
        return settled;
      };
      const app = await startApp('worker', `worker-${++workerCount}`, stack.env(extra), { logDir: dir, workerReady });
      stack.workers.push(app);
      return app;
    },
    mysql: () => db.connect(DATABASE),
    async stop() {
      await Promise.all([...stack.apis, ...stack.workers].map((a) => a.stop(5000)));
      await Promise.all([redis.destroy(), db.destroy()]);
    },
  };
  try {
    // The first API migrates; the others and the workers start once the schema exists, the APIs side by side (a
    // worker's readiness is told by the Redis connections it adds, so workers start one after another).
    if (apis > 0) await stack.startApi();
    const moreApis = Promise.all(Array.from({ length: Math.max(0, apis - 1) }, () => stack.startApi()));
    const allWorkers = (async () => {
      for (let i = 0; i < workers; i++) await stack.startWorker();
    })();
    // Settle both before failing, so a stop() below also sees a process that was still starting.
    const failed = (await Promise.allSettled([moreApis, allWorkers])).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}
