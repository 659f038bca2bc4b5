import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Thrown inside a `waitFor` check to stop waiting at once (the process being waited for has died). */
export class GiveUp extends Error {}

/** Polls `check` until it answers truthy; throws with `what` after `timeoutMs`, or at once on `GiveUp`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 30_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(intervalMs);
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const taken = new Set<number>();

/**
 * A port nobody listens on, from a range away from the well-known ones (6379, 3306...). With `busOffset` the port
 * plus that offset must be free too (a Redis Cluster node also listens on port + 10000).
 */
export async function freePort({ busOffset }: { busOffset?: number } = {}): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || (busOffset && taken.has(port + busOffset))) continue;
    if (!(await canListen(port))) continue;
    if (busOffset && !(await canListen(port + busOffset))) continue;
    taken.add(port);
    if (busOffset) taken.add(port + busOffset);
    return port;
  }
  throw new Error('no free port found');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped) still answers kill(0).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The command line of a running process, to check a pid from a state file is still ours before signalling it. */
export function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}

/** Signals one pid and waits until it is gone; SIGKILL after `timeoutMs` unless `force` is false. */
export async function stopPid(pid: number, { signal = 'SIGTERM' as NodeJS.Signals, timeoutMs = 15_000, force = true } = {}): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      if (!force) throw new Error(`process ${pid} still running ${timeoutMs} ms after ${signal}`);
      process.kill(pid, 'SIGKILL');
      await waitFor(`process ${pid} to die after SIGKILL`, () => !isAlive(pid), { timeoutMs: 5000, intervalMs: 20 });
      return;
    }
    await sleep(20);
  }
}

// Servers started without `detached` are killed when this process exits, so a crashed test run leaves none behind.
const owned = new Set<number>();
let exitHookInstalled = false;
/** SIGKILLs `pid` when this process exits; call the answer once the process is gone (its pid may be reused). */
export function killOnExit(pid: number): () => void {
  owned.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const p of owned) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    });
  }
  return () => owned.delete(pid);
}

export interface Spawned {
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
}

/**
 * Starts a server process with its output appended to `logFile`. `detached` processes outlive this one (the cluster
 * CLI); the others are SIGKILLed when this process exits.
 */
export function spawnServer(
  command: string,
  args: string[],
  { logFile, detached = false }: { logFile: string; detached?: boolean },
): Spawned {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], detached });
  closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${command}`);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  if (detached) child.unref();
  else {
    const release = killOnExit(child.pid);
    void exited.then(release);
  }
  return { pid: child.pid, child, exited };
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 20): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
