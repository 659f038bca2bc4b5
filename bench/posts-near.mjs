// postsNear: POSTS posts spread over Korea (a third around Seoul), a 5 km query in central Seoul, first page of 20.
// Reports p50/p99 of the SQL with the spatial index, the same SQL without it (IGNORE INDEX: the optimizer's next best
// plan) and as a forced full scan, and end to end through GraphQL. BENCH_SCALE (default 1) scales 1,000,000 posts;
// BENCH_RUNS (default 200) queries per variant.
import { benchEnv, clearRedis, dropDatabase, httpClient, mysqlConnection, percentile, round, startProcess, writeResult } from './lib.mjs';
import { insertPosts, insertUsers, rng, SEOUL, timeIt } from './support/community-seed.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const POSTS = Math.max(10_000, Math.round(1_000_000 * SCALE));
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const NAME = 'posts-near';
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

    const centre = `POINT(${SEOUL.lng} ${SEOUL.lat})`;
    const dLat = (5 / 111.32) * 1.01;
    const dLng = (5 / (111.32 * Math.cos(((SEOUL.lat + dLat) * Math.PI) / 180))) * 1.01;
    const box = `POLYGON((${SEOUL.lng - dLng} ${SEOUL.lat - dLat}, ${SEOUL.lng + dLng} ${SEOUL.lat - dLat}, ${SEOUL.lng + dLng} ${SEOUL.lat + dLat}, ${SEOUL.lng - dLng} ${SEOUL.lat + dLat}, ${SEOUL.lng - dLng} ${SEOUL.lat - dLat}))`;
    const sql = (hint) => `select p.id, p.author_id, p.title, p.created_at, ST_Distance_Sphere(p.location, ST_GeomFromText(?)) as d
      from posts p ${hint} where MBRContains(ST_GeomFromText(?), p.location) and ST_Distance_Sphere(p.location, ST_GeomFromText(?)) <= 5000
      order by p.created_at desc, p.id desc limit 21`;
    const run = (hint) => () => db.query(sql(hint), [centre, box, centre]);
    const [[{ inCircle }]] = await db.query(
      'select count(*) as inCircle from posts p where MBRContains(ST_GeomFromText(?), p.location) and ST_Distance_Sphere(p.location, ST_GeomFromText(?)) <= 5000',
      [box, centre],
    );
    const [plan] = await db.query(`explain ${sql('')}`, [centre, box, centre]);
    const indexed = await timeIt(run(''), RUNS);
    const noSpatial = await timeIt(run('ignore index (posts_location_sidx)'), Math.max(10, Math.round(RUNS / 10)), 1);
    const scan = await timeIt(run('ignore index (posts_location_sidx, posts_created_idx)'), Math.max(10, Math.round(RUNS / 10)), 1);
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
        plan_key: plan[0]?.key ?? null,
        sql_indexed_p50_ms: p(indexed, 50),
        sql_indexed_p99_ms: p(indexed, 99),
        sql_no_spatial_index_p50_ms: p(noSpatial, 50),
        sql_no_spatial_index_p99_ms: p(noSpatial, 99),
        sql_full_scan_p50_ms: p(scan, 50),
        sql_full_scan_p99_ms: p(scan, 99),
        speedup_vs_full_scan_p50: round(percentile(scan, 50) / percentile(indexed, 50)),
        speedup_vs_no_spatial_index_p50: round(percentile(noSpatial, 50) / percentile(indexed, 50)),
        graphql_p50_ms: p(e2e, 50),
        graphql_p99_ms: p(e2e, 99),
      },
      { sql_indexed_p99_ms: '< 20', speedup_vs_full_scan_p50: '>= 50', load_seconds: '< 120 (at 1,000,000 posts)' },
      SCALE !== 1 ? `BENCH_SCALE=${SCALE}` : undefined,
    );
  } finally {
    await api.stop();
    redis.disconnect();
  }
}
