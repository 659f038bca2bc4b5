import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A redis-server or mariadbd of this test alone, on a spare port with its data in a temporary directory, so a test can
 * kill and restart it without touching the shared servers.
 */
export interface OwnServer {
  port: number;
  url: string;
  /** SIGKILL: the process dies at once, its clients see their sockets reset. */
  kill(): Promise<void>;
  /** Starts it again on the same port (and, for MariaDB, the same data); does nothing while it runs. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  dispose(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function ownServer(port: number, url: string, run: () => ChildProcess, ready: () => boolean, dir: string): OwnServer {
  let child: ChildProcess | undefined;
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    url,
    kill,
    async start() {
      if (child && child.exitCode === null) return;
      child = run();
      let output = '';
      child.stdout?.on('data', (d) => (output += d));
      child.stderr?.on('data', (d) => (output += d));
      await waitUntil(ready, `${url} (${output.slice(-500)})`);
    },
    async dispose() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startOwnRedis(): Promise<OwnServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ww-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const ping = () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG';
  const server = ownServer(port, `redis://127.0.0.1:${port}`, () => spawn('redis-server', args, { stdio: 'pipe' }), ping, dir);
  await server.start();
  return server;
}

export async function startOwnMariadb(): Promise<OwnServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ww-mariadb-'));
  const datadir = join(dir, 'data');
  const install = spawnSync(
    'mariadb-install-db',
    ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root'],
    { encoding: 'utf8' },
  );
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
  const args = [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mysqld.sock')}`,
    '--user=root',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=32M',
  ];
  const ping = () => spawnSync('mysqladmin', ['-h127.0.0.1', `-P${port}`, '-uroot', 'ping'], { encoding: 'utf8' }).status === 0;
  const server = ownServer(port, `mysql://root@127.0.0.1:${port}`, () => spawn('mariadbd', args, { stdio: 'pipe' }), ping, dir);
  await server.start();
  return server;
}
