import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection, type Connection } from 'mysql2/promise';
import { freePort, GiveUp, isAlive, spawnServer, stopPid, tail, waitFor } from './processes';

const run = promisify(execFile);

export interface MariaDbOptions {
  port?: number;
  /** Folder for the data directory (a copy of a fresh install when missing), socket, pid file and logs. */
  dir?: string;
  serverId?: number;
  /** Writes a ROW binary log (a replication primary). */
  logBin?: boolean;
  readOnly?: boolean;
  /** Outlives this process (the cluster CLI). */
  detached?: boolean;
}

export interface MariaDbServer {
  port: number;
  dir: string;
  pid: number;
  /** `mysql://root@127.0.0.1:port` (no database). */
  url: string;
  /** When the last (re)start accepted a connection (ms since epoch). */
  readyAt: number;
  connect(database?: string): Promise<Connection>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port and data directory (crash recovery after a SIGKILL), or on an empty one. */
  restart(options?: { empty?: boolean }): Promise<void>;
  destroy(): Promise<void>;
}

// Small redo log and buffer pool: these servers hold test data and start in about a second.
const SERVER_SETTINGS = [
  '--no-defaults',
  '--user=root',
  '--bind-address=127.0.0.1',
  '--skip-name-resolve',
  '--character-set-server=utf8mb4',
  '--collation-server=utf8mb4_general_ci',
  '--innodb-log-file-size=16M',
  '--innodb-buffer-pool-size=128M',
  '--max-connections=500',
];

/**
 * A data directory with the system tables and root@127.0.0.1 without a password, installed once per machine and
 * MariaDB version (about 4 s) and copied for every server (a few ms).
 */
async function templateDir(): Promise<string> {
  const { stdout } = await run('mariadbd', ['--version']);
  const version = /Ver\s+(\S+)/.exec(stdout)?.[1] ?? 'unknown';
  const dir = join(tmpdir(), `ww-mariadb-template-${version.replace(/[^\w.-]/g, '_')}`);
  if (existsSync(join(dir, 'mysql'))) return dir;
  const building = mkdtempSync(join(tmpdir(), 'ww-mariadb-install-'));
  await run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${building}`,
    '--user=root',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--innodb-log-file-size=16M',
  ]);
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another run installed it first
  }
  return dir;
}

export async function connectMariaDb(port: number, database?: string): Promise<Connection> {
  return createConnection({ host: '127.0.0.1', port, user: 'root', database, connectTimeout: 2000, multipleStatements: true });
}

/** Starts `mariadbd` on 127.0.0.1 with its own data directory, socket and pid file; waits until it takes connections. */
export async function startMariaDb(options: MariaDbOptions = {}): Promise<MariaDbServer> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `ww-mariadb-${port}-`));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'error.log');

  const launch = async () => {
    if (!existsSync(join(dataDir, 'mysql'))) {
      mkdirSync(dir, { recursive: true });
      cpSync(await templateDir(), dataDir, { recursive: true });
    }
    const args = [
      ...SERVER_SETTINGS,
      `--datadir=${dataDir}`,
      `--port=${port}`,
      `--socket=${join(dir, 'mysqld.sock')}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--log-error=${logFile}`,
      `--server-id=${options.serverId ?? 1}`,
    ];
    if (options.logBin) args.push(`--log-bin=${join(dir, 'data', 'binlog')}`, '--binlog-format=ROW');
    if (options.readOnly) args.push('--read-only', `--relay-log=${join(dir, 'data', 'relay')}`);
    const spawned = spawnServer('mariadbd', args, { logFile: join(dir, 'stdout.log'), detached: options.detached });
    await waitFor(
      `mariadbd on ${port}`,
      async () => {
        if (!isAlive(spawned.pid)) throw new GiveUp(`mariadbd exited:\n${tail(logFile)}`);
        const conn = await connectMariaDb(port).catch(() => null);
        if (!conn) return false;
        await conn.end();
        return true;
      },
      { timeoutMs: 60_000 },
    );
    return spawned.pid;
  };

  const server: MariaDbServer = {
    port,
    dir,
    url: `mysql://root@127.0.0.1:${port}`,
    pid: await launch(),
    readyAt: Date.now(),
    connect: (database) => connectMariaDb(port, database),
    stop: (signal = 'SIGTERM') => stopPid(server.pid, { signal, timeoutMs: 30_000 }),
    async restart({ empty = false } = {}) {
      if (isAlive(server.pid)) await stopPid(server.pid, { timeoutMs: 30_000 });
      if (empty) rmSync(dataDir, { recursive: true, force: true });
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

/** Makes `replica` replicate everything `primary` writes from now on (GTID, root without a password). */
export async function startReplication(primary: Pick<MariaDbServer, 'port'>, replica: Pick<MariaDbServer, 'connect'>): Promise<void> {
  const conn = await replica.connect();
  try {
    await conn.query('STOP SLAVE');
    await conn.query(
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${Number(primary.port)}, MASTER_USER='root', MASTER_PASSWORD='', ` +
        'MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1',
    );
    await conn.query('START SLAVE');
    await waitFor('the replica to connect to its primary', async () => {
      const [rows] = await conn.query('SHOW SLAVE STATUS');
      const status = (rows as Record<string, string>[])[0];
      if (status?.Last_IO_Error || status?.Last_SQL_Error) throw new Error(status.Last_IO_Error || status.Last_SQL_Error);
      return status?.Slave_IO_Running === 'Yes' && status?.Slave_SQL_Running === 'Yes';
    });
  } finally {
    await conn.end();
  }
}
