// postsNear: POSTS posts spread over Korea (a third around Seoul), a 5 km query in central Seoul, first page of 20.
// Reports p50/p99 of the server's own statements run as PostStore.near runs them (newest rows first, then the
// spatial index), of the spatial-index statement alone, of that statement without the spatial index (IGNORE INDEX: the
// optimizer's next best plan) and as a forced full scan, of a sparse point (the spatial-index plan), and end to end
// through GraphQL. BENCH_SCALE (default 1) scales 1,000,000 posts; BENCH_RUNS (default 200) queries per variant.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  benchEnv,
  clearRedis,
  dropDatabase,
  httpClient,
  mysqlConnection,
  percentile,
  root,
  round,
  startProcess,
  writeResult,
} from './lib.mjs';
import { insertPosts, insertUsers, rng, SEOUL, timeIt } from './support/community-seed.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const POSTS = Math.max(10_000, Math.round(1_000_000 * SCALE));
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const NAME = 'posts-near';
const RECENT_ROWS = Number(process.env.POSTS_NEAR_RECENT_ROWS ?? 5000); // the API's default
const SPARSE = { lat: 36.9, lng: 128.9 }; // North Gyeongsang hills: only the uniform background
const DB = `ww_bench_${NAME.replace(/\W/g, '_')}`;

const NEAR = `query($lat: Float!, $lng: Float!) { postsNear(latitude: $lat, longitude: $lng, first: 20) { edges { node { id title distanceKm likeCount commentCount author { nickname } } } } }`;

export default async function postsNear() {
  const env = benchEnv(NAME, { LOG_LEVEL: 'warn' });
  await dropDatabase(NAME);
  const redis = await clearRedis(env.REDIS_PREFIX);
  const api = await startProcess('api', env); // migrates the database
  try {
    const db = await mysqlConnection(DB);
    const authors = await insertUsers(db, 1000, 'near');
    const rand = rng(7);
    const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand());
    const t0 = performance.now();
    await insertPosts(db, POSTS, authors, (i) =>
      i % 3 === 0
        ? { lat: SEOUL.lat + gauss() * 0.3, lng: SEOUL.lng + gauss() * 0.3 }
        : { lat: 34.0 + rand() * 4.3, lng: 126.1 + rand() * 3.3 },
    );
    const loadS = (performance.now() - t0) / 1000;

    // The server's own statements (server/dist), run the way PostStore.near runs them.
    const { nearStatements } = await import(pathToFileURL(join(root, 'server/dist/modules/posts/posts.store.js')).href);
    const statements = (at) =>
      nearStatements({ latitude: at.lat, longitude: at.lng, radiusKm: 5, limit: 21, cursor: null, recentRows: RECENT_ROWS });
    let plans = { recent: 0, spatial: 0 };
    const servicePlan = (at) => async () => {
      const { recent, spatial } = statements(at);
      const [rows] = recent ? await db.query(recent.sql, recent.params) : [[]];
      if (rows.length === 21) return void plans.recent++;
      plans.spatial++;
      await db.query(spatial.sql, spatial.params);
    };
    const spatialWith = (hint) => async () => {
      const { spatial } = statements(SEOUL);
      await db.query(spatial.sql.replace('from posts p', `from posts p ${hint}`), spatial.params);
    };
    const { spatial: seoulSpatial } = statements(SEOUL);
    const [[{ inCircle }]] = await db.query(
      `select count(*) as inCircle from (${seoulSpatial.sql.replace(/limit \?$/, '')}) t`,
      seoulSpatial.params.slice(0, -1),
    );
    const [plan] = await db.query(`explain ${seoulSpatial.sql}`, seoulSpatial.params);
    const near = await timeIt(servicePlan(SEOUL), RUNS);
    const nearPlans = plans;
    plans = { recent: 0, spatial: 0 };
    const sparse = await timeIt(servicePlan(SPARSE), RUNS);
    const sparsePlans = plans;
    const spatialOnly = await timeIt(spatialWith(''), RUNS);
    const noSpatial = await timeIt(spatialWith('ignore index (posts_location_sidx)'), Math.max(10, Math.round(RUNS / 10)), 1);
    const scan = await timeIt(spatialWith('ignore index (posts_location_sidx, posts_created_idx)'), Math.max(10, Math.round(RUNS / 10)), 1);
    const post = httpClient(api.url, 1);
    const e2e = await timeIt(async () => {
      const body = await post({ query: NEAR, variables: SEOUL });
      if (body.errors || body.data.postsNear.edges.length !== 20) throw new Error(JSON.stringify(body).slice(0, 300));
    }, RUNS);
    await db.end();
    const p = (xs, q) => round(percentile(xs, q), 2);
    writeResult(
      NAME,
      {
        posts: POSTS,
        load_seconds: round(loadS),
        posts_in_circle: Number(inCircle),
        spatial_plan_key: plan[0]?.key ?? null,
        near_plan_used: nearPlans.recent === RUNS + 5 ? 'recent rows' : JSON.stringify(nearPlans),
        sql_near_p50_ms: p(near, 50),
        sql_near_p99_ms: p(near, 99),
        sql_spatial_index_only_p50_ms: p(spatialOnly, 50),
        sql_spatial_index_only_p99_ms: p(spatialOnly, 99),
        sql_no_spatial_index_p50_ms: p(noSpatial, 50),
        sql_full_scan_p50_ms: p(scan, 50),
        sql_full_scan_p99_ms: p(scan, 99),
        speedup_vs_full_scan_p50: round(percentile(scan, 50) / percentile(near, 50)),
        spatial_index_only_speedup_vs_full_scan_p50: round(percentile(scan, 50) / percentile(spatialOnly, 50)),
        sparse_plan_used: sparsePlans.spatial === RUNS + 5 ? 'spatial index' : JSON.stringify(sparsePlans),
        sql_sparse_p50_ms: p(sparse, 50),
        sql_sparse_p99_ms: p(sparse, 99),
        graphql_p50_ms: p(e2e, 50),
        graphql_p99_ms: p(e2e, 99),
      },
      { sql_near_p99_ms: '< 20', speedup_vs_full_scan_p50: '>= 50', load_seconds: '< 120 (at 1,000,000 posts)' },
      SCALE !== 1 ? `BENCH_SCALE=${SCALE}` : undefined,
    );
  } finally {
    await api.stop();
    redis.disconnect();
  }
}
