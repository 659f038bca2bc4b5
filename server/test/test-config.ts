import { loadConfig, type Config } from '../src/app/config';

export const TEST_DB_PREFIX = 'ww_test_';
export const TEST_REDIS_PREFIX = 'wwt:';

export function testBaseUrls() {
  return {
    mysql: process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306',
    redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

/** Config of this Jest worker: its own database and Redis key prefix, fast bcrypt, no logs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const runId = process.env.WW_TEST_RUN_ID ?? 'local';
  const worker = process.env.JEST_WORKER_ID ?? '1';
  const { mysql, redis } = testBaseUrls();
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: `${mysql}/${TEST_DB_PREFIX}${runId}_${worker}`,
    REDIS_URL: redis,
    REDIS_PREFIX: `${TEST_REDIS_PREFIX}${runId}:${worker}:`,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    BCRYPT_COST: '4',
    HOST: '127.0.0.1',
    // The built-in demo (weather timeline, seed) stays off unless a test turns it on.
    DEMO_SEED: 'false',
    // Several workers run in one Jest process: each health endpoint on a port of its own.
    WORKER_HEALTH_PORT: '0',
    ...overrides,
  });
}
