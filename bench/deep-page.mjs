// Deep paging: POSTS posts within 20 km of central Seoul; postsNear(radiusKm: 20) page 1 versus page 4,000 by keyset
// cursor (through GraphQL and as SQL), and versus LIMIT/OFFSET for reference (SQL only; the API has no offset).
// BENCH_SCALE (default 1) scales 100,000 posts (the deep page is 4,000 × SCALE); BENCH_RUNS (default 100).
import { benchEnv, clearRedis, dropDatabase, httpClient, mysqlConnection, percentile, round, startProcess, writeResult } from './lib.mjs';
import { cursorOf, insertPosts, insertUsers, rng, SEOUL, timeIt } from './support/community-seed.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const POSTS = Math.max(2_000, Math.round(100_000 * SCALE));
const DEEP_PAGE = Math.max(2, Math.round(4_000 * SCALE));
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const NAME = 'deep-page';
const DB = `ww_bench_${NAME.replace(/\W/g, '_')}`;
const RADIUS_KM = 20;

const NEAR = `query($lat: Float!, $lng: Float!, $after: String) { postsNear(latitude: $lat, longitude: $lng, radiusKm: ${RADIUS_KM}, first: 20, after: $after) { edges { node { id title distanceKm } } pageInfo { hasNextPage endCursor } } }`;

export default async function deepPage() {
  const env = benchEnv(NAME, { LOG_LEVEL: 'warn' });
  await dropDatabase(NAME);
  const redis = await clearRedis(env.REDIS_PREFIX);
  const api = await startProcess('api', env);
  try {
    const db = await mysqlConnection(DB);
    const authors = await insertUsers(db, 100, 'deep');
    const rand = rng(11);
    // Uniform in a disc of 19 km: every post matches the 20 km query.
    await insertPosts(db, POSTS, authors, () => {
      const r = 19 * Math.sqrt(rand());
      const a = 2 * Math.PI * rand();
      return {
        lat: SEOUL.lat + (r * Math.sin(a)) / 111.32,
        lng: SEOUL.lng + (r * Math.cos(a)) / (111.32 * Math.cos((SEOUL.lat * Math.PI) / 180)),
      };
    });
    // The cursor of the last row before the deep page: the (created_at, id) of row (DEEP_PAGE - 1) * 20.
    const skip = (DEEP_PAGE - 1) * 20;
    const [[edge]] = await db.query('select created_at, id from posts order by created_at desc, id desc limit 1 offset ?', [skip - 1]);
    const deepCursor = cursorOf(edge.created_at, edge.id);

    const post = httpClient(api.url, 1);
    const page = (after) => async () => {
      const body = await post({ query: NEAR, variables: { ...SEOUL, after } });
      if (body.errors || body.data.postsNear.edges.length !== 20) throw new Error(JSON.stringify(body).slice(0, 300));
    };
    // Check the deep cursor lands on the right rows.
    const check = await post({ query: NEAR, variables: { ...SEOUL, after: deepCursor } });
    const [[expected]] = await db.query('select id from posts order by created_at desc, id desc limit 1 offset ?', [skip]);
    const firstId = Number(Buffer.from(check.data.postsNear.edges[0].node.id, 'base64url').toString().split(':')[1]);
    if (firstId !== expected.id) throw new Error(`deep page starts at ${firstId}, expected ${expected.id}`);

    const g1 = await timeIt(page(null), RUNS);
    const gDeep = await timeIt(page(deepCursor), RUNS);

    const centre = `POINT(${SEOUL.lng} ${SEOUL.lat})`;
    const dLat = (RADIUS_KM / 111.32) * 1.01;
    const dLng = (RADIUS_KM / (111.32 * Math.cos(((SEOUL.lat + dLat) * Math.PI) / 180))) * 1.01;
    const box = `POLYGON((${SEOUL.lng - dLng} ${SEOUL.lat - dLat}, ${SEOUL.lng + dLng} ${SEOUL.lat - dLat}, ${SEOUL.lng + dLng} ${SEOUL.lat + dLat}, ${SEOUL.lng - dLng} ${SEOUL.lat + dLat}, ${SEOUL.lng - dLng} ${SEOUL.lat - dLat}))`;
    const base = `select p.id, p.title, p.created_at, ST_Distance_Sphere(p.location, ST_GeomFromText(?)) as d from posts p
      where MBRContains(ST_GeomFromText(?), p.location) and ST_Distance_Sphere(p.location, ST_GeomFromText(?)) <= ${RADIUS_KM * 1000}`;
    const s1 = await timeIt(() => db.query(`${base} order by p.created_at desc, p.id desc limit 21`, [centre, box, centre]), RUNS);
    const sDeep = await timeIt(
      () =>
        db.query(`${base} and (p.created_at < ? or (p.created_at = ? and p.id < ?)) order by p.created_at desc, p.id desc limit 21`, [
          centre,
          box,
          centre,
          edge.created_at,
          edge.created_at,
          edge.id,
        ]),
      RUNS,
    );
    const sOffset = await timeIt(
      () => db.query(`${base} order by p.created_at desc, p.id desc limit 21 offset ?`, [centre, box, centre, skip]),
      RUNS,
    );
    await db.end();
    const p = (xs, q) => round(percentile(xs, q), 2);
    writeResult(
      NAME,
      {
        posts: POSTS,
        deep_page: DEEP_PAGE,
        graphql_page1_p50_ms: p(g1, 50),
        graphql_page1_p99_ms: p(g1, 99),
        graphql_deep_p50_ms: p(gDeep, 50),
        graphql_deep_p99_ms: p(gDeep, 99),
        deep_over_page1_p50: round(percentile(gDeep, 50) / percentile(g1, 50), 2),
        sql_page1_p50_ms: p(s1, 50),
        sql_deep_cursor_p50_ms: p(sDeep, 50),
        sql_deep_offset_p50_ms: p(sOffset, 50),
        sql_deep_cursor_over_page1_p50: round(percentile(sDeep, 50) / percentile(s1, 50), 2),
      },
      { deep_over_page1_p50: '<= 1.2' },
      SCALE !== 1 ? `BENCH_SCALE=${SCALE}` : undefined,
    );
  } finally {
    await api.stop();
    redis.disconnect();
  }
}
