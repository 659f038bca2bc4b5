// Votes: CONNECTIONS connections send vote mutations (random LIKE/DISLIKE/NONE) from USERS users over POSTS posts for
// DURATION seconds; reports votes/s and p50/p99, then checks the counts exact: vote_counts against the votes rows,
// the counts the API serves (Redis) against MySQL, and each user's vote Redis serialises on against their row. BENCH_SCALE (default 1) scales users and posts (1,000 / 100);
// BENCH_DURATION seconds (default 15); BENCH_CONNECTIONS (default 50).
import { benchEnv, clearRedis, dropDatabase, httpClient, mysqlConnection, percentile, round, startProcess, writeResult } from './lib.mjs';
import { insertPosts, insertUsers, rng, SEOUL, tokensFor } from './support/community-seed.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const USERS = Math.max(50, Math.round(1000 * SCALE));
const POSTS = Math.max(10, Math.round(100 * SCALE));
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

const VOTE = 'mutation($t: ID!, $v: VoteValue!) { vote(targetId: $t, value: $v) { likeCount dislikeCount myVote } }';
const COUNTS = 'query($id: ID!) { node(id: $id) { ... on Post { likeCount dislikeCount } } }';

export default () => runVote({ name: 'vote', worker: false });

/** `worker`: a worker process runs beside the API, as in production, writing the LIKE notifications votes enqueue. */
export async function runVote({ name: NAME, worker: withWorker }) {
  const DB = `ww_bench_${NAME.replace(/\W/g, '_')}`;
  const env = benchEnv(NAME, { LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: process.env.BENCH_DB_POOL ?? '20' });
  await dropDatabase(NAME);
  const redis = await clearRedis(env.REDIS_PREFIX);
  const api = await startProcess('api', env);
  const worker = withWorker ? await startProcess('worker', env) : null;
  try {
    const db = await mysqlConnection(DB);
    const userIds = await insertUsers(db, USERS, 'voter');
    const tokens = await tokensFor(env, userIds);
    await insertPosts(db, POSTS, userIds, (i) => ({ lat: SEOUL.lat + (i % 10) * 0.001, lng: SEOUL.lng + Math.floor(i / 10) * 0.001 }));
    const [postRows] = await db.query('select id from posts order by id');
    const postIds = postRows.map((r) => Buffer.from(`Post:${r.id}`).toString('base64url'));
    const post = httpClient(api.url, CONNECTIONS);
    const values = ['LIKE', 'DISLIKE', 'NONE'];
    const rand = rng(3);
    // warm-up: one round of connections
    await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, i) =>
        post({ query: VOTE, variables: { t: postIds[i % POSTS], v: 'LIKE' } }, tokens[i % USERS]),
      ),
    );

    const latencies = [];
    let errors = 0;
    const errorSamples = [];
    const end = performance.now() + DURATION * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < end) {
          const token = tokens[Math.floor(rand() * USERS)];
          const variables = { t: postIds[Math.floor(rand() * POSTS)], v: values[Math.floor(rand() * 3)] };
          const t0 = performance.now();
          let body;
          try {
            body = await post({ query: VOTE, variables }, token);
          } catch (err) {
            body = { errors: [{ message: String(err) }] };
          }
          latencies.push(performance.now() - t0);
          if (body.errors) {
            errors++;
            if (errorSamples.length < 3) errorSamples.push(JSON.stringify(body.errors).slice(0, 300));
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const [[bad]] = await db.query(
      `select count(*) as n from vote_counts c left join (select target_type, target_id, sum(value = 1) as l, sum(value = -1) as d from votes group by target_type, target_id) v
         using (target_type, target_id) where c.like_count <> coalesce(v.l, 0) or c.dislike_count <> coalesce(v.d, 0)`,
    );
    const [truth] = await db.query(
      "select target_id, sum(value = 1) as l, sum(value = -1) as d from votes where target_type = 'Post' group by target_id",
    );
    const byId = new Map(truth.map((r) => [r.target_id, r]));
    let servedMismatch = 0;
    for (const r of postRows) {
      const body = await post({ query: COUNTS, variables: { id: Buffer.from(`Post:${r.id}`).toString('base64url') } });
      const t = byId.get(r.id);
      if (body.data.node.likeCount !== Number(t?.l ?? 0) || body.data.node.dislikeCount !== Number(t?.d ?? 0)) servedMismatch++;
    }
    // Redis keeps every user's vote per target (the state the Lua script serialises on): it must match the rows.
    const [rows] = await db.query("select target_id, user_id, value from votes where target_type = 'Post' and value <> 0");
    const rowVotes = new Map();
    for (const r of rows) rowVotes.set(`${r.target_id}:${r.user_id}`, Number(r.value));
    let redisStateMismatch = 0;
    for (const r of postRows) {
      const hash = await redis.hgetall(`${env.REDIS_PREFIX}vote:counts:Post:${r.id}`);
      const users = Object.entries(hash).filter(([k]) => k.startsWith('u'));
      if (users.length !== rows.filter((x) => x.target_id === r.id).length) redisStateMismatch++;
      else if (users.some(([k, v]) => rowVotes.get(`${r.id}:${k.slice(1)}`) !== Number(v))) redisStateMismatch++;
    }
    const [[dupes]] = await db.query(
      'select count(*) as n from (select 1 from votes group by target_type, target_id, user_id having count(*) > 1) x',
    );
    await db.end();
    writeResult(
      NAME,
      {
        users: USERS,
        posts: POSTS,
        connections: CONNECTIONS,
        votes_total: latencies.length,
        votes_per_s: round(latencies.length / seconds),
        p50_ms: round(percentile(latencies, 50), 2),
        p99_ms: round(percentile(latencies, 99), 2),
        errors,
        mysql_count_mismatches: Number(bad.n),
        served_count_mismatches: servedMismatch,
        redis_state_mismatches: redisStateMismatch,
        duplicate_votes: Number(dupes.n),
      },
      {
        votes_per_s: '>= 2000',
        p99_ms: '< 50',
        mysql_count_mismatches: '0',
        served_count_mismatches: '0',
        redis_state_mismatches: '0',
        duplicate_votes: '0',
      },
      [
        withWorker ? 'a worker process ran beside the API (LIKE notifications written during the load)' : '',
        SCALE !== 1 ? `BENCH_SCALE=${SCALE}` : '',
        errorSamples.length ? `errors: ${errorSamples.join(' | ')}` : '',
      ]
        .filter(Boolean)
        .join('; ') || undefined,
    );
  } finally {
    await api.stop();
    await worker?.stop();
    redis.disconnect();
  }
}
