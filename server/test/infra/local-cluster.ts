import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { connectMariaDb, startMariaDb, startReplication } from './mariadb-server';
import { commandLine, isAlive, sleep, stopPid, waitFor } from './processes';
import { startRedis } from './redis-server';

const run = promisify(execFile);

export const CLUSTER_NODE_TIMEOUT_MS = 2000;
export const DATABASE = 'weatherwise';

interface NodeState {
  port: number;
  pid: number;
  dir: string;
}

/** What `cluster:up` started, kept in a git-ignored file so `cluster:down` stops exactly those processes. */
export interface ClusterState {
  createdAt: string;
  root: string;
  redis: NodeState[];
  mariadb: { primary: NodeState; replica: NodeState };
}

export function readState(file: string): ClusterState | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterState) : null;
}

function writeState(file: string, state: ClusterState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

// A pid from the state file is signalled only while it is still a redis-server or mariadbd naming its port (pids get
// reused; redis-server rewrites its title to `redis-server 127.0.0.1:PORT [cluster]`).
function ours(node: NodeState): boolean {
  const cmd = commandLine(node.pid);
  return !!cmd && isAlive(node.pid) && /redis-server|mariadbd/.test(cmd) && new RegExp(`(^|\\D)${node.port}(\\D|$)`).test(cmd);
}

const allNodes = (s: ClusterState) => [...s.redis, s.mariadb.primary, s.mariadb.replica];

export function isRunning(state: ClusterState): boolean {
  return allNodes(state).every(ours);
}

/** The variables an API, a worker or the tests use to talk to this cluster. */
export function clusterEnv(state: ClusterState): Record<string, string> {
  const nodes = state.redis.map((n) => `127.0.0.1:${n.port}`).join(',');
  const primary = `mysql://root@127.0.0.1:${state.mariadb.primary.port}`;
  const replica = `mysql://root@127.0.0.1:${state.mariadb.replica.port}`;
  return {
    REDIS_CLUSTER_NODES: nodes,
    DATABASE_URL: `${primary}/${DATABASE}`,
    DATABASE_REPLICA_URLS: `${replica}/${DATABASE}`,
    TEST_REDIS_CLUSTER_NODES: nodes,
    TEST_DATABASE_URL: primary,
    TEST_DATABASE_REPLICA_URLS: replica,
  };
}

/** Waits until every node says `cluster_state:ok` and sees 3 masters, each with a replica online. */
export async function waitForClusterOk(ports: number[], timeoutMs = 30_000): Promise<void> {
  await waitFor(
    'the Redis Cluster to be ok on every node',
    async () => {
      for (const port of ports) {
        const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await client.connect();
          const info = await client.cluster('INFO');
          if (!/cluster_state:ok/.test(info) || !/cluster_size:3/.test(info)) return false;
          // A replica is listed under its master's slots once its link is up.
          const slots = (await client.cluster('SLOTS')) as unknown[][];
          if (slots.length !== 3 || slots.some((range) => range.length < 4)) return false;
        } finally {
          client.disconnect();
        }
      }
      return true;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/**
 * Starts 6 Redis Cluster nodes (3 masters, 3 replicas) and a MariaDB primary with one replica on spare ports,
 * detached, and records them in `stateFile`. Does nothing when the recorded cluster is still running.
 */
export async function clusterUp(stateFile: string, log: (line: string) => void = () => undefined): Promise<ClusterState> {
  const existing = readState(stateFile);
  if (existing && isRunning(existing)) {
    log('cluster already running');
    return existing;
  }
  if (existing) await clusterDown(stateFile, log);

  const root = mkdtempSync(join(tmpdir(), 'ww-cluster-'));
  const started: NodeState[] = [];
  try {
    log('starting 6 Redis Cluster nodes');
    const redis = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        startRedis({ cluster: true, clusterNodeTimeoutMs: CLUSTER_NODE_TIMEOUT_MS, detached: true, dir: join(root, `redis-${i + 1}`) }),
      ),
    );
    started.push(...redis.map((r) => ({ port: r.port, pid: r.pid, dir: r.dir })));
    await run('redis-cli', ['--cluster', 'create', ...redis.map((r) => `127.0.0.1:${r.port}`), '--cluster-replicas', '1', '--cluster-yes']);
    await waitForClusterOk(redis.map((r) => r.port));

    log('starting the MariaDB primary and its replica');
    const primary = await startMariaDb({ dir: join(root, 'mariadb-primary'), serverId: 1, logBin: true, detached: true });
    started.push({ port: primary.port, pid: primary.pid, dir: primary.dir });
    const replica = await startMariaDb({ dir: join(root, 'mariadb-replica'), serverId: 2, readOnly: true, detached: true });
    started.push({ port: replica.port, pid: replica.pid, dir: replica.dir });
    await startReplication(primary, replica);
    const conn = await primary.connect();
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${DATABASE}\` CHARACTER SET utf8mb4`);
    await conn.end();

    const state: ClusterState = {
      createdAt: new Date().toISOString(),
      root,
      redis: started.slice(0, 6),
      mariadb: { primary: started[6]!, replica: started[7]! },
    };
    writeState(stateFile, state);
    return state;
  } catch (err) {
    await Promise.all(started.map((n) => stopPid(n.pid, { signal: 'SIGKILL' })));
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

/** Stops exactly the processes recorded in `stateFile` and removes their data. */
export async function clusterDown(stateFile: string, log: (line: string) => void = () => undefined): Promise<void> {
  const state = readState(stateFile);
  if (!state) {
    log('no cluster recorded');
    return;
  }
  const nodes = allNodes(state).filter(ours);
  log(`stopping ${nodes.length} processes`);
  await Promise.all(nodes.map((n) => stopPid(n.pid, { timeoutMs: 20_000 })));
  rmSync(state.root, { recursive: true, force: true });
  rmSync(stateFile, { force: true });
}

export interface ClusterCheck {
  keyRoundTrip: boolean;
  replicationMs: number;
  failover: { killedPort: number; promotedPort: number; promotedAfterMs: number; writableAfterMs: number };
}

/**
 * Proves the cluster works: a key written through one node is read through the cluster client; a row written on the
 * primary appears on the replica; a SIGKILLed master's replica is promoted and the slot takes writes again (the
 * killed node is restarted afterwards and rejoins as a replica, and the state file follows its new pid).
 */
export async function clusterCheck(stateFile: string, log: (line: string) => void = () => undefined): Promise<ClusterCheck> {
  const state = readState(stateFile);
  if (!state || !isRunning(state)) throw new Error('no running cluster; run `npm run cluster:up` first');
  const startupNodes = state.redis.map((n) => ({ host: '127.0.0.1', port: n.port }));
  const cluster = new Cluster(startupNodes, { clusterRetryStrategy: () => 100, redisOptions: { connectTimeout: 1000 } });
  try {
    const key = `ww:cluster-check:${Date.now()}`;
    await cluster.set(key, 'hello', 'EX', 60);
    const other = new Cluster(startupNodes.slice().reverse());
    const keyRoundTrip = (await other.get(key)) === 'hello';
    other.disconnect();
    log(`key round trip: ${keyRoundTrip}`);

    const replicationMs = await checkReplication(state);
    log(`replication: row visible on the replica after ${replicationMs} ms`);

    const failover = await checkFailover(state, cluster, key, log);
    writeState(stateFile, state);
    return { keyRoundTrip, replicationMs, failover };
  } finally {
    cluster.disconnect();
  }
}

async function checkReplication(state: ClusterState): Promise<number> {
  const primary = await connectMariaDb(state.mariadb.primary.port, DATABASE);
  const replica = await connectMariaDb(state.mariadb.replica.port, DATABASE);
  try {
    await primary.query('CREATE TABLE IF NOT EXISTS cluster_check (id int primary key auto_increment, note varchar(50))');
    const [result] = await primary.query('INSERT INTO cluster_check (note) VALUES (?)', [`check ${Date.now()}`]);
    const id = (result as { insertId: number }).insertId;
    const started = Date.now();
    await waitFor('the row on the replica', async () => {
      const [rows] = await replica.query('SELECT id FROM cluster_check WHERE id = ?', [id]);
      return (rows as unknown[]).length === 1;
    });
    return Date.now() - started;
  } finally {
    await primary.end();
    await replica.end();
  }
}

async function checkFailover(state: ClusterState, cluster: Cluster, key: string, log: (line: string) => void) {
  const slot = Number(await cluster.cluster('KEYSLOT', key));
  const slots = await cluster.cluster('SLOTS');
  const range = slots.find(([from, to]) => slot >= from && slot <= to);
  if (!range) throw new Error(`no node serves slot ${slot}`);
  const [, , master0, ...replicas] = range;
  const masterPort = master0[1];
  const replicaPorts = replicas.map((r) => r[1]);
  const master = state.redis.find((n) => n.port === masterPort)!;
  log(`killing master ${masterPort} (slot ${slot}); replicas ${replicaPorts.join(', ')}`);

  const killedAt = Date.now();
  await stopPid(master.pid, { signal: 'SIGKILL' });
  let promotedPort = 0;
  await waitFor(
    'a replica to be promoted',
    async () => {
      for (const port of replicaPorts) {
        const node = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          if ((await node.role())[0] === 'master') promotedPort = port;
        } finally {
          node.disconnect();
        }
      }
      return promotedPort > 0;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  const promotedAfterMs = Date.now() - killedAt;
  await waitFor('the slot to take writes again', async () => (await cluster.set(key, 'after failover', 'EX', 60)) === 'OK', {
    timeoutMs: 30_000,
    intervalMs: 100,
  });
  const writableAfterMs = Date.now() - killedAt;
  log(`replica ${promotedPort} promoted after ${promotedAfterMs} ms; writes accepted after ${writableAfterMs} ms`);

  // The killed node comes back with its nodes.conf and rejoins as a replica of the promoted one.
  const restarted = await startRedis({
    port: master.port,
    dir: master.dir,
    cluster: true,
    clusterNodeTimeoutMs: CLUSTER_NODE_TIMEOUT_MS,
    detached: true,
  });
  master.pid = restarted.pid;
  await waitForClusterOk(state.redis.map((n) => n.port));
  await sleep(100);
  return { killedPort: masterPort, promotedPort, promotedAfterMs, writableAfterMs };
}

/** `export KEY=value` lines for `eval "$(npm run -s cluster:env)"`. */
export function formatEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}=${v}`)
    .join('\n');
}
