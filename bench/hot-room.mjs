// Hot room (issue 16): two API instances, SUBSCRIBERS graphql-ws subscribers to one room split across them, all in
// this process with one WebSocket each (bench/support/room-fleet.mjs), a sender posting RATE messages/s for DURATION s
// (alternating instances). Reports:
// - delivery latency p50/p99 over every delivery, lost, out of order, duplicates;
// - API RSS per idle subscriber: VmRSS of both instances before the sockets connect and once all are subscribed and
//   idle, delta ÷ sockets;
// - the rate step-up (STEP_SECONDS per step, doubling) and the highest rate with p99 < 200 ms and nothing lost;
// - two restart rounds with the load running, SIGTERM then SIGKILL of the instance holding half the subscribers: they
//   reconnect to the other with jittered back-off, resume with afterSeq, and every one must end with every seq;
//   reconnect+resume time p50/p99 (socket closed → first message after resubscribing, and → caught up);
// - the anchor: a bare `ws` server (bench/support/bare-ws.mjs) broadcasting the same frames at the same rates to the
//   same number of sockets from one process, measured by this same process.
// BENCH_SCALE (default 1) scales subscribers (10,000) and durations (60 s, 10 s per step, at least 3 s);
// BENCH_SUBSCRIBERS, BENCH_RATE, BENCH_DURATION, BENCH_STEP_SECONDS, BENCH_MAX_RATE override; BENCH_RECONNECT_JITTER_MS
// (default 1000) spreads the first reconnect; BENCH_LOG_LEVEL / BENCH_LOG_DIR keep the API logs.
// One process holds every subscriber socket: `ulimit -n` must exceed SUBSCRIBERS (checked below; this machine's soft and
// hard limit is 20,000, enough for 10,000, and it cannot be raised without privileges the sandbox lacks).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  benchEnv,
  clearRedis,
  cpuSeconds,
  dropDatabase,
  freePort,
  httpClient,
  openFilesLimit,
  percentile,
  root,
  round,
  rssKb,
  sleep,
  startProcess,
  writeResult,
} from './lib.mjs';
import { seedChatRoom } from './support/chat-room.mjs';
import { PacedSender } from './support/paced-sender.mjs';
import { Phase, RoomFleet } from './support/room-fleet.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? Math.max(10, Math.round(10_000 * SCALE)));
const RATE = Number(process.env.BENCH_RATE ?? 5);
const DURATION = Math.max(3, Math.round(Number(process.env.BENCH_DURATION ?? 60) * SCALE));
const STEP_SECONDS = Math.max(3, Math.round(Number(process.env.BENCH_STEP_SECONDS ?? 10) * SCALE));
const MAX_RATE = Number(process.env.BENCH_MAX_RATE ?? 640);
const P99_LIMIT_MS = 200;
const KB_LIMIT = 30;
const RESUME_LIMIT_MS = 10_000;
const DRAIN_MS = 10_000; // a delivery later than this after the last send counts as lost
const RESUME_DEADLINE_MS = 60_000;
const BEFORE_KILL_MS = 3000;
const AFTER_RESUME_MS = 2000;
const IDLE_MS = 3000;
const JITTER_MS = Number(process.env.BENCH_RECONNECT_JITTER_MS ?? 1000); // first reconnect after 0..JITTER_MS
const NAME = 'hot-room';
const DB = `ww_bench_${NAME.replace(/\W/g, '_')}`;
const PREFIX = `wwb:${NAME}:`;
const SEND = 'mutation($r: ID!, $b: String!, $c: String) { sendMessage(roomId: $r, body: $b, clientMessageId: $c) { seq } }';

const mb = (kb) => round(kb / 1024, 1);
const ms = (v) => round(v, 1);

export default async function hotRoom() {
  const fdLimit = openFilesLimit();
  if (fdLimit < SUBSCRIBERS + 1000) {
    throw new Error(`ulimit -n is ${fdLimit}: this process holds ${SUBSCRIBERS} sockets; raise it (ulimit -n ${SUBSCRIBERS + 1000}) first`);
  }
  const env = benchEnv(NAME, {
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    CHAT_RATE_LIMIT_MESSAGES: '100000000',
    CHAT_RATE_LIMIT_WINDOW_SECONDS: '1',
  });
  await dropDatabase(NAME);
  await (await clearRedis(PREFIX)).quit();

  const apis = [await startProcess('api', env)]; // the first runs the migrations
  apis.push(await startProcess('api', env));
  const { token, roomId } = await seedChatRoom(DB, env.JWT_SECRET);
  const apiTarget = (url) => {
    const post = httpClient(url, 32);
    const send = async (body, clientMessageId) => {
      const r = await post({ query: SEND, variables: { r: roomId, b: body, c: clientMessageId } }, token);
      if (!r.data?.sendMessage) throw new Error(JSON.stringify(r.errors ?? r));
      return r.data.sendMessage.seq;
    };
    send.close = post.close;
    return send;
  };
  const targets = apis.map((api) => apiTarget(api.url));
  let fleet = null;
  let anchor = null;
  try {
    // Two messages before anyone subscribes (warms both instances up); subscribers then open the room as a client
    // that has loaded it: afterSeq = the last seq on the page.
    const warmup = new PacedSender(targets, { confirm: () => undefined }, 'warm');
    await warmup.send(0);
    await warmup.send(1);
    const afterSeq = Math.max(...warmup.bodies.keys());
    fleet = new RoomFleet({
      urls: apis.map((a) => a.url.replace(/^http/, 'ws')),
      roomId,
      size: SUBSCRIBERS,
      afterSeq,
      jitterMs: JITTER_MS,
    });
    const sender = new PacedSender(targets, fleet, 'hot');
    const pids = () => apis.map((a) => a.child.pid);

    const idle = await idleMemory(fleet, sender, pids);
    console.log(`${SUBSCRIBERS} subscribers connected in ${idle.connect_s} s; ${idle.kb_per_socket} KB per idle subscriber`);

    const main = await measure(fleet, sender, pids, RATE, DURATION);
    console.log(`main ${RATE}/s: ${describe(main)}`);
    const { steps, best } = await stepUp(fleet, sender, pids, main, P99_LIMIT_MS);

    // Restart rounds: SIGTERM the second instance, restart it, send its subscribers home, SIGKILL the first.
    const restart = async (i) => {
      apis[i] = await startProcess('api', { ...env, PORT: String(apis[i].port) });
      targets[i].close();
      targets[i] = apiTarget(apis[i].url);
    };
    const kill = (i, signal) => async () => {
      const closes = fleet.spread()[i];
      const started = performance.now();
      const exited = new Promise((resolve) =>
        apis[i].child.once('exit', (code, sig) => resolve({ ms: performance.now() - started, code, sig })),
      );
      apis[i].child.kill(signal);
      return { closes, exited };
    };
    const sigterm = await disrupt(fleet, sender, 'SIGTERM', kill(1, 'SIGTERM'));
    console.log(`SIGTERM round: ${describeRound(sigterm)}`);
    await restart(1);
    const rebalance = await disrupt(fleet, sender, 'rebalance', async () => ({ closes: fleet.sendHome(1), exited: null }));
    console.log(`back home: ${describeRound(rebalance)}`);
    const sigkill = await disrupt(fleet, sender, 'SIGKILL', kill(0, 'SIGKILL'));
    console.log(`SIGKILL round: ${describeRound(sigkill)}`);
    const rounds = [sigterm, rebalance, sigkill];
    const finalSeq = fleet.confirmedSeq;
    const everyone = { caught_up: fleet.caughtUp(finalSeq), missing: fleet.missingUpTo(finalSeq) };
    const phantoms = [...fleet.bodies].filter(([seq, body]) => sender.bodies.has(seq) && sender.bodies.get(seq) !== body).length;
    const sendStats = { retries: sender.retries, errors: sender.errors, first_error: sender.firstError };
    const fleetCounters = { ...fleet.counters, first_error: fleet.firstError, conflicting_seqs: fleet.conflictingSeqs.size, phantoms };
    await fleet.close();
    fleet = null;
    await Promise.allSettled(apis.map((a) => a.stop()));

    // The anchor, after the API instances are gone: same sockets, same frames, same rates, one bare `ws` process.
    anchor = await startAnchor();
    const anchorFleet = new RoomFleet({ urls: [anchor.ws], roomId, size: SUBSCRIBERS, afterSeq: 0 });
    fleet = anchorFleet;
    const post = httpClient(anchor.send, 32);
    const anchorSender = new PacedSender([async (body) => (await post({ body })).seq], anchorFleet, 'anchor');
    const anchorPids = () => [anchor.child.pid];
    const anchorIdle = await idleMemory(anchorFleet, anchorSender, anchorPids);
    const anchorMain = await measure(anchorFleet, anchorSender, anchorPids, RATE, DURATION);
    console.log(`anchor ${RATE}/s: ${describe(anchorMain)}`);
    const anchorSteps = [];
    for (const step of steps) {
      anchorSteps.push(await measure(anchorFleet, anchorSender, anchorPids, step.rate, STEP_SECONDS));
      console.log(`anchor ${step.rate}/s: ${describe(anchorSteps.at(-1))}`);
    }
    post.close();

    const restartLost = sigterm.lost + rebalance.lost + sigkill.lost + everyone.missing;
    const resumeP99 = Math.max(sigterm.resume_p99_ms, sigkill.resume_p99_ms);
    const metrics = {
      subscribers: SUBSCRIBERS,
      rate_msgs_per_s: RATE,
      duration_s: DURATION,
      connect_s: idle.connect_s,
      deliveries_per_s: main.deliveries_per_s,
      p50_ms: main.p50_ms,
      p99_ms: main.p99_ms,
      lost: main.lost,
      out_of_order: main.out_of_order,
      duplicates: main.duplicates,
      send_errors: main.send_errors,
      cpu_pct: `api ${main.cpu_api_pct} + load ${main.cpu_load_pct} (of 200)`,
      kb_per_idle_subscriber: idle.kb_per_socket,
      api_rss_mb: `${idle.rss_before_mb} → ${idle.rss_after_mb}`,
      max_rate_p99_under_200ms: best,
      steps: steps.map((s) => `${s.rate}/s: ${describe(s)}`).join('; '),
      restart_lost: restartLost,
      restart_duplicates: sigterm.duplicates + rebalance.duplicates + sigkill.duplicates,
      restart_out_of_order: sigterm.out_of_order + rebalance.out_of_order + sigkill.out_of_order,
      reloads: sigterm.reloads + rebalance.reloads + sigkill.reloads,
      resume_p99_ms: resumeP99,
      sigterm: describeRound(sigterm),
      sigkill: describeRound(sigkill),
      rebalance: describeRound(rebalance),
      subscribers_with_every_seq: `${everyone.caught_up} of ${SUBSCRIBERS} (seq ${finalSeq})`,
      anchor_p50_ms: anchorMain.p50_ms,
      anchor_p99_ms: anchorMain.p99_ms,
      anchor_lost: anchorMain.lost,
      anchor_kb_per_socket: anchorIdle.kb_per_socket,
      anchor_steps: anchorSteps.map((s) => `${s.rate}/s: ${describe(s)}`).join('; '),
    };
    const goal = {
      p99_ms: `< ${P99_LIMIT_MS}`,
      lost: 0,
      out_of_order: 0,
      kb_per_idle_subscriber: `<= ${KB_LIMIT}`,
      restart_lost: 0,
      reloads: 0,
      resume_p99_ms: `< ${RESUME_LIMIT_MS}`,
    };
    const details = {
      idle,
      main,
      steps,
      rounds,
      everyone,
      send: sendStats,
      fleet: fleetCounters,
      anchor: { idle: anchorIdle, main: anchorMain, steps: anchorSteps },
    };
    writeResult(
      NAME,
      metrics,
      goal,
      `BENCH_SCALE=${SCALE}; latency measured in the bench process (same clock), which also hosts every subscriber socket and shares the 2 cores with both API instances; anonymous subscribers; deliveries later than ${DRAIN_MS / 1000} s count as lost`,
      details,
    );
    printGoals([
      [`hot-room p99 < ${P99_LIMIT_MS} ms at ${RATE} msg/s`, main.p99_ms < P99_LIMIT_MS, `${main.p99_ms} ms`],
      [
        'nothing lost, nothing out of order',
        main.lost === 0 && main.out_of_order === 0,
        `lost ${main.lost}, out of order ${main.out_of_order}`,
      ],
      [`≤ ${KB_LIMIT} KB per idle subscriber`, idle.kb_per_socket <= KB_LIMIT, `${idle.kb_per_socket} KB`],
      ['0 lost across both restarts', restartLost === 0 && metrics.reloads === 0, `lost ${restartLost}, reloads ${metrics.reloads}`],
      [`resume p99 < ${RESUME_LIMIT_MS / 1000} s`, resumeP99 < RESUME_LIMIT_MS, `${resumeP99} ms`],
    ]);
  } finally {
    await fleet?.close();
    targets.forEach((t) => t.close());
    await Promise.allSettled(apis.map((a) => a.stop()));
    if (anchor) await anchor.stop();
    await dropDatabase(NAME);
    await (await clearRedis(PREFIX)).quit();
  }
}

/** Server RSS before the sockets connect and once all are subscribed (a message reached each) and idle. */
async function idleMemory(fleet, sender, pids) {
  const before = sum(pids().map(rssKb));
  const started = performance.now();
  await fleet.connectAll();
  // Every subscriber has sent its subscribe; one message reaching all of them says the server has them all.
  await sender.send(sender.count++);
  const deadline = Date.now() + 60_000 + 20 * fleet.subs.length;
  while (fleet.caughtUp(fleet.confirmedSeq) < fleet.subs.length && Date.now() < deadline) await sleep(100);
  const connectS = round((performance.now() - started) / 1000, 1);
  const subscribed = fleet.caughtUp(fleet.confirmedSeq);
  await sleep(IDLE_MS);
  const after = sum(pids().map(rssKb));
  return {
    connect_s: connectS,
    subscribed,
    rss_before_mb: mb(before),
    rss_after_mb: mb(after),
    kb_per_socket: round((after - before) / fleet.subs.length, 1),
  };
}

/** Sends `rate`/s for `seconds`, waits for the deliveries, and answers the window's figures. */
async function measure(fleet, sender, pids, rate, seconds) {
  const base = mark(fleet, sender);
  const cpu0 = { api: sum(pids().map(cpuSeconds)), load: process.cpuUsage(), at: performance.now() };
  fleet.phase = new Phase();
  await sender.pace(rate, seconds);
  const cpu1 = { api: sum(pids().map(cpuSeconds)), load: process.cpuUsage(cpu0.load), at: performance.now() };
  await drain(fleet, base.missing);
  const phase = fleet.phase;
  fleet.phase = null;
  const wall = (cpu1.at - cpu0.at) / 1000;
  return {
    rate,
    seconds,
    ...figures(fleet, sender, base, phase),
    deliveries_per_s: round(phase.delivered / seconds, 0),
    cpu_api_pct: round(((cpu1.api - cpu0.api) / wall) * 100, 0),
    cpu_load_pct: round(((cpu1.load.user + cpu1.load.system) / 1e6 / wall) * 100, 0),
  };
}

async function stepUp(fleet, sender, pids, main, limit) {
  const steps = [];
  let best = passes(main, limit) ? main.rate : 0;
  for (let rate = main.rate * 2; rate <= MAX_RATE; rate *= 2) {
    const step = await measure(fleet, sender, pids, rate, STEP_SECONDS);
    steps.push(step);
    console.log(`step ${rate}/s: ${describe(step)}`);
    if (!passes(step, limit)) break;
    best = rate;
  }
  return { steps, best };
}

const passes = (s, limit) => s.p99_ms < limit && s.lost === 0 && s.send_errors === 0;

/**
 * With RATE/s being sent: `act` disrupts (kills an instance, moves subscribers) and says how many sockets it closes;
 * waits until they have all closed and every subscriber has caught up again (or RESUME_DEADLINE_MS), then answers
 * lost/duplicates and the reconnect+resume times of those sockets.
 */
async function disrupt(fleet, sender, label, act) {
  const base = mark(fleet, sender);
  fleet.phase = new Phase();
  const pacing = sender.pace(RATE);
  await sleep(BEFORE_KILL_MS);
  const started = performance.now();
  const { closes, exited } = await act();
  const closedSince = () => sum(Object.values(fleet.closeCodes)) - base.closes;
  while (performance.now() - started < RESUME_DEADLINE_MS && (closedSince() < closes || fleet.resuming() > 0)) await sleep(50);
  const settledMs = performance.now() - started;
  await sleep(AFTER_RESUME_MS);
  sender.stop();
  await pacing;
  await drain(fleet, base.missing);
  const phase = fleet.phase;
  fleet.phase = null;
  const exit = exited ? await Promise.race([exited, sleep(30_000).then(() => null)]) : null;
  const first = fleet.resumeFirst.slice(base.resumes.first);
  const caughtUp = fleet.resumeCaughtUp.slice(base.resumes.caughtUp);
  const afterWait = fleet.resumeAfterWait.slice(base.resumes.afterWait);
  const codes = Object.fromEntries(
    Object.entries(fleet.closeCodes)
      .map(([code, n]) => [code, n - (base.codes[code] ?? 0)])
      .filter(([, n]) => n > 0),
  );
  return {
    label,
    sockets: closes,
    close_codes: codes,
    reconnect_attempts: fleet.counters.reconnects - base.counters.reconnects,
    failed_attempts: fleet.counters.failed_attempts - base.counters.failed_attempts,
    resumed: caughtUp.length,
    still_resuming: fleet.resuming(),
    settled_ms: ms(settledMs),
    resume_first_p50_ms: ms(percentile(first, 50)),
    resume_first_p99_ms: ms(percentile(first, 99)),
    resume_p50_ms: ms(percentile(caughtUp, 50)),
    resume_p99_ms: ms(percentile(caughtUp, 99)),
    resume_max_ms: ms(caughtUp.length ? Math.max(...caughtUp) : 0),
    resume_after_wait_p50_ms: ms(percentile(afterWait, 50)),
    resume_after_wait_p99_ms: ms(percentile(afterWait, 99)),
    ...figures(fleet, sender, base, phase),
    instance_exit: exit ? { ms: ms(exit.ms), code: exit.code, signal: exit.sig } : null,
  };
}

function mark(fleet, sender) {
  return {
    missing: fleet.missingUpTo(fleet.confirmedSeq),
    counters: { ...fleet.counters },
    codes: { ...fleet.closeCodes },
    closes: sum(Object.values(fleet.closeCodes)),
    resumes: { first: fleet.resumeFirst.length, caughtUp: fleet.resumeCaughtUp.length, afterWait: fleet.resumeAfterWait.length },
    sent: sender.count,
    sendErrors: sender.errors,
    retries: sender.retries,
  };
}

/** Waits until every subscriber has every confirmed seq (nothing more missing than at `baseline`), DRAIN_MS at most. */
async function drain(fleet, baseline) {
  const deadline = performance.now() + DRAIN_MS;
  while (fleet.missingUpTo(fleet.confirmedSeq) > baseline && performance.now() < deadline) await sleep(50);
  await sleep(200);
}

function figures(fleet, sender, base, phase) {
  const c = fleet.counters;
  return {
    messages: sender.count - base.sent,
    deliveries: phase.delivered,
    p50_ms: ms(phase.hist.percentile(50)),
    p99_ms: ms(phase.hist.percentile(99)),
    max_ms: ms(phase.hist.max),
    lost: Math.max(0, fleet.missingUpTo(fleet.confirmedSeq) - base.missing),
    out_of_order: c.out_of_order - base.counters.out_of_order,
    duplicates: c.duplicates - base.counters.duplicates,
    reloads: c.reloads - base.counters.reloads,
    errors: c.errors - base.counters.errors,
    send_errors: sender.errors - base.sendErrors,
    send_retries: sender.retries - base.retries,
  };
}

const describe = (s) =>
  `p50 ${s.p50_ms} p99 ${s.p99_ms} lost ${s.lost} ooo ${s.out_of_order} dup ${s.duplicates}` +
  (s.cpu_api_pct !== undefined ? ` cpu server ${s.cpu_api_pct}% load ${s.cpu_load_pct}%` : '');

const describeRound = (r) =>
  `${r.sockets} sockets (${Object.entries(r.close_codes)
    .map(([code, n]) => `${n}×${code}`)
    .join(
      ', ',
    )}), resumed ${r.resumed} (p50 ${r.resume_p50_ms} p99 ${r.resume_p99_ms} max ${r.resume_max_ms} ms; first message p99 ${r.resume_first_p99_ms}; after the back-off wait p50 ${r.resume_after_wait_p50_ms} p99 ${r.resume_after_wait_p99_ms}), ` +
  `lost ${r.lost} dup ${r.duplicates} ooo ${r.out_of_order} reloads ${r.reloads} errors ${r.errors}, ${r.failed_attempts} failed attempts, send retries ${r.send_retries}` +
  (r.instance_exit ? `, instance exited in ${r.instance_exit.ms} ms (${r.instance_exit.signal ?? `code ${r.instance_exit.code}`})` : '');

const sum = (values) => values.reduce((a, b) => a + b, 0);

function printGoals(checks) {
  console.log('\nhot-room goals');
  for (const [what, ok, value] of checks) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${what}: ${value}`);
}

/** Starts bench/support/bare-ws.mjs on a free port. */
async function startAnchor() {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'bench/support/bare-ws.mjs')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).startsWith('ready') && resolve());
    child.on('exit', () => reject(new Error('the anchor exited')));
  });
  return {
    child,
    ws: `ws://127.0.0.1:${port}/graphql`,
    send: `http://127.0.0.1:${port}/send`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
