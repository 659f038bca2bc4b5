// Starts the real API and worker (server/dist) on a fresh database and Redis prefix, with stub outside services,
// serving the built client (client/dist). Stops them and removes what they stored.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { startGithubStub, type GithubStub } from '../../server/test/stubs/github-stub';
import { startStubs, type Stubs } from './stubs';

const root = resolve(import.meta.dirname, '../..');

export interface Stack {
  baseUrl: string;
  stubs: Stubs;
  /** GitHub REST stub (the server's own test stub): serves the account `haneul-dev`. */
  github: GithubStub;
  env: Record<string, string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

async function waitReady(url: string, proc: ChildProcess, log: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`API exited (${proc.exitCode}):\n${log()}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`API not ready after ${timeoutMs} ms:\n${log()}`);
}

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', () => r()));
}

export async function startStack(extraEnv: Record<string, string> = {}): Promise<Stack> {
  for (const f of ['server/dist/main.api.js', 'server/dist/main.worker.js', 'client/dist/index.html']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: build first (npm run build)`);
  }
  const id = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const database = `ww_e2e_${id}`;
  const redisPrefix = `wwe2e:${id}:`;
  const port = await freePort();
  const stubs = await startStubs();
  const github = await startGithubStub();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATABASE_URL: `mysql://root@127.0.0.1:3306/${database}`,
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    BCRYPT_COST: '4',
    WEB_DIST_DIR: join(root, 'client/dist'),
    DEMO_SEED: 'false',
    WORKER_HEALTH_PORT: '0',
    ADMIN_EMAILS: 'admin@e2e.test',
    KAKAO_CLIENT_ID: 'e2e-rest-api-key',
    KAKAO_CLIENT_SECRET: 'e2e-secret',
    KAKAO_REDIRECT_URI: `http://127.0.0.1:${port}/auth/kakao`,
    KAKAO_AUTH_BASE_URL: stubs.url,
    KAKAO_API_BASE_URL: stubs.url,
    KMA_BASE_URL: `${stubs.url}/kma`,
    KMA_SERVICE_KEY: 'e2e-key',
    WEATHER_POLL_INTERVAL_SECONDS: '3600',
    GITHUB_API_URL: github.url,
    // No LLM: resumes are drafted from the template, deterministic for the browser flow.
    LLM_PROVIDER: 'none',
    UPLOAD_DIR: join(root, `.data/e2e-uploads-${id}`),
    ...extraEnv,
  };
  const logs: string[] = [];
  const run = (script: string) => {
    const p = spawn(process.execPath, [join(root, 'server/dist', script)], {
      cwd: join(root, 'server'),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => {
      logs.push(`[${script}] ${b.toString()}`);
      if (logs.length > 200) logs.shift();
    };
    p.stdout!.on('data', keep);
    p.stderr!.on('data', keep);
    return p;
  };
  const api = run('main.api.js');
  const baseUrl = `http://127.0.0.1:${port}`;
  let worker: ChildProcess | undefined;
  const stop = async () => {
    for (const p of [api, worker]) if (p && p.exitCode === null) p.kill('SIGTERM');
    await Promise.all([api, worker].filter(Boolean).map((p) => exited(p!)));
    await stubs.close();
    await github.close();
    try {
      execFileSync('mysql', ['-h127.0.0.1', '-uroot', '-e', `DROP DATABASE IF EXISTS \`${database}\``]);
    } catch (err) {
      console.warn(`could not drop ${database}: ${(err as Error).message}`);
    }
    try {
      execFileSync('redis-cli', [
        '-h',
        '127.0.0.1',
        'EVAL',
        "for _,k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('UNLINK', k) end return 0",
        '0',
        `${redisPrefix}*`,
      ]);
    } catch (err) {
      console.warn(`could not clean Redis keys ${redisPrefix}*: ${(err as Error).message}`);
    }
    execFileSync('rm', ['-rf', env.UPLOAD_DIR]);
  };
  try {
    await waitReady(baseUrl, api, () => logs.join(''));
    worker = run('main.worker.js'); // after the API migrated
  } catch (err) {
    await stop();
    throw err;
  }
  if (process.env.E2E_DEBUG) process.on('exit', () => console.log(logs.join('')));
  return { baseUrl, stubs, github, env, stop };
}
