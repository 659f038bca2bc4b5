// Missions: a first-come rush. USERS users (attempts started beforehand) submit a LOCATION proof to a mission of
// CAPACITY slots with IN_FLIGHT requests in flight; reports submissions/s, p50/p99 per submission and the time to drain,
// and verifies exactly CAPACITY rewards in MySQL (ledger, users.points, missions.approved_count) and Redis, per run.
// BENCH_SCALE (default 1) scales users, capacity and in-flight requests (2,000 / 100 / 200); BENCH_RUNS (default 5).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  benchEnv,
  clearRedis,
  dropDatabase,
  gql,
  httpClient,
  mysqlConnection,
  percentile,
  root,
  round,
  startProcess,
  writeResult,
} from './lib.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const USERS = Math.max(20, Math.round(2000 * SCALE));
const CAPACITY = Math.max(2, Math.round(100 * SCALE));
const IN_FLIGHT = Math.max(10, Math.round(200 * SCALE));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const NAME = 'mission-rush';
const DB = `ww_bench_${NAME.replace(/\W/g, '_')}`;
const PREFIX = `wwb:${NAME}:`;
const SEOUL = { latitude: 37.5665, longitude: 126.978 };

const CREATE = 'mutation($input: CreateMissionInput!) { createMission(input: $input) { id } }';
const START = 'mutation($id: ID!) { startMission(missionId: $id) { id } }';
const SUBMIT = 'mutation($a: ID!, $p: MissionProofInput!) { submitMissionProof(attemptId: $a, proof: $p) { status rewardPoints } }';

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool(items, limit, fn) {
  let next = 0;
  const results = new Array(items.length);
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

export default async function missionRush() {
  const env = benchEnv(NAME, { DATABASE_POOL_SIZE: process.env.BENCH_DB_POOL ?? '20', LOG_LEVEL: 'warn' });
  await dropDatabase(NAME);
  const redis = await clearRedis(PREFIX);
  const api = await startProcess('api', env);
  const post = httpClient(api.url, IN_FLIGHT);
  const runs = [];
  try {
    // Users straight into MySQL, tokens signed with the server's own signer (sign-up is not what is measured).
    const db = await mysqlConnection(DB);
    const now = new Date();
    const rows = Array.from({ length: USERS + 1 }, (_, i) => [
      `rush${i}@bench.kr`,
      `rush_${i}`,
      `rush_${i}`,
      i === 0 ? 'ADMIN' : 'USER',
      now,
      now,
    ]);
    for (let i = 0; i < rows.length; i += 1000) {
      await db.query('insert into users (email, nickname, nickname_key, role, created_at, updated_at) values ?', [rows.slice(i, i + 1000)]);
    }
    const [ids] = await db.query('select id, role from users order by id');
    const { createAccessTokens } = await import(pathToFileURL(join(root, 'server/dist/modules/auth/access-token.js')).href);
    const signer = createAccessTokens({ JWT_SECRET: env.JWT_SECRET, ACCESS_TOKEN_TTL_SECONDS: 3600 });
    const tokens = ids.map((u) => signer.sign({ id: u.id, role: u.role }).token);
    const adminToken = tokens[0];
    const userTokens = tokens.slice(1);

    // Run 0 warms the API's JIT and connection pools on the same path and is not reported.
    for (let run = -1; run < RUNS; run++) {
      const { createMission } = await gql(
        api.url,
        CREATE,
        {
          input: {
            title: run < 0 ? 'Warm-up rush' : `Rush ${run + 1}`,
            description: 'First come, first served',
            startsAt: new Date(Date.now() - 60_000),
            endsAt: new Date(Date.now() + 3600_000),
            rewardPoints: 7,
            capacity: CAPACITY,
            verification: { kind: 'LOCATION', ...SEOUL, radiusMeters: 500 },
          },
        },
        adminToken,
      );
      const missionId = Number(Buffer.from(createMission.id, 'base64url').toString().split(':')[1]);
      const attempts = await pool(
        userTokens,
        50,
        async (token) => (await gql(api.url, START, { id: createMission.id }, token)).startMission.id,
      );

      const latencies = [];
      const approvedLatencies = [];
      const outcome = { approved: 0, full: 0, other: 0 };
      const otherSamples = [];
      const started = performance.now();
      await pool(userTokens, IN_FLIGHT, async (token, i) => {
        const t0 = performance.now();
        let body;
        try {
          body = await post({ query: SUBMIT, variables: { a: attempts[i], p: SEOUL } }, token);
        } catch (err) {
          body = { errors: [{ message: String(err) }] };
        }
        const ms = performance.now() - t0;
        latencies.push(ms);
        if (body.data?.submitMissionProof?.status === 'APPROVED') {
          outcome.approved++;
          approvedLatencies.push(ms);
        } else if (body.errors?.[0]?.extensions?.reason === 'MISSION_FULL') outcome.full++;
        else {
          outcome.other++;
          if (otherSamples.length < 3) otherSamples.push(JSON.stringify(body).slice(0, 300));
        }
      });
      const drainMs = performance.now() - started;

      const [[ledger]] = await db.query('select count(*) as n, coalesce(sum(amount), 0) as total from points_ledger where mission_id = ?', [
        missionId,
      ]);
      const [[mission]] = await db.query('select approved_count from missions where id = ?', [missionId]);
      const [[mismatch]] = await db.query(
        'select count(*) as n from users u where u.points <> (select coalesce(sum(amount), 0) from points_ledger l where l.user_id = u.id)',
      );
      const winners = await redis.scard(`${PREFIX}mission:${missionId}:winners`);
      const pending = await redis.zcard(`${PREFIX}mission:${missionId}:pending`);
      const r = {
        submissions_per_s: round(USERS / (drainMs / 1000)),
        p50_ms: round(percentile(latencies, 50)),
        p99_ms: round(percentile(latencies, 99)),
        approved_p50_ms: round(percentile(approvedLatencies, 50)),
        approved_p99_ms: round(percentile(approvedLatencies, 99)),
        drain_ms: Math.round(drainMs),
        approved: outcome.approved,
        mission_full: outcome.full,
        other_errors: outcome.other,
        ledger_rows: Number(ledger.n),
        ledger_points: Number(ledger.total),
        approved_count: mission.approved_count,
        redis_winners: winners,
        redis_pending: pending,
        points_mismatch_users: Number(mismatch.n),
      };
      r.over_grants = Math.max(0, r.ledger_rows - CAPACITY, r.approved - CAPACITY, r.redis_winners - CAPACITY);
      r.exact =
        r.approved === CAPACITY &&
        r.ledger_rows === CAPACITY &&
        r.ledger_points === CAPACITY * 7 &&
        r.approved_count === CAPACITY &&
        r.redis_winners === CAPACITY &&
        r.points_mismatch_users === 0;
      console.log(
        run < 0 ? 'warm-up' : `run ${run + 1}/${RUNS}`,
        JSON.stringify(r),
        otherSamples.length ? `other: ${otherSamples.join(' | ')}` : '',
      );
      if (run >= 0) runs.push(r);
    }
    await db.end();
  } finally {
    post.close();
    await api.stop();
    await redis.quit();
    await (await clearRedis(PREFIX)).quit();
    await dropDatabase(NAME);
  }
  const avg = (key) => round(runs.reduce((s, r) => s + r[key], 0) / runs.length);
  const metrics = {
    users: USERS,
    capacity: CAPACITY,
    in_flight: IN_FLIGHT,
    runs: runs.length,
    submissions_per_s: avg('submissions_per_s'),
    submissions_per_s_min: Math.min(...runs.map((r) => r.submissions_per_s)),
    p50_ms: avg('p50_ms'),
    p99_ms: avg('p99_ms'),
    p99_ms_max: Math.max(...runs.map((r) => r.p99_ms)),
    approved_p50_ms: avg('approved_p50_ms'),
    approved_p99_ms: avg('approved_p99_ms'),
    drain_ms: avg('drain_ms'),
    over_grants: runs.reduce((s, r) => s + r.over_grants, 0),
    exact_runs: runs.filter((r) => r.exact).length,
    other_errors: runs.reduce((s, r) => s + r.other_errors, 0),
  };
  writeResult(
    NAME,
    metrics,
    { submissions_per_s_min: '>= 1000', p99_ms_max: '< 200', over_grants: '== 0', exact_runs: `== ${runs.length}`, other_errors: '== 0' },
    `${USERS} users with attempts started beforehand submit a LOCATION proof to a capacity-${CAPACITY} mission, ${IN_FLIGHT} requests in flight; ` +
      `${runs.length} runs after one unreported warm-up rush (a new mission each); exact = ${CAPACITY} approvals, ledger rows, approved_count and Redis winners, users.points = ledger sums`,
  );
}
