import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1');
const csv = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const url = (def?: string) => (def === undefined ? z.string().url().optional() : z.string().url().default(def));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(4000),
  HOST: z.string().default('0.0.0.0'),
  TRUST_PROXY: bool.default('false'),
  HTTP_MAX_ACTIVE: int(32, 1),
  HTTP_MAX_QUEUED: int(2000, 0),
  HTTP_RELEASE_AFTER_MS: int(200, 1),
  /** Time a client has to send a whole request (headers and body): a body that trickles in is cut off with 408. */
  HTTP_REQUEST_TIMEOUT_MS: int(30000, 100),
  /** Time a client has to send a request's headers; at most HTTP_REQUEST_TIMEOUT_MS. */
  HTTP_HEADERS_TIMEOUT_MS: int(30000, 100),
  /** On SIGTERM, readiness answers 503 this long before the listener closes (time for a load balancer to notice). */
  SHUTDOWN_DELAY_MS: int(0, 0),
  /** WebSockets per API process; past it an upgrade is answered 503. */
  WS_MAX_CONNECTIONS: int(20000, 1),
  /** WebSockets per client address; past it an upgrade is answered 429. */
  /** A socket with this many bytes waiting to be sent for WS_SLOW_CONSUMER_MS is closed (1013): it resumes by seq. */
  WS_SLOW_CONSUMER_BYTES: int(4 * 1024 * 1024, 1024),
  WS_SLOW_CONSUMER_MS: int(3000, 100),
  WS_MAX_PER_IP: int(1000, 1),
  /** An anonymous socket with no operation running for this long is closed (1000, "idle"). */
  WS_ANONYMOUS_IDLE_SECONDS: int(60, 1),
  /** How often MySQL and Redis are probed for /readyz; a lost dependency shows within interval + timeout. */
  DEPENDENCY_PROBE_INTERVAL_MS: int(250, 50),
  DEPENDENCY_PROBE_TIMEOUT_MS: int(400, 50),
  /** The worker's own health endpoint (GET /healthz, GET /readyz). */
  WORKER_HEALTH_PORT: int(4001, 0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb):\/\//, 'must be a mysql:// URL')
    .default('mysql://root@127.0.0.1:3306/weatherwise'),
  DATABASE_POOL_SIZE: int(10, 1),
  /** Bounds on waiting for MySQL: opening a connection, and getting one from the pool. */
  DATABASE_CONNECT_TIMEOUT_MS: int(2000, 100),
  DATABASE_ACQUIRE_TIMEOUT_MS: int(3000, 100),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  /** A request-path Redis command that gets no answer in this long fails (the request answers SERVICE_UNAVAILABLE). */
  REDIS_COMMAND_TIMEOUT_MS: int(1000, 10),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]*$/)
    .default('ww:'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_SECRET_FILE: z.string().default('.data/jwt-secret'),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 30),
  REFRESH_TOKEN_TTL_DAYS: int(14, 1),
  BCRYPT_COST: int(12, 4),
  LOGIN_FAILURE_WINDOW_SECONDS: int(900, 1),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(10, 1),
  LOGIN_MAX_FAILURES_PER_IP: int(50, 1),
  KAKAO_STATE_TTL_SECONDS: int(600, 10),
  KAKAO_TIMEOUT_MS: int(5000, 100),
  ADMIN_EMAILS: csv,
  KAKAO_CLIENT_ID: z.string().optional(),
  KAKAO_CLIENT_SECRET: z.string().optional(),
  KAKAO_REDIRECT_URI: url(),
  KAKAO_AUTH_BASE_URL: url('https://kauth.kakao.com'),
  KAKAO_API_BASE_URL: url('https://kapi.kakao.com'),
  KAKAO_LOCAL_BASE_URL: url('https://dapi.kakao.com'),
  KMA_BASE_URL: url('https://apis.data.go.kr/1360000'),
  KMA_SERVICE_KEY: z.string().optional(),
  WEATHER_POLL_INTERVAL_SECONDS: int(3600, 1),
  CHAT_ROOM_ARCHIVE_AFTER_HOURS: int(24, 0),
  KMA_TIMEOUT_MS: int(5000, 100),
  CHAT_RATE_LIMIT_MESSAGES: int(5, 1),
  /** Messages replayed at most to a subscriber resuming after a reconnect; more ends it with RESUME_GAP (reload). */
  CHAT_RESUME_MAX: int(1000, 1),
  CHAT_RATE_LIMIT_WINDOW_SECONDS: int(5, 1),
  GITHUB_API_URL: url('https://api.github.com'),
  GITHUB_TOKEN: z.string().optional(),
  LLM_PROVIDER: z.enum(['none', 'openai', 'ollama', 'anthropic']).default('none'),
  LLM_BASE_URL: url(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  LLM_DAILY_JOB_LIMIT: int(10),
  LLM_TIMEOUT_MS: int(60000, 100),
  /** postsNear first looks among this many newest posts (dense areas), then uses the spatial index. 0: always the index. */
  POSTS_NEAR_RECENT_ROWS: int(5000, 0),
  UPLOAD_DIR: z.string().default('./data/uploads'),
  MISSION_ATTEMPT_TTL_SECONDS: int(600, 5),
  MISSION_RESERVATION_LEASE_SECONDS: int(30, 1),
  HEARTBEAT_INTERVAL_SECONDS: int(30, 1),
  /** A job's lock lasts this long unless its worker renews it: a killed worker's jobs run elsewhere within this plus the stalled check. */
  WORKER_LOCK_MS: int(10_000, 1000),
  /** How often workers look for stalled jobs (their lock expired) to hand them out again. */
  WORKER_STALLED_INTERVAL_MS: int(5_000, 500),
  /** How often the worker checks that its job schedulers still exist in Redis (also on every reconnect). */
  SCHEDULES_RECONCILE_INTERVAL_MS: int(10_000, 100),
  /** How often the worker moves counted views (posts, resumes) from Redis to MySQL. */
  VIEWS_FLUSH_INTERVAL_MS: int(5000, 100),
  /** `queued`: domain events reach the worker's consumers (notifications) through the outbox relay and BullMQ; `inline`: the API runs the consumers before answering (benchmark baseline). */
  NOTIFICATIONS_MODE: z.enum(['queued', 'inline']).default('queued'),
  /** How often the worker's relay looks for outbox events whose wake-up was lost. */
  OUTBOX_SWEEP_INTERVAL_MS: int(1000, 50),
  /** Events handed on are kept this long (diagnostics), then pruned hourly. */
  OUTBOX_KEEP_HOURS: int(24, 1),
  /** Applied notification events (dedupe keys) older than this are pruned hourly. */
  NOTIFICATION_EVENTS_KEEP_DAYS: int(7, 1),
  WEB_DIST_DIR: z.string().optional(),
  DEMO_SEED: bool.default('true'),
  GRAPHQL_MAX_DEPTH: int(12, 1),
  GRAPHQL_MAX_ALIASES: int(15, 1),
  GRAPHQL_MAX_TOKENS: int(2000, 1),
  GRAPHQL_MAX_COST: int(5000, 1),
});

// Rules across variables; checked on the raw values so they are reported together with type errors.
function crossChecks(raw: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (raw.NODE_ENV === 'production' && !raw.JWT_SECRET) problems.push('JWT_SECRET: is required in production');
  const kakao = [raw.KAKAO_CLIENT_ID, raw.KAKAO_CLIENT_SECRET, raw.KAKAO_REDIRECT_URI];
  if (kakao.some(Boolean) && !kakao.every(Boolean)) {
    problems.push('KAKAO_CLIENT_ID: KAKAO_CLIENT_ID, KAKAO_CLIENT_SECRET and KAKAO_REDIRECT_URI go together');
  }
  const requestTimeout = Number(raw.HTTP_REQUEST_TIMEOUT_MS ?? 30000);
  if (Number(raw.HTTP_HEADERS_TIMEOUT_MS ?? 30000) > requestTimeout) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }
  const llm = raw.LLM_PROVIDER ?? 'none';
  if (llm !== 'none' && !raw.LLM_MODEL) problems.push(`LLM_MODEL: is required when LLM_PROVIDER=${llm}`);
  if ((llm === 'openai' || llm === 'anthropic') && !raw.LLM_API_KEY && !raw.LLM_BASE_URL) {
    problems.push(`LLM_API_KEY: is required when LLM_PROVIDER=${llm} (or set LLM_BASE_URL to a local server)`);
  }
  return problems;
}

export type Env = z.infer<typeof schema>;
export type Config = Readonly<Env & { JWT_SECRET: string; isProduction: boolean; kakaoEnabled: boolean }>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment once; every problem is reported together. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`)),
    ...crossChecks(cleaned),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const env = parsed.data;
  return Object.freeze({
    ...env,
    JWT_SECRET: env.JWT_SECRET ?? devJwtSecret(env.JWT_SECRET_FILE),
    isProduction: env.NODE_ENV === 'production',
    kakaoEnabled: Boolean(env.KAKAO_CLIENT_ID),
  });
}

// Outside production a secret is generated on first start and kept in a git-ignored file,
// so tokens survive restarts without anyone committing a secret.
function devJwtSecret(file: string): string {
  const path = resolve(file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}
