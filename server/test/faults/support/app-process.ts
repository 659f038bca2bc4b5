import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { probe } from './http';
import { freePort, GiveUp, killOnExit, waitFor } from '../../infra/processes';

export const SERVER_DIST = join(__dirname, '../../../dist');

/** A pino line of an API or worker log. */
export interface LogLine {
  /** ISO time (pino's isoTime). */
  time: string;
  level: number;
  msg?: string;
  err?: { type?: string; message?: string; stack?: string };
  [key: string]: unknown;
}

export const LEVEL = { warn: 40, error: 50, fatal: 60 } as const;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** An API or worker process started from `server/dist`, as production runs it. */
export interface AppProcess {
  kind: 'api' | 'worker';
  name: string;
  pid: number;
  child: ChildProcess;
  /** http://127.0.0.1:port (APIs). */
  base: string;
  /** http://127.0.0.1:port/graphql (APIs). */
  url: string;
  port: number;
  logs: LogLine[];
  /** Output that is not a JSON log line (stack traces printed by libraries, crash messages), stamped on arrival. */
  stderr: { at: number; line: string }[];
  exited: Promise<Exit>;
  exit: Exit | null;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit. */
  stop(graceMs?: number): Promise<Exit>;
}

/**
 * Starts `main.api.js` (on a spare port) or `main.worker.js` with `env` and waits until it serves (`/readyz` 200) or
 * its workers run: logged, or `workerReady` says so (production logs are buffered in 4 KB writes, so a quiet worker's
 * "worker started" line may not come out for a long time).
 */
export async function startApp(
  kind: 'api' | 'worker',
  name: string,
  env: Record<string, string>,
  { logDir, workerReady }: { logDir: string; workerReady?: () => Promise<boolean> },
): Promise<AppProcess> {
  const port = kind === 'api' ? await freePort() : 0;
  const child = spawn(process.execPath, [join(SERVER_DIST, `main.${kind}.js`)], {
    cwd: logDir,
    env: { PATH: process.env.PATH ?? '', ...env, ...(kind === 'api' ? { PORT: String(port) } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file = createWriteStream(join(logDir, `${name}.log`));
  const logs: LogLine[] = [];
  const stderr: AppProcess['stderr'] = [];
  const onLine = (line: string) => {
    file.write(`${line}\n`);
    try {
      if (line.startsWith('{')) return void logs.push(JSON.parse(line) as LogLine);
    } catch {
      /* not JSON after all */
    }
    stderr.push({ at: Date.now(), line });
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  let exitedAt = 0;
  child.once('exit', () => (exitedAt = Date.now()));
  const app: AppProcess = {
    kind,
    name,
    pid: child.pid!,
    child,
    base: '',
    url: '',
    port: 0,
    logs,
    stderr,
    exit: null,
    // 'close' comes after the output is drained, so the last log lines are in `logs` when this resolves.
    exited: new Promise<Exit>((resolve) =>
      child.once('close', (code, signal) => {
        app.exit = { code, signal, at: exitedAt || Date.now() };
        file.end();
        resolve(app.exit);
      }),
    ),
    signal: (signal) => {
      if (app.exit === null && child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop(graceMs = 15_000) {
      if (app.exit) return app.exit;
      app.signal('SIGTERM');
      const timer = setTimeout(() => app.signal('SIGKILL'), graceMs);
      const exit = await app.exited;
      clearTimeout(timer);
      return exit;
    },
  };
  void app.exited.then(killOnExit(app.pid));
  const early = () => {
    if (app.exit)
      throw new GiveUp(
        `${name} exited (${app.exit.code ?? app.exit.signal}): ${stderr
          .slice(-10)
          .map((l) => l.line)
          .join('\n')}`,
      );
  };
  try {
    if (kind === 'api') {
      app.port = port;
      app.base = `http://127.0.0.1:${port}`;
      app.url = `${app.base}/graphql`;
      await waitFor(
        `${name} to be ready`,
        async () => {
          early();
          return (await probe(`${app.base}/readyz`, 1000)).status === 200;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
    } else {
      await waitFor(
        `${name} to start its workers`,
        async () => {
          early();
          return logs.some((l) => l.msg === 'worker started') || (await workerReady?.());
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
    }
  } catch (err) {
    app.signal('SIGKILL');
    await app.exited;
    throw err;
  }
  return app;
}

/** Log lines at `level` or above written between `from` and `to` (ms since epoch). */
export function logsBetween(app: AppProcess, from: number, to: number, level: number = LEVEL.warn): LogLine[] {
  return app.logs.filter((l) => {
    const at = Date.parse(l.time);
    return l.level >= level && at >= from && at <= to;
  });
}

/** Error-level log lines and raw stack-trace lines between `from` and `to`: what an operator's log shows as errors. */
export function errorOutputBetween(app: AppProcess, from: number, to: number): string[] {
  return [
    ...logsBetween(app, from, to, LEVEL.error).map((l) => `${l.msg ?? ''}${l.err?.message ? `: ${l.err.message}` : ''}`),
    ...app.stderr.filter((l) => l.at >= from && l.at <= to).map((l) => l.line),
  ];
}
