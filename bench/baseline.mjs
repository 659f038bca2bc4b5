// Baseline: a trivial query on our API (production plugins, validation rules, logging on) versus a bare Apollo
// Server started here, same load. Runs alternate to spread machine noise over both.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { benchEnv, freePort, load, root, round, sleep, startProcess, writeResult } from './lib.mjs';

const CONNECTIONS = 50;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

async function startBare() {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'bench/support/bare-apollo.mjs')], {
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return { url: `http://127.0.0.1:${port}/`, stop: () => new Promise((r) => (child.on('exit', r), child.kill('SIGTERM'))) };
}

export default async function baseline() {
  const ours = await startProcess('api', benchEnv('baseline'));
  const bare = await startBare();
  const runs = { ours: [], bare: [] };
  try {
    const targets = {
      ours: { url: ours.url, body: { query: '{ __typename }' } },
      bare: { url: bare.url, body: { query: '{ hello }' } },
    };
    for (const t of Object.values(targets)) await load({ ...t, connections: CONNECTIONS, duration: 2 }); // warm-up
    for (let i = 0; i < ROUNDS; i++) {
      for (const key of i % 2 ? ['ours', 'bare'] : ['bare', 'ours']) {
        runs[key].push(await load({ ...targets[key], connections: CONNECTIONS, duration: DURATION }));
        await sleep(500);
      }
    }
  } finally {
    await ours.stop();
    await bare.stop();
  }
  const avg = (list, key) => round(list.reduce((s, r) => s + r[key], 0) / list.length);
  const metrics = {
    ours_throughput_rps: avg(runs.ours, 'throughput_rps'),
    ours_p50_ms: avg(runs.ours, 'p50_ms'),
    ours_p99_ms: avg(runs.ours, 'p99_ms'),
    bare_throughput_rps: avg(runs.bare, 'throughput_rps'),
    bare_p50_ms: avg(runs.bare, 'p50_ms'),
    bare_p99_ms: avg(runs.bare, 'p99_ms'),
    errors: runs.ours.concat(runs.bare).reduce((s, r) => s + r.errors, 0),
  };
  metrics.ratio = round(metrics.ours_throughput_rps / metrics.bare_throughput_rps, 3);
  writeResult(
    'baseline',
    metrics,
    { ratio: '>= 0.75', errors: '== 0' },
    `${CONNECTIONS} connections, ${ROUNDS} x ${DURATION}s per server, alternating`,
  );
}
