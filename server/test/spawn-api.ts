import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './own-servers';
import { testConfig } from './test-config';

export interface SpawnedProcess {
  child: ChildProcess;
  /** Port of the API's HTTP server, or of the worker's health endpoint. */
  port: number;
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** Every JSON log line written so far: outside NODE_ENV=test pino buffers them, so most arrive when the process exits. */
  logs: Record<string, any>[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stderr(): string;
  /** SIGKILL if it still runs (a test's `finally`), then waits for the exit. */
  dispose(): Promise<void>;
}

/**
 * Runs `main.api.ts` (or `main.worker.ts`) in a child process, as production runs it (NODE_ENV=production, so Apollo
 * and every signal handler behave as they do there), over this Jest worker's database and Redis prefix unless `env`
 * says otherwise. The TypeScript sources run through @swc-node, so no build is needed.
 */
export async function spawnProcess(kind: 'api' | 'worker', env: Record<string, string> = {}): Promise<SpawnedProcess> {
  const config = testConfig();
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', join(__dirname, 'register-ts.js'), join(__dirname, `../src/main.${kind}.ts`)], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      WORKER_HEALTH_PORT: String(port),
      LOG_LEVEL: 'info',
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      REDIS_PREFIX: config.REDIS_PREFIX,
      JWT_SECRET: config.JWT_SECRET,
      BCRYPT_COST: '4',
      HOST: '127.0.0.1',
      DEMO_SEED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, any>[] = [];
  let stderr = '';
  let pending = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout!.on('data', (d: Buffer) => {
    pending += d.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        // not a log line (the demo accounts' banner)
      }
    }
  });
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${kind} exited early (${exitCode}): ${stderr}`);
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const dispose = async () => {
    if (exitCode === undefined) child.kill('SIGKILL');
    await exited;
  };
  return { child, port, base, logs, exited, stderr: () => stderr, dispose };
}
