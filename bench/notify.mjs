// Notifications: the comment mutation under load (CONNECTIONS requests in flight) with the COMMENT notification
// written inside the request (NOTIFICATIONS_MODE=inline) versus enqueued for the worker (queued). Both API processes
// run in the same run over the same database, users and posts, alternating rounds; a worker process runs throughout.
// After the load, waits for the queue to drain and checks every comment produced exactly one notification row and
// exactly one notificationAdded event to its recipient (every post author is subscribed over graphql-ws).
// BENCH_SCALE (default 1) scales the comments per round (4,000); BENCH_ROUNDS (default 2) rounds per mode.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
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
  sleep,
  startProcess,
  writeResult,
} from './lib.mjs';

const NAME = 'notify';
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const COMMENTS = Math.max(200, Math.round(4000 * SCALE));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 100;
const AUTHORS = 50;
const COMMENTERS = 200;
const POSTS_PER_AUTHOR = 2;
const DB = `ww_bench_${NAME}`;
const PREFIX = `wwb:${NAME}:`;

const CREATE_POST = 'mutation($input: CreatePostInput!) { createPost(input: $input) { id } }';
const ADD_COMMENT = 'mutation($t: ID!, $b: String!) { addComment(targetId: $t, body: $b) { id } }';
const SUB = 'subscription { notificationAdded { id kind count } }';

/** COMMENTS comments with CONNECTIONS in flight; commenter and post vary with the request index. */
async function round1(post, { commenterTokens, postIds, offset }) {
  let next = 0;
  let ok = 0;
  let errors = 0;
  const samples = [];
  const latencies = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < COMMENTS) {
        const i = next++;
        const k = offset + i;
        const t0 = performance.now();
        let body;
        try {
          body = await post(
            { query: ADD_COMMENT, variables: { t: postIds[(k * 7) % postIds.length], b: `comment ${k}` } },
            commenterTokens[k % commenterTokens.length],
          );
        } catch (err) {
          body = { errors: [{ message: String(err) }] };
        }
        latencies.push(performance.now() - t0);
        if (body.data?.addComment?.id) ok++;
        else {
          errors++;
          if (samples.length < 3) samples.push(JSON.stringify(body).slice(0, 300));
        }
      }
    }),
  );
  const ms = performance.now() - started;
  return {
    comments_per_s: round(ok / (ms / 1000)),
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    ok,
    errors,
    samples,
  };
}

export default async function notify() {
  const base = benchEnv(NAME, { DATABASE_POOL_SIZE: process.env.BENCH_DB_POOL ?? '20', LOG_LEVEL: 'warn' });
  await dropDatabase(NAME);
  const redis = await clearRedis(PREFIX);
  const inline = await startProcess('api', { ...base, NOTIFICATIONS_MODE: 'inline' });
  const queued = await startProcess('api', { ...base, NOTIFICATIONS_MODE: 'queued' });
  const worker = await startProcess('worker', { ...base, NOTIFICATIONS_MODE: 'queued' });
  // Recipients listen on a third instance, so neither API under test pays for WebSocket delivery.
  const listener = await startProcess('api', { ...base, NOTIFICATIONS_MODE: 'queued' });
  const targets = { inline: httpClient(inline.url, CONNECTIONS), queued: httpClient(queued.url, CONNECTIONS) };
  const clients = [];
  const received = new Map(); // notification id -> times received
  const runs = { inline: [], queued: [] };
  let check;
  try {
    const db = await mysqlConnection(DB);
    const now = new Date();
    const users = Array.from({ length: AUTHORS + COMMENTERS }, (_, i) => [
      `notify${i}@bench.kr`,
      `notify_${i}`,
      `notify_${i}`,
      'USER',
      now,
      now,
    ]);
    await db.query('insert into users (email, nickname, nickname_key, role, created_at, updated_at) values ?', [users]);
    const [ids] = await db.query('select id from users order by id');
    const { createAccessTokens } = await import(pathToFileURL(join(root, 'server/dist/modules/auth/access-token.js')).href);
    const signer = createAccessTokens({ JWT_SECRET: base.JWT_SECRET, ACCESS_TOKEN_TTL_SECONDS: 3600 });
    const tokens = ids.map((u) => signer.sign({ id: u.id, role: 'USER' }).token);
    const authorTokens = tokens.slice(0, AUTHORS);
    const commenterTokens = tokens.slice(AUTHORS);

    const postIds = [];
    for (const token of authorTokens) {
      for (let j = 0; j < POSTS_PER_AUTHOR; j++) {
        const { createPost } = await gql(
          queued.url,
          CREATE_POST,
          { input: { title: `Post ${postIds.length}`, body: 'Rain soon?', latitude: 37.5665 + j / 1000, longitude: 126.978 } },
          token,
        );
        postIds.push(createPost.id);
      }
    }

    // Every recipient listens (pub/sub spans instances, so both modes' notifications arrive).
    for (const token of authorTokens) {
      const client = createClient({
        url: listener.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        connectionParams: { authorization: `Bearer ${token}` },
      });
      clients.push(client);
      client.subscribe(
        { query: SUB },
        {
          next: (v) => {
            const id = v.data?.notificationAdded?.id;
            if (id) received.set(id, (received.get(id) ?? 0) + 1);
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
    }
    await sleep(1000);

    await round1(targets.inline, { commenterTokens, postIds, offset: 0 }); // warm-up both paths
    await round1(targets.queued, { commenterTokens, postIds, offset: COMMENTS });
    let offset = 2 * COMMENTS;
    for (let r = 0; r < ROUNDS; r++) {
      for (const mode of r % 2 ? ['queued', 'inline'] : ['inline', 'queued']) {
        const result = await round1(targets[mode], { commenterTokens, postIds, offset });
        offset += COMMENTS;
        console.log(`${mode} round ${r + 1}/${ROUNDS}`, JSON.stringify(result));
        runs[mode].push(result);
      }
    }

    // Delivered once: wait for the queue to drain (the notification count stops short of the comments until then).
    const loadEnded = performance.now();
    const [[{ n: comments }]] = await db.query('select count(*) as n from comments');
    let rows = -1;
    let stableSince = Date.now();
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const [[{ n }]] = await db.query("select count(*) as n from notifications where kind = 'COMMENT'");
      if (Number(n) >= Number(comments)) break;
      if (Number(n) !== rows) [rows, stableSince] = [Number(n), Date.now()];
      else if (Date.now() - stableSince > 15_000) break; // nothing more is coming
      await sleep(200);
    }
    const drainMs = Math.round(performance.now() - loadEnded);
    await sleep(2000); // late duplicates, if any, would show now
    const [[{ n: finalRows }]] = await db.query("select count(*) as n from notifications where kind = 'COMMENT'");
    const [[{ n: missing }]] = await db.query(
      "select count(*) as n from comments c left join notifications n on n.kind = 'COMMENT' and n.target_type = 'Comment' and n.target_id = c.id where n.id is null",
    );
    const [[{ n: duplicated }]] = await db.query(
      "select count(*) as n from (select target_id from notifications where kind = 'COMMENT' group by target_id having count(*) > 1) d",
    );
    const { toGlobalId } = await import(pathToFileURL(join(root, 'server/dist/app/graphql/global-id.js')).href);
    const [all] = await db.query("select id from notifications where kind = 'COMMENT'");
    const notReceived = all.filter((r) => !received.has(toGlobalId('Notification', r.id))).length;
    const receivedTwice = [...received.values()].filter((c) => c > 1).length;
    check = {
      comments: Number(comments),
      notification_rows: Number(finalRows),
      missing_rows: Number(missing),
      duplicate_rows: Number(duplicated),
      events_not_received: notReceived,
      events_received_twice: receivedTwice,
      queue_drain_after_load_ms: drainMs,
    };
    console.log('delivery', JSON.stringify(check));
    await db.end();
  } finally {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    targets.inline.close();
    targets.queued.close();
    await Promise.allSettled([inline.stop(), queued.stop(), worker.stop(), listener.stop()]);
    await redis.quit();
    await (await clearRedis(PREFIX)).quit();
    await dropDatabase(NAME);
  }
  const avg = (list, key) => round(list.reduce((s, r) => s + r[key], 0) / list.length);
  const metrics = {
    comments_per_round: COMMENTS,
    connections: CONNECTIONS,
    rounds_per_mode: ROUNDS,
    inline_comments_per_s: avg(runs.inline, 'comments_per_s'),
    inline_p50_ms: avg(runs.inline, 'p50_ms'),
    inline_p99_ms: avg(runs.inline, 'p99_ms'),
    queued_comments_per_s: avg(runs.queued, 'comments_per_s'),
    queued_p50_ms: avg(runs.queued, 'p50_ms'),
    queued_p99_ms: avg(runs.queued, 'p99_ms'),
    queued_vs_inline_throughput: round(avg(runs.queued, 'comments_per_s') / avg(runs.inline, 'comments_per_s'), 2),
    request_errors: [...runs.inline, ...runs.queued].reduce((s, r) => s + r.errors, 0),
    ...check,
  };
  writeResult(
    NAME,
    metrics,
    {
      queued_vs_inline_throughput: '>= 2',
      missing_rows: '== 0',
      duplicate_rows: '== 0',
      events_not_received: '== 0',
      events_received_twice: '== 0',
      request_errors: '== 0',
    },
    `addComment on 100 posts of ${AUTHORS} authors by ${COMMENTERS} commenters, ${CONNECTIONS} in flight, ${COMMENTS} per round, ` +
      `${ROUNDS} rounds per mode alternating after a warm-up of each; one worker process throughout (it competes for the same CPUs); BENCH_SCALE=${SCALE}`,
  );
}
