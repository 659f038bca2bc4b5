// Chat fan-out: two API instances, SUBSCRIBERS graphql-ws subscribers to one room split across them, a sender posting
// RATE messages/s for DURATION s (alternating instances). Reports send → receive latency p50/p99 over every delivery,
// lost deliveries and out-of-order deliveries (both must be 0), then steps the rate up (STEP_SECONDS per step) and
// reports the highest rate whose p99 stays under 100 ms with nothing lost, and always the figures at 40 messages/s
// (p99_ms_at_40, issue 16's comparison point; BENCH_RATE=40 makes it the main run).
// BENCH_SCALE (default 1) scales subscribers (1,000) and durations (30 s, 10 s per step, at least 3 s).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Redis } from 'ioredis';
import { benchEnv, dropDatabase, mysqlConnection, percentile, REDIS_URL, root, round, sleep, startProcess, writeResult } from './lib.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SUBSCRIBERS = Math.max(10, Math.round(1000 * SCALE));
const RATE = Number(process.env.BENCH_RATE ?? 20);
const DURATION = Math.max(3, Math.round(Number(process.env.BENCH_DURATION ?? 30) * SCALE));
const STEP_SECONDS = Math.max(3, Math.round(Number(process.env.BENCH_STEP_SECONDS ?? 10) * SCALE));
const MAX_RATE = Number(process.env.BENCH_MAX_RATE ?? 640);
const AT_RATE = 40;
const NAME = 'chat-fanout';
const DB = `ww_bench_${NAME.replace(/\W/g, '_')}`;
const PREFIX = `wwb:${NAME}:`;
const SEND = 'mutation($r: ID!, $b: String!) { sendMessage(roomId: $r, body: $b) { seq } }';
const SUB = 'subscription($r: ID!) { chatMessageAdded(roomId: $r) { seq body } }';

export default async function chatFanout() {
  const env = benchEnv(NAME, { LOG_LEVEL: 'warn', CHAT_RATE_LIMIT_MESSAGES: '100000000', CHAT_RATE_LIMIT_WINDOW_SECONDS: '1' });
  await dropDatabase(NAME);
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();

  const a = await startProcess('api', env); // runs the migrations
  const b = await startProcess('api', env);
  const clients = [];
  try {
    const db = await mysqlConnection(DB);
    const now = new Date();
    await db.query('insert into users (email, nickname, nickname_key, role, created_at, updated_at) values (?, ?, ?, ?, ?, ?)', [
      'sender@bench.kr',
      'sender',
      'sender',
      'USER',
      now,
      now,
    ]);
    const [[user]] = await db.query('select id, role from users where email = ?', ['sender@bench.kr']);
    await db.query(
      "insert into chat_rooms (province, title, status, opened_at, created_at, updated_at) values ('SEOUL', 'bench', 'OPEN', ?, ?, ?)",
      [now, now, now],
    );
    const [[roomRow]] = await db.query("select id from chat_rooms where province = 'SEOUL'");
    await db.end();
    const { createAccessTokens } = await import(pathToFileURL(join(root, 'server/dist/modules/auth/access-token.js')).href);
    const { toGlobalId } = await import(pathToFileURL(join(root, 'server/dist/app/graphql/global-id.js')).href);
    const token = createAccessTokens({ JWT_SECRET: env.JWT_SECRET, ACCESS_TOKEN_TTL_SECONDS: 3600 }).sign({
      id: user.id,
      role: user.role,
    }).token;
    const roomId = toGlobalId('ChatRoom', roomRow.id);

    // Subscribers, half on each instance. Each records per-delivery latency and ordering.
    let window = null; // { latencies, received, outOfOrder, sent: Map<seq,...> }
    const subs = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const api = i % 2 === 0 ? a : b;
      const client = createClient({ url: api.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
      clients.push(client);
      const sub = { last: 0 };
      subs.push(sub);
      client.subscribe(
        { query: SUB, variables: { r: roomId } },
        {
          next: ({ data }) => {
            const m = data?.chatMessageAdded;
            if (!m) return;
            const at = performance.timeOrigin + performance.now();
            if (m.seq <= sub.last) window && window.outOfOrder++;
            sub.last = Math.max(sub.last, m.seq);
            if (!window) return;
            const sentAt = Number(m.body.split('|')[1]);
            window.latencies.push(at - sentAt);
            window.received++;
          },
          error: (err) => console.error('subscription error', err),
          complete: () => undefined,
        },
      );
      if (i % 100 === 99) await sleep(50);
    }
    await sleep(1500 + SUBSCRIBERS * 2);

    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const post = (url, body) =>
      new Promise((resolve, reject) => {
        const data = Buffer.from(JSON.stringify(body));
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': data.length, authorization: `Bearer ${token}` },
          },
          (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          },
        );
        req.on('error', reject);
        req.end(data);
      });

    /** Sends `rate` messages/s for `seconds` (open loop), waits for deliveries, returns the figures. */
    const run = async (rate, seconds) => {
      window = { latencies: [], received: 0, outOfOrder: 0 };
      const total = rate * seconds;
      const started = performance.now();
      const sends = [];
      let sendErrors = 0;
      for (let i = 0; i < total; i++) {
        const due = started + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        const api = i % 2 === 0 ? a : b;
        const body = `m${i}|${performance.timeOrigin + performance.now()}`;
        sends.push(
          post(api.url, { query: SEND, variables: { r: roomId, b: body } }).then(
            (r) => r.errors && sendErrors++,
            () => sendErrors++,
          ),
        );
      }
      await Promise.all(sends);
      const expected = (total - sendErrors) * SUBSCRIBERS;
      const deadline = Date.now() + 10_000;
      while (window.received < expected && Date.now() < deadline) await sleep(100);
      await sleep(300);
      const w = window;
      window = null;
      return {
        rate,
        messages: total,
        deliveries_per_s: round((total * SUBSCRIBERS) / seconds, 0),
        p50_ms: round(percentile(w.latencies, 50)),
        p99_ms: round(percentile(w.latencies, 99)),
        lost: Math.max(0, expected - w.received),
        out_of_order: w.outOfOrder,
        send_errors: sendErrors,
      };
    };

    const main = await run(RATE, DURATION);
    const steps = [];
    let best = main.p99_ms < 100 && main.lost === 0 ? RATE : 0;
    for (let rate = RATE * 2; rate <= MAX_RATE; rate *= 2) {
      const step = await run(rate, STEP_SECONDS);
      steps.push(step);
      if (step.p99_ms >= 100 || step.lost > 0 || step.send_errors > 0) break;
      best = rate;
    }
    // Issue 16 compares releases at 40 messages/s: measured even when the step-up stopped before it or skipped it.
    const at40 = [main, ...steps].find((s) => s.rate === AT_RATE) ?? (await run(AT_RATE, STEP_SECONDS));
    if (!steps.includes(at40) && at40 !== main) steps.push(at40);
    writeResult(
      NAME,
      {
        subscribers: SUBSCRIBERS,
        rate_msgs_per_s: RATE,
        duration_s: DURATION,
        deliveries_per_s: main.deliveries_per_s,
        p50_ms: main.p50_ms,
        p99_ms: main.p99_ms,
        lost: main.lost,
        out_of_order: main.out_of_order,
        send_errors: main.send_errors,
        max_rate_p99_under_100ms: best,
        p50_ms_at_40: at40.p50_ms,
        p99_ms_at_40: at40.p99_ms,
        lost_at_40: at40.lost,
        steps: steps.map((s) => `${s.rate}/s: p50 ${s.p50_ms} p99 ${s.p99_ms} lost ${s.lost} ooo ${s.out_of_order}`).join('; '),
      },
      { p99_ms: `< 100 at ${RATE} messages/s`, lost: 0, out_of_order: 0, p99_ms_at_40: '< 100', lost_at_40: 0 },
      `BENCH_SCALE=${SCALE}; latency measured in the bench process (same clock), which also hosts every subscriber socket`,
    );
  } finally {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await Promise.allSettled([a.stop(), b.stop()]);
  }
}
