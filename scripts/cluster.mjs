// `npm run cluster:up | cluster:down | cluster:env | cluster:check`: a local Redis Cluster (3 masters, 3 replicas) and a
// MariaDB primary with one replica, from the machine's own redis-server and mariadbd, on spare ports.
// `up` and `env` print `export KEY=value` lines on stdout (progress goes to stderr): eval "$(npm run -s cluster:up)".
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stateFile = join(root, '.data/cluster/state.json');

// The toolkit is TypeScript shared with the tests; @swc-node compiles it on load.
process.env.SWC_NODE_PROJECT ??= join(root, 'server/tsconfig.json');
const require = createRequire(import.meta.url);
require('../server/test/register-ts.js');
const cluster = require('../server/test/infra/local-cluster.ts');

const log = (line) => process.stderr.write(`cluster: ${line}\n`);
const command = process.argv[2];

async function main() {
  switch (command) {
    case 'up': {
      const state = await cluster.clusterUp(stateFile, log);
      log(
        `redis ${state.redis.map((n) => n.port).join(', ')}; mariadb primary ${state.mariadb.primary.port}, replica ${state.mariadb.replica.port}`,
      );
      log(`state in ${stateFile}; stop with npm run cluster:down`);
      process.stdout.write(`${cluster.formatEnv(cluster.clusterEnv(state))}\n`);
      return;
    }
    case 'env': {
      const state = cluster.readState(stateFile);
      if (!state || !cluster.isRunning(state)) throw new Error('no running cluster; run npm run cluster:up');
      process.stdout.write(`${cluster.formatEnv(cluster.clusterEnv(state))}\n`);
      return;
    }
    case 'down':
      await cluster.clusterDown(stateFile, log);
      return;
    case 'check': {
      const result = await cluster.clusterCheck(stateFile, log);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      if (!result.keyRoundTrip) throw new Error('a key written on the cluster could not be read back');
      if (result.failover.promotedAfterMs > 10_000) throw new Error(`failover took ${result.failover.promotedAfterMs} ms`);
      return;
    }
    default:
      throw new Error('usage: node scripts/cluster.mjs up|down|env|check');
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`cluster: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
