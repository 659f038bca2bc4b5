// Shared helpers for benchmarks: processes under test, load generation, result files.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..');
export const MYSQL_BASE = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Environment for a process under test: its own database and Redis prefix per benchmark. */
export function benchEnv(name, extra = {}) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: `${MYSQL_BASE}/ww_bench_${name.replace(/\W/g, '_')}`,
    REDIS_URL,
    REDIS_PREFIX: `wwb:${name}:`,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    HOST: '127.0.0.1',
    DEMO_SEED: 'false',
    WORKER_HEALTH_PORT: '0',
    ...extra,
  };
}

/**
 * Starts `server/dist/main.<kind>.js` and waits until it is ready. Its logs go to /dev/null (logging stays on), or with
 * BENCH_LOG_DIR set to DIR/<kind>-<port or pid>.log.
 */
export async function startProcess(kind, env) {
  const port = kind === 'api' ? String(env.PORT ?? (await freePort())) : undefined;
  const logDir = process.env.BENCH_LOG_DIR;
  if (logDir) mkdirSync(logDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), join(root, `server/dist/main.${kind}.js`)],
    {
      env: { ...env, ...(port ? { PORT: port } : {}) },
      stdio: ['ignore', logDir ? openSync(join(logDir, `${kind}-${port ?? Date.now()}.log`), 'a') : 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  if (kind === 'api') {
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`api exited: ${stderr}`);
      try {
        if ((await fetch(`${base}/readyz`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`api not ready: ${stderr}`);
      await sleep(200);
    }
    return { child, port: Number(port), url: `${base}/graphql`, base, stop: () => stop(child, exited) };
  }
  await sleep(2000);
  return { child, stop: () => stop(child, exited) };
}

async function stop(child, exited) {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function gql(url, query, variables, token) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Runs autocannon and returns the figures every benchmark reports. */
export async function load({ url, connections = 50, duration = 10, body, headers = {}, requests, title }) {
  const result = await autocannon({
    url,
    connections,
    duration,
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...headers },
    body: body ? JSON.stringify(body) : undefined,
    requests,
    title,
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    throughput_rps: round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests_total: result.requests.total,
    errors,
  };
}

export const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Percentile of a list of numbers (ms). */
export function percentile(values, p) {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function mysqlConnection(database) {
  const url = new URL(MYSQL_BASE);
  return mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: url.username || 'root',
    password: url.password || undefined,
    database,
    multipleStatements: true,
  });
}

export async function dropDatabase(name) {
  const conn = await mysqlConnection();
  await conn.query(`DROP DATABASE IF EXISTS \`ww_bench_${name.replace(/\W/g, '_')}\``);
  await conn.end();
}

/** Prints the figures and writes bench/results/NAME.json in the agreed shape; `details` go to the file only. */
export function writeResult(name, metrics, goal = {}, notes, details) {
  const result = {
    name,
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    metrics,
    goal,
    ...(notes ? { notes } : {}),
    ...(details ? { details } : {}),
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${name}`);
  for (const [key, value] of Object.entries(metrics)) {
    const bound = goal[key] ? `   (goal ${goal[key]})` : '';
    console.log(`  ${key.padEnd(28)} ${value}${bound}`);
  }
  if (notes) console.log(`  note: ${notes}`);
  console.log(`  -> bench/results/${name}.json`);
  return result;
}

/** Deletes every Redis key under `prefix`; answers the connection it used. */
export async function clearRedis(prefix) {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return redis;
}

/** A keep-alive GraphQL POST client with `sockets` connections. */
export function httpClient(url, sockets) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const post = (body, token) =>
    new Promise((resolve, reject) => {
      const data = Buffer.from(JSON.stringify(body));
      const headers = {
        'content-type': 'application/json',
        'content-length': data.length,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      };
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('error', reject);
      req.end(data);
    });
  post.close = () => agent.destroy();
  return post;
}

/** Resident memory of a process in KB (VmRSS from /proc/PID/status). */
export function rssKb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

/** This process's soft limit on open files (what `ulimit -n` shows). */
export function openFilesLimit() {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}
