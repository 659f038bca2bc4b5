// Resumes: the daily LLM quota reset. The job (UsageService.resetAll from server/dist, the code the worker runs)
// zeroes `llm_usage` with one set-based UPDATE per key range of user ids; the naive alternative updates one row per
// statement. 1,000,000 users are reset by the chunked job; row-by-row is timed on a 50,000-user slice in the same
// run and scaled linearly to 1,000,000 (it is said so in the output).
// BENCH_SCALE (default 1) scales both the users and the slice; BENCH_CHUNK overrides the chunk size.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { benchEnv, dropDatabase, mysqlConnection, root, round, startProcess, writeResult } from './lib.mjs';

const require = createRequire(import.meta.url);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const USERS = Math.max(1000, Math.round(1_000_000 * SCALE));
const SLICE = Math.max(100, Math.round(50_000 * SCALE));
const TARGET = 1_000_000;

/** The `infra.orm.em.getConnection()` surface UsageService uses, over one mysql2 connection. */
function infraOver(conn, config) {
  const connection = {
    async execute(sql, params = [], method = 'all') {
      const [result] = await conn.query(sql, params);
      return method === 'run' ? { affectedRows: result.affectedRows, insertId: result.insertId } : result;
    },
  };
  return { orm: { em: { getConnection: () => connection } }, config };
}

async function fill(conn) {
  await conn.query('truncate table llm_usage');
  const step = 100_000;
  for (let lo = 1; lo <= USERS; lo += step) {
    const hi = Math.min(USERS, lo + step - 1);
    // a recursive CTE works on MySQL 8 and MariaDB alike
    await conn.query(
      `insert into llm_usage (user_id, jobs_used)
       with recursive seq(n) as (select ? union all select n + 1 from seq where n < ?)
       select n, 1 + n % 10 from seq`,
      [lo, hi],
    );
  }
}

export default async function usageReset() {
  const name = 'usage-reset';
  const env = benchEnv(name);
  await dropDatabase(name);
  const api = await startProcess('api', env); // runs the migrations, then is not needed
  await api.stop();
  const database = new URL(env.DATABASE_URL).pathname.slice(1);
  const conn = await mysqlConnection(database);
  await conn.query('set session cte_max_recursion_depth = 1000000').catch(() => undefined); // MySQL only
  await conn.query('set session max_recursive_iterations = 1000000').catch(() => undefined); // MariaDB only
  const { UsageService, USAGE_RESET_CHUNK } = require(join(root, 'server/dist/modules/resumes/usage.service.js'));
  const chunk = Number(process.env.BENCH_CHUNK ?? USAGE_RESET_CHUNK);
  const service = new UsageService(infraOver(conn, { LLM_DAILY_JOB_LIMIT: 10 }));
  let metrics;
  try {
    await fill(conn);
    let t = process.hrtime.bigint();
    const result = await service.resetAll(chunk);
    const chunkedMs = Number(process.hrtime.bigint() - t) / 1e6;
    const [[left]] = await conn.query('select count(*) as n from llm_usage where jobs_used <> 0');
    if (result.rows !== USERS || left.n !== 0) throw new Error(`chunked reset changed ${result.rows} rows, ${left.n} left`);

    await conn.query('update llm_usage set jobs_used = 1 + user_id % 10 where user_id <= ?', [SLICE]);
    t = process.hrtime.bigint();
    const [ids] = await conn.query('select user_id from llm_usage where user_id <= ? and jobs_used <> 0', [SLICE]);
    for (const { user_id: id } of ids) await conn.query('update llm_usage set jobs_used = 0 where user_id = ?', [id]);
    const rowMs = Number(process.hrtime.bigint() - t) / 1e6;
    const rowScaledMs = (rowMs * TARGET) / SLICE;
    const chunkedScaledMs = (chunkedMs * TARGET) / USERS;
    metrics = {
      users: USERS,
      chunk_size: chunk,
      chunks: result.chunks,
      chunked_reset_ms: round(chunkedMs),
      chunked_rows_per_s: Math.round((USERS / chunkedMs) * 1000),
      chunked_ms_scaled_to_1m: round(chunkedScaledMs),
      row_by_row_slice_users: SLICE,
      row_by_row_slice_ms: round(rowMs),
      row_by_row_ms_scaled_to_1m: round(rowScaledMs),
      speedup_x: round(rowScaledMs / chunkedScaledMs),
    };
  } finally {
    await conn.end();
    await dropDatabase(name);
  }
  writeResult(
    name,
    metrics,
    { speedup_x: '>= 6', chunked_ms_scaled_to_1m: '< 30000' },
    `row-by-row was timed on ${SLICE.toLocaleString('en')} users and scaled linearly to 1,000,000` +
      (USERS === TARGET
        ? ''
        : `; the chunked reset ran on ${USERS.toLocaleString('en')} users (BENCH_SCALE=${SCALE}) and is also scaled to 1,000,000`),
  );
}
