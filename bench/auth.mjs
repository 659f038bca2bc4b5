// Accounts: log-ins per second with bcrypt at the configured cost, and what checking an access token costs:
// `{ __typename }` anonymous (baseline) vs the same query with a valid bearer token vs `me` (token + one indexed
// MySQL read), all in the same run, alternating rounds to spread machine noise.
// BENCH_SCALE (default 1) scales durations; BENCH_BCRYPT_COST overrides the configured cost (default 12).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchEnv, dropDatabase, gql, load, root, round, sleep, startProcess, writeResult } from './lib.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const DURATION = Math.max(1, Math.round(10 * SCALE));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 50;
const LOGIN_CONNECTIONS = 8; // bcrypt runs on libuv's 4 threads; more connections only queue

const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }';
const LOG_IN = 'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }';

export default async function auth() {
  const cost = process.env.BENCH_BCRYPT_COST;
  const env = benchEnv('auth', { ...(cost ? { BCRYPT_COST: cost } : {}), LOGIN_MAX_FAILURES_PER_IP: '100000' });
  await dropDatabase('auth');
  const api = await startProcess('api', env);
  const runs = { anonymous: [], token: [], me: [], login: [] };
  let verifyPerSecond;
  try {
    const credentials = { email: 'bench@bench.kr', password: 'bench-password-1' };
    const { signUp } = await gql(api.url, SIGN_UP, { input: { ...credentials, nickname: 'bench_user' } });
    const auth = { authorization: `Bearer ${signUp.accessToken}` };
    const targets = {
      anonymous: { url: api.url, body: { query: '{ __typename }' }, connections: CONNECTIONS },
      token: { url: api.url, body: { query: '{ __typename }' }, headers: auth, connections: CONNECTIONS },
      me: { url: api.url, body: { query: '{ me { id nickname } }' }, headers: auth, connections: CONNECTIONS },
    };
    for (const t of Object.values(targets)) await load({ ...t, duration: 1 }); // warm-up
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 ? ['me', 'token', 'anonymous'] : ['anonymous', 'token', 'me'];
      for (const key of order) {
        runs[key].push(await load({ ...targets[key], duration: DURATION }));
        await sleep(300);
      }
    }
    runs.login.push(
      await load({
        url: api.url,
        body: { query: LOG_IN, variables: { input: credentials } },
        connections: LOGIN_CONNECTIONS,
        duration: DURATION * 2,
      }),
    );
    verifyPerSecond = await verifyRate(env.JWT_SECRET);
  } finally {
    await api.stop();
    await dropDatabase('auth');
  }
  const avg = (list, key) => round(list.reduce((s, r) => s + r[key], 0) / list.length);
  const metrics = {
    bcrypt_cost: Number(cost ?? 12),
    logins_per_s: avg(runs.login, 'throughput_rps'),
    login_p50_ms: avg(runs.login, 'p50_ms'),
    login_p99_ms: avg(runs.login, 'p99_ms'),
    typename_anonymous_rps: avg(runs.anonymous, 'throughput_rps'),
    typename_with_token_rps: avg(runs.token, 'throughput_rps'),
    me_rps: avg(runs.me, 'throughput_rps'),
    me_p99_ms: avg(runs.me, 'p99_ms'),
    jwt_verify_per_s_uncached: verifyPerSecond.firstSight,
    jwt_verify_per_s_cached: verifyPerSecond.cached,
    errors: Object.values(runs)
      .flat()
      .reduce((s, r) => s + r.errors, 0),
  };
  metrics.token_overhead_pct = round((1 - metrics.typename_with_token_rps / metrics.typename_anonymous_rps) * 100, 1);
  metrics.me_vs_typename_ratio = round(metrics.me_rps / metrics.typename_anonymous_rps, 3);
  writeResult(
    'auth',
    metrics,
    { token_overhead_pct: '< 10', errors: '== 0' },
    `${CONNECTIONS} connections, ${ROUNDS} x ${DURATION}s per query, alternating; log-ins: ${LOGIN_CONNECTIONS} connections, ${DURATION * 2}s; ` +
      'token_overhead_pct compares the same trivial query with and without a bearer token (pure verification); me adds a MySQL read',
  );
}

/** HS256 verifications per second in this process (the server's own verifier, from server/dist): first sight of a token, and cached. */
async function verifyRate(secret) {
  const { createAccessTokens } = await import(pathToFileURL(join(root, 'server/dist/modules/auth/access-token.js')).href);
  const tokens = createAccessTokens({ JWT_SECRET: secret, ACCESS_TOKEN_TTL_SECONDS: 900 });
  const n = Math.max(2000, Math.round(20_000 * SCALE));
  const headers = Array.from({ length: n }, (_, i) => `Bearer ${tokens.sign({ id: i + 1, role: 'USER' }).token}`);
  const rate = (fn) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    return Math.round(n / (Number(process.hrtime.bigint() - started) / 1e9));
  };
  const fresh = createAccessTokens({ JWT_SECRET: secret, ACCESS_TOKEN_TTL_SECONDS: 900 });
  const firstSight = rate((i) => fresh.authenticate(headers[i]));
  const cached = rate((i) => fresh.authenticate(headers[i]));
  return { firstSight, cached };
}
