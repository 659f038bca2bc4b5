import type { Redis } from 'ioredis';
import { sleep } from '../../infra/processes';
import { errorOutputBetween, type AppProcess } from './app-process';
import type { FigureSink } from './figures';
import { probe, type GqlClient, type Outcome } from './http';
import { every, Load, writeRequest, type LoadOptions, type Op } from './load';
import { outageFigures } from './outage';
import { REDIS_PREFIX, type Stack } from './stack';
import { checkCounts, checkWrites, waitForNotifications } from './verify';
import { uniqueToken, type Post, type User } from './world';

export type OutageKey = 'outage' | 'longest' | 'recovery' | 'readyFlip' | 'readySlowest' | 'failed' | 'badlyFailed' | 'errorLogs';
export type IntegrityKey =
  'lost' | 'duplicates' | 'counts' | 'notificationsMissing' | 'notificationsDoubled' | 'acked' | 'unackedCommitted';

/** The figures of an outage, with the limits. */
export function outageDefinitions(dependency: string) {
  return {
    longest: { label: 'longest request during the outage', rule: { lt: 2000, unit: 'ms' } },
    recovery: { label: `recovery after ${dependency} returns`, rule: { lt: 2000, unit: 'ms' } },
    readyFlip: { label: `/readyz answers 503 after ${dependency} dies`, rule: { lt: 1000, unit: 'ms' } },
    readySlowest: { label: 'slowest /readyz answer during the outage', rule: { lt: 500, unit: 'ms' } },
    badlyFailed: { label: 'failed requests not answered 503 SERVICE_UNAVAILABLE', rule: { eq: 0 } },
    errorLogs: { label: 'API error log lines and stack traces during the outage', rule: { eq: 0 } },
    failed: { label: 'requests failed during the outage' },
    outage: { label: 'outage length (ms)' },
  } as const;
}

/** The figures of what the writes left in MySQL, with the limits. */
export function integrityDefinitions() {
  return {
    lost: { label: 'acknowledged writes lost', rule: { eq: 0 } },
    duplicates: { label: 'writes stored more than once', rule: { eq: 0 } },
    counts: { label: 'count mismatches, API vs MySQL', rule: { eq: 0 } },
    notificationsMissing: { label: 'notifications missing', rule: { eq: 0 } },
    notificationsDoubled: { label: 'notifications doubled', rule: { eq: 0 } },
    acked: { label: 'writes acknowledged' },
    unackedCommitted: { label: 'writes never acknowledged but committed' },
  } as const;
}

export interface DrillResult {
  ops: Op[];
  ready: Outcome[];
  downAt: number;
  upAt: number;
}

/**
 * Load (sequential users plus a comment every 100 ms from a prober, so hangs show) and `/readyz` probes against one
 * API; after `beforeMs`, `kill()` takes a dependency away for `outageMs`, `restart()` brings it back and answers when
 * it took connections again; the load goes on for `afterMs`.
 */
export async function outageDrill(
  api: AppProcess,
  client: GqlClient,
  load: LoadOptions & { prober: User },
  fault: { kill(): Promise<void>; restart(): Promise<number>; outageMs: number; beforeMs?: number; afterMs?: number },
): Promise<DrillResult> {
  const running = new Load(load).start();
  const ready: Outcome[] = [];
  const readyProbe = every(100, async () => ready.push(await probe(`${api.base}/readyz`)));
  const commentProbe = every(100, async () =>
    running.ops.push(await probeComment(client, load.prober, load.posts, !!load.idempotencyKeys)),
  );
  try {
    await sleep(fault.beforeMs ?? 4000);
    const downAt = Date.now();
    await fault.kill();
    await sleep(fault.outageMs);
    const upAt = await fault.restart();
    await sleep(fault.afterMs ?? 6000);
    return { ops: running.ops, ready, downAt, upAt };
  } finally {
    await Promise.all([running.stop(), readyProbe.stop(), commentProbe.stop()]);
  }
}

async function probeComment(client: GqlClient, user: User, posts: Post[], keyed: boolean): Promise<Op> {
  const token = uniqueToken('comment');
  const target = posts[Math.floor(Math.random() * posts.length)]!.id;
  const request = writeRequest('comment', token, target, undefined, keyed);
  const outcome = await client.request(request.query, request.variables, user.token);
  return { ...outcome, kind: 'comment', user: user.index, via: 0, target, token, attempt: 1, resultId: outcome.data?.addComment?.id };
}

export function recordOutage(figures: FigureSink<OutageKey>, api: AppProcess, drill: DrillResult): void {
  const outage = outageFigures(drill.ops, drill.ready, drill.downAt, drill.upAt);
  const kinds = Object.keys(outage.failureKinds).length ? JSON.stringify(outage.failureKinds) : undefined;
  figures.set('outage', drill.upAt - drill.downAt);
  figures.set('longest', outage.longestMs);
  figures.set('recovery', outage.recoveryMs, outage.recoveryMs === null ? 'no request succeeded after the last failure' : undefined);
  figures.set('readyFlip', outage.readyFlipMs, outage.readyFlipMs === null ? 'never answered 503' : undefined);
  figures.set('readySlowest', outage.readySlowestMs);
  figures.set('failed', outage.failed, kinds);
  figures.set('badlyFailed', outage.badlyFailed, kinds);
  const errors = errorOutputBetween(api, drill.downAt, drill.upAt + 2000);
  figures.set('errorLogs', errors.length, errors[0] ? `first: ${errors[0].slice(0, 120)}` : undefined);
}

/** Waits for the notifications to settle, then checks every write, count and notification against MySQL. */
export async function recordIntegrity(
  figures: FigureSink<IntegrityKey>,
  stack: Stack,
  redis: Redis,
  client: GqlClient,
  ops: Op[],
  users: User[],
  posts: Post[],
  { notificationsTimeoutMs = 20_000 } = {},
): Promise<void> {
  const conn = await stack.mysql();
  try {
    const notifications = await waitForNotifications(conn, redis, REDIS_PREFIX, { timeoutMs: notificationsTimeoutMs });
    figures.set('notificationsMissing', notifications.missing, `of ${notifications.expected} comments`);
    figures.set('notificationsDoubled', notifications.doubled, `of ${notifications.expected} comments`);
    const writes = await checkWrites(conn, ops, new Map(users.map((u) => [u.index, u.dbId])));
    figures.set('acked', writes.acked, 'votes counted per user and post');
    figures.set('lost', writes.lost, writes.lostExamples.slice(0, 3).join('; ') || undefined);
    figures.set('duplicates', writes.duplicates, writes.duplicateExamples.slice(0, 3).join('; ') || undefined);
    figures.set('unackedCommitted', writes.unackedCommitted);
    const counts = await checkCounts(client, conn, posts);
    figures.set('counts', counts.mismatches, counts.examples.slice(0, 2).join('; ') || `${counts.checked} posts`);
  } finally {
    await conn.end();
  }
}
