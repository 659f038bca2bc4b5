import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { freePort, GiveUp, isAlive, spawnServer, stopPid, tail, waitFor } from './processes';

export interface RedisServerOptions {
  port?: number;
  /** Data directory (nodes.conf of a cluster node lives here); a new temporary one when absent. */
  dir?: string;
  /** A Redis Cluster node (`--cluster-enabled yes`, node timeout `clusterNodeTimeoutMs`). */
  cluster?: boolean;
  clusterNodeTimeoutMs?: number;
  /** Outlives this process (the cluster CLI). */
  detached?: boolean;
}

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  pid: number;
  /** When the last (re)start answered PING (ms since epoch). */
  readyAt: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port; `empty` empties the data directory first (cluster nodes forget their nodes.conf). */
  restart(options?: { empty?: boolean }): Promise<void>;
  /** Stops and removes the data directory. */
  destroy(): Promise<void>;
}

/** True when a server answers PING on 127.0.0.1:`port` within `timeoutMs` (a raw socket: no client library state). */
export function redisPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    let reply = '';
    socket.once('error', () => done(false));
    socket.on('data', (d) => {
      reply += d.toString('utf8');
      if (reply.endsWith('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('*1\r\n$4\r\nPING\r\n'));
  });
}

/** Starts `redis-server` on 127.0.0.1 with no persistence (`--save "" --appendonly no`) and waits for PING. */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort({ busOffset: options.cluster ? 10_000 : undefined }));
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `ww-redis-${port}-`));
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'redis.log');

  const launch = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
    args.push('--pidfile', join(dir, 'redis.pid'), '--protected-mode', 'no');
    if (options.cluster) {
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`);
      args.push('--cluster-node-timeout', String(options.clusterNodeTimeoutMs ?? 2000));
    }
    const spawned = spawnServer('redis-server', args, { logFile: logFile, detached: options.detached });
    await waitFor(`redis-server on ${port}`, async () => {
      if (!isAlive(spawned.pid)) throw new GiveUp(`redis-server exited:\n${tail(logFile)}`);
      return redisPing(port);
    });
    return spawned.pid;
  };

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    pid: await launch(),
    readyAt: Date.now(),
    stop: (signal = 'SIGTERM') => stopPid(server.pid, { signal }),
    async restart({ empty = false } = {}) {
      if (isAlive(server.pid)) await stopPid(server.pid);
      if (empty) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
      }
      server.pid = await launch();
      server.readyAt = Date.now();
    },
    async destroy() {
      await stopPid(server.pid, { signal: 'SIGKILL' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
