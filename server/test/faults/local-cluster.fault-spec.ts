import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterCheck, clusterDown, clusterUp, isRunning, readState } from '../infra/local-cluster';
import { isAlive } from '../infra/processes';
import { Figures } from './support/figures';

const figures = new Figures('local-cluster', {
  up: { label: 'cluster:up started 6 Redis nodes and 2 MariaDB servers', rule: { eq: true } },
  roundTrip: { label: 'a key written on the cluster reads back', rule: { eq: true } },
  replication: { label: 'a row written on the primary shows on the replica after', rule: { lt: 5000, unit: 'ms' } },
  promoted: { label: "a SIGKILLed master's replica promoted after", rule: { lt: 10_000, unit: 'ms' } },
  writable: { label: 'its slots take writes again after (ms)' },
  down: { label: 'cluster:down left none of its processes running', rule: { eq: true } },
});

// The tooling behind `npm run cluster:up|check|down`, with its own state file so a developer's cluster is untouched.
describe('local cluster for development and CI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ww-cluster-test-'));
  const stateFile = join(dir, 'state.json');

  beforeAll(async () => {
    try {
      const state = await clusterUp(stateFile);
      figures.set('up', state.redis.length === 6 && isRunning(state));
      const check = await clusterCheck(stateFile);
      figures.set('roundTrip', check.keyRoundTrip);
      figures.set('replication', check.replicationMs);
      figures.set('promoted', check.failover.promotedAfterMs, `cluster-node-timeout 2000 ms`);
      figures.set('writable', check.failover.writableAfterMs);
    } finally {
      const pids = [...(readState(stateFile)?.redis ?? []), ...Object.values(readState(stateFile)?.mariadb ?? {})].map((n) => n.pid);
      await clusterDown(stateFile);
      figures.set('down', pids.length > 0 && pids.every((pid) => !isAlive(pid)));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  figures.defineTests();
});
