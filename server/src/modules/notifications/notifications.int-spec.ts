import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { codeOf } from '../../../test/graphql';
import { testConfig } from '../../../test/test-config';
import { subscribe, wsClient } from '../../../test/ws-client';
import { toGlobalId } from '../../app/graphql/global-id';
import type { DomainEvent, StoredEvent } from '../../app/events';
import { QueueName } from '../../app/queue/queues';
import { startWorker } from '../../main.worker';
import { NotificationKind } from './notification.entity';
import { RESUME_MAX, type NotificationEventData } from './notification.service';

const LIST = `query($unreadOnly: Boolean, $first: Int, $after: String) {
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
    edges { node { id kind count readAt actor { nickname } actors { nickname } target { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SUB = 'subscription { notificationAdded { id kind count actor { nickname } actors { nickname } target { id } } }';
const COUNT = '{ unreadNotificationCount }';
const MARK = 'mutation($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) }';

/** Polls until `check` returns a value other than undefined (no timing assertion: only a generous deadline). */
async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rows(api: TestApi, recipientId?: number): Promise<any[]> {
  const knex = api.infra.orm.em.getConnection().getKnex();
  const q = knex('notifications').select('*').orderBy('id');
  if (recipientId != null) q.where({ recipient_id: recipientId });
  return q;
}

/** Waits until every recorded event was handed on and the events queue has nothing waiting, delayed or running. */
async function drained(api: TestApi): Promise<void> {
  const queue = api.infra.queues.get(QueueName.EVENTS);
  const knex = api.infra.orm.em.getConnection().getKnex();
  await waitFor(async () => {
    const [[{ n }]] = await knex.raw('select count(*) as n from outbox_events where sent_at is null');
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return Number(n) === 0 && Object.values(c).every((x) => x === 0) ? true : undefined;
  }, 'the outbox and the events queue to drain');
}

/** Records domain events as a feature does: in a transaction of their own, then wakes the relay. */
async function record(api: TestApi, ...events: DomainEvent[]): Promise<void> {
  await api.app.events.transaction(async (_trx, emit) => events.forEach(emit));
}

/** A consumer job as the relay adds it (stored events with their ids), for redelivery tests. */
let nextEventId = 900_000;
const stored = (e: DomainEvent): StoredEvent => ({ ...e, id: nextEventId++, occurredAt: new Date().toISOString() });
const consumerJob = (events: StoredEvent[]) => ({ name: 'notifications', data: { events } });

async function makeResume(api: TestApi, ownerId: number): Promise<number> {
  const resume = await api.modules.resumes.resumes.create(api.infra.orm.em.fork(), {
    ownerId,
    title: 'Resume',
    content: { basics: { name: 'Haneul Kim' } },
    generatedBy: 'template',
    evidence: null,
    githubUsername: null,
  });
  return resume.id;
}

describe('notifications (queued: request enqueues, worker writes)', () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await worker?.stop();
    await api.stop();
  });
  beforeEach(async () => {
    await worker?.stop();
    worker = null;
    await api.reset();
    worker = await startWorker(testConfig());
  });

  const liked = (ownerId: number, actorId: number, resumeId: number): DomainEvent => ({
    type: 'TargetLiked',
    actorId,
    targetType: 'Resume',
    targetId: resumeId,
    ownerId,
  });
  const like = (ownerId: number, actorId: number, resumeId: number) => record(api, liked(ownerId, actorId, resumeId));

  it('event -> job -> row -> subscription, listed newest first with an unread count', async () => {
    const owner = await createUser(api);
    const fan = await createUser(api);
    const resumeId = await makeResume(api, owner.user.id);
    const client = wsClient(api.url, owner.token);
    const sub = await subscribe(client, SUB);

    await like(owner.user.id, fan.user.id, resumeId);
    const event = (await sub.nth(1)).notificationAdded;
    expect(event).toMatchObject({
      kind: 'LIKE',
      count: 1,
      actor: { nickname: fan.user.nickname },
      target: { id: toGlobalId('Resume', resumeId) },
    });

    await record(api, {
      type: 'CommentAdded',
      commentId: 1,
      actorId: fan.user.id,
      targetType: 'Resume',
      targetId: resumeId,
      targetOwnerId: owner.user.id,
    });
    expect((await sub.nth(2)).notificationAdded).toMatchObject({ kind: 'COMMENT', count: 1 });

    const list = (await api.gqlOk(LIST, {}, owner.token)).notifications;
    expect(list.edges.map((e: any) => e.node.kind)).toEqual(['COMMENT', 'LIKE']);
    expect(list.edges[0].node.id).toBe((await sub.nth(2)).notificationAdded.id);
    expect((await api.gqlOk(COUNT, {}, owner.token)).unreadNotificationCount).toBe(2);

    const page1 = (await api.gqlOk(LIST, { first: 1 }, owner.token)).notifications;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await api.gqlOk(LIST, { first: 1, after: page1.pageInfo.endCursor }, owner.token)).notifications;
    expect(page2.edges.map((e: any) => e.node.kind)).toEqual(['LIKE']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    sub.close();
    await client.dispose();
  });

  it('groups likes on one target while unread; a like after reading starts a new notification', async () => {
    const owner = await createUser(api);
    const fans = await Promise.all([1, 2, 3, 4, 5].map(() => createUser(api)));
    const resumeId = await makeResume(api, owner.user.id);
    const client = wsClient(api.url, owner.token);
    const sub = await subscribe(client, SUB);

    for (const fan of fans.slice(0, 4)) {
      await like(owner.user.id, fan.user.id, resumeId);
      await sub.until((e: any) => e.notificationAdded.actor.nickname === fan.user.nickname);
    }
    // The same fan liking again (unlike + like) is the same event: nothing changes.
    await like(owner.user.id, fans[0].user.id, resumeId);
    await drained(api);

    const [row] = await rows(api, owner.user.id);
    expect((await rows(api, owner.user.id)).length).toBe(1);
    expect(row.count).toBe(4);
    const node = (await api.gqlOk(LIST, {}, owner.token)).notifications.edges[0].node;
    expect(node).toMatchObject({ kind: 'LIKE', count: 4, actor: { nickname: fans[3].user.nickname } });
    expect(node.actors.map((a: any) => a.nickname)).toEqual([fans[3], fans[2], fans[1]].map((f) => f.user.nickname));
    expect(sub.events.map((e: any) => e.notificationAdded.count)).toEqual([1, 2, 3, 4]);

    expect((await api.gqlOk(MARK, { all: true }, owner.token)).markNotificationsRead).toBe(1);
    await like(owner.user.id, fans[4].user.id, resumeId);
    await sub.until((e: any) => e.notificationAdded.actor.nickname === fans[4].user.nickname);
    const list = (await api.gqlOk(LIST, {}, owner.token)).notifications.edges.map((e: any) => e.node);
    expect(list.map((n: any) => [n.count, n.readAt === null])).toEqual([
      [1, true],
      [4, false],
    ]);
    sub.close();
    await client.dispose();
  });

  it('sends nothing for your own actions', async () => {
    const owner = await createUser(api);
    const other = await createUser(api);
    const resumeId = await makeResume(api, owner.user.id);
    const client = wsClient(api.url, owner.token);
    const sub = await subscribe(client, SUB);
    await like(owner.user.id, owner.user.id, resumeId);
    await record(api, {
      type: 'CommentAdded',
      commentId: 5,
      actorId: owner.user.id,
      targetType: 'Resume',
      targetId: resumeId,
      targetOwnerId: owner.user.id,
    });
    // Even a job that reaches the worker is ignored.
    await api.infra.queues.get(QueueName.EVENTS).add('notifications', { events: [stored(liked(owner.user.id, owner.user.id, resumeId))] });
    await like(owner.user.id, other.user.id, resumeId);
    expect((await sub.nth(1)).notificationAdded.actor.nickname).toBe(other.user.nickname);
    await drained(api);
    expect((await rows(api)).map((r) => [r.actor_id, r.count])).toEqual([[other.user.id, 1]]);
    expect(sub.events).toHaveLength(1);
    sub.close();
    await client.dispose();
  });

  it('notifies the owner the event names, and nobody when it names none', async () => {
    const owner = await createUser(api);
    const fan = await createUser(api);
    const resumeId = await makeResume(api, owner.user.id);
    await record(
      api,
      liked(owner.user.id, fan.user.id, resumeId),
      { type: 'CommentAdded', commentId: 99, actorId: fan.user.id, targetType: 'Resume', targetId: resumeId, targetOwnerId: owner.user.id },
      { type: 'ReplyAdded', commentId: 99, actorId: fan.user.id, parentId: 98, parentAuthorId: null }, // its parent's author is gone
      liked(owner.user.id, owner.user.id, resumeId), // own resume
      { type: 'TargetLiked', actorId: fan.user.id, targetType: 'Probe', targetId: 1, ownerId: null }, // nobody owns it
      { type: 'ResumeJobFinished', jobId: 1, userId: owner.user.id, kind: 'GENERATE', succeeded: false, resumeId: null }, // failed
    );
    await drained(api);
    expect((await rows(api)).map((r) => [r.recipient_id, r.kind, r.count]).sort()).toEqual([
      [owner.user.id, 'COMMENT', 1],
      [owner.user.id, 'LIKE', 1],
    ]);
  });

  it('a job that runs twice writes one notification', async () => {
    const owner = await createUser(api);
    const fan = await createUser(api);
    const event: NotificationEventData = {
      kind: NotificationKind.LIKE,
      recipientId: owner.user.id,
      actorId: fan.user.id,
      targetType: 'Resume',
      targetId: 7,
      dedupeKey: `LIKE:${fan.user.id}:Resume:7`, // the key the consumer gives this like
    };
    // The same stored event delivered in three jobs (a relay that died before marking its batch sent, twice).
    const again = stored({ type: 'TargetLiked', actorId: fan.user.id, targetType: 'Resume', targetId: 7, ownerId: owner.user.id });
    const queue = api.infra.queues.get(QueueName.EVENTS);
    await queue.addBulk([consumerJob([again]), consumerJob([again]), consumerJob([again])]);
    await drained(api);
    // And concurrently, as a stalled job retried while the first run is still going would.
    const results = await Promise.all([
      api.modules.notifications.notifications.apply(event),
      api.modules.notifications.notifications.apply(event),
    ]);
    expect(results).toEqual([[], []]);
    const comment = { ...event, kind: NotificationKind.COMMENT, dedupeKey: 'COMMENT:dup' };
    const racing = await Promise.all([
      api.modules.notifications.notifications.apply(comment),
      api.modules.notifications.notifications.apply(comment),
    ]);
    expect(racing.flat()).toHaveLength(1);
    expect((await rows(api)).map((r) => [r.kind, r.count])).toEqual([
      ['LIKE', 1],
      ['COMMENT', 1],
    ]);
  });

  it('writes the comments of concurrent jobs together, and a retried job that overlaps them adds only what is new', async () => {
    const owner = await createUser(api);
    const fans = await Promise.all([createUser(api), createUser(api), createUser(api)]);
    const comment = (i: number, actorId: number): NotificationEventData => ({
      kind: NotificationKind.COMMENT,
      recipientId: owner.user.id,
      actorId,
      targetType: 'Comment',
      targetId: 1000 + i,
      dedupeKey: `COMMENT:batch:${i}`,
    });
    const jobA = [comment(1, fans[0]!.user.id), comment(2, fans[1]!.user.id)];
    const jobB = [comment(3, fans[2]!.user.id), { ...comment(4, owner.user.id) }]; // the last one is the owner's own
    const [a, b] = await Promise.all([
      api.modules.notifications.notifications.applyAll(jobA),
      api.modules.notifications.notifications.applyAll(jobB),
    ]);
    expect([a.length, b.length]).toEqual([2, 1]);
    // A retry of job A plus a new event, and a consumer job through the queue: only the new ones are written.
    const retried = await api.modules.notifications.notifications.applyAll([...jobA, comment(5, fans[0]!.user.id)]);
    expect(retried).toHaveLength(1);
    await api.infra.queues.get(QueueName.EVENTS).add('notifications', {
      events: [
        stored({
          type: 'CommentAdded',
          commentId: 1006,
          actorId: fans[1]!.user.id,
          targetType: 'Post',
          targetId: 1,
          targetOwnerId: owner.user.id,
        }),
      ],
    });
    await drained(api);
    expect((await rows(api, owner.user.id)).map((r) => r.target_id)).toEqual([1001, 1002, 1003, 1005, 1006]);
  });

  it('grows grouped likes of concurrent jobs together; a retried job adds only its new likes', async () => {
    const [owner, other] = [await createUser(api), await createUser(api)];
    const fans = await Promise.all([1, 2, 3, 4, 5].map(() => createUser(api)));
    const likeOf = (fan: number, recipientId: number, targetId: number): NotificationEventData => ({
      kind: NotificationKind.LIKE,
      recipientId,
      actorId: fans[fan]!.user.id,
      targetType: 'Resume',
      targetId,
      dedupeKey: `LIKE:${fans[fan]!.user.id}:Resume:${targetId}`,
    });
    const n = api.modules.notifications.notifications;
    // An unread notification with two likes already, then three jobs at once: two more likes on it, likes on a new
    // target, a like for another recipient, and the owner's own like (dropped).
    await n.applyAll([likeOf(0, owner.user.id, 7), likeOf(1, owner.user.id, 7)]);
    const own = { ...likeOf(0, owner.user.id, 9), actorId: owner.user.id, dedupeKey: `LIKE:${owner.user.id}:Resume:9` };
    const jobs = [
      [likeOf(2, owner.user.id, 7), likeOf(2, owner.user.id, 8)],
      [likeOf(3, owner.user.id, 7), likeOf(3, other.user.id, 5)],
      [own, likeOf(4, owner.user.id, 8)],
    ];
    const ids = await Promise.all(jobs.map((job) => n.applyAll(job)));
    expect(ids.map((i) => i.length)).toEqual([2, 2, 1]);
    // A retry of the first job plus a new like: only the new one counts.
    await n.applyAll([...jobs[0]!, likeOf(4, owner.user.id, 7)]);
    const mine = (await rows(api, owner.user.id)).map((r) => [r.target_id, r.count, JSON.parse(r.actor_ids)]);
    expect(mine).toHaveLength(2);
    const onSeven = mine.find((r) => r[0] === 7)!;
    expect(onSeven[1]).toBe(5);
    // the newest first: fan 4 (the retry's new like), then fans 3 and 2 of the concurrent jobs in either order
    expect(onSeven[2][0]).toBe(fans[4]!.user.id);
    expect([...onSeven[2].slice(1)].sort()).toEqual([fans[2]!.user.id, fans[3]!.user.id].sort());
    expect(mine.find((r) => r[0] === 8)!.slice(0, 2)).toEqual([8, 2]);
    expect((await rows(api, other.user.id)).map((r) => [r.target_id, r.count])).toEqual([[5, 1]]);
  });

  it('likes applied at the same moment by separate transactions (two workers) all count', async () => {
    const owner = await createUser(api);
    const fans = await Promise.all(Array.from({ length: 8 }, () => createUser(api)));
    const n = api.modules.notifications.notifications;
    // `apply` is the one-by-one path, each event in its own transaction: these race for one new group.
    await Promise.all(
      fans.map((f) =>
        n.apply({
          kind: NotificationKind.LIKE,
          recipientId: owner.user.id,
          actorId: f.user.id,
          targetType: 'Resume',
          targetId: 77,
          dedupeKey: `LIKE:${f.user.id}:Resume:77`,
        }),
      ),
    );
    const [row, ...more] = await rows(api, owner.user.id);
    expect(more).toHaveLength(0);
    expect(row.count).toBe(8);
    expect(JSON.parse(row.actor_ids)).toHaveLength(3);
  });

  it('prunes applied events older than NOTIFICATION_EVENTS_KEEP_DAYS and keeps the rest', async () => {
    // The worker's own hourly prune runs once when it starts: it would race this test for the same rows.
    await worker?.stop();
    worker = null;
    const knex = api.infra.orm.em.getConnection().getKnex();
    const now = new Date('2026-11-26T12:00:00Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    await knex('notification_events').insert([
      { dedupe_key: 'old:1', created_at: daysAgo(30) },
      { dedupe_key: 'old:2', created_at: daysAgo(7.01) },
      { dedupe_key: 'recent', created_at: daysAgo(6.99) },
    ]);
    expect(await api.modules.notifications.notifications.pruneEvents(now)).toBe(2);
    expect((await knex('notification_events').select('dedupe_key')).map((r: any) => r.dedupe_key)).toEqual(['recent']);
  });

  it('a worker stopped and restarted mid-burst loses nothing and duplicates nothing', async () => {
    const owner = await createUser(api);
    const fans = await Promise.all(Array.from({ length: 20 }, () => createUser(api)));
    await worker!.stop();
    worker = null;
    const N = 120;
    const events: StoredEvent[] = [];
    for (let i = 0; i < N; i += 1) {
      const fan = fans[i % fans.length].user.id;
      events.push(
        stored(
          i % 3 === 0
            ? { type: 'TargetLiked', actorId: fan, targetType: 'Resume', targetId: 1 + (i % 2), ownerId: owner.user.id }
            : { type: 'CommentAdded', commentId: 1000 + i, actorId: fan, targetType: 'Post', targetId: 1, targetOwnerId: owner.user.id },
        ),
      );
    }
    const queue = api.infra.queues.get(QueueName.EVENTS);
    await queue.addBulk(events.map((e) => consumerJob([e])));

    worker = await startWorker(testConfig());
    await waitFor(async () => ((await queue.getCompletedCount()) >= 10 ? true : undefined), 'the first jobs');
    await worker.stop(); // mid-burst
    worker = null;
    const done = await queue.getCompletedCount();
    expect(done).toBeLessThan(N);
    // Jobs that committed but whose completion was lost (a crash) come back: re-add some already applied.
    await queue.addBulk(events.slice(0, 30).map((e) => consumerJob([e])));
    worker = await startWorker(testConfig());
    await drained(api);

    const all = await rows(api, owner.user.id);
    const comments = all.filter((r) => r.kind === 'COMMENT');
    const likes = all.filter((r) => r.kind === 'LIKE');
    const expectedComments = events.filter((e) => e.type === 'CommentAdded').map((e) => (e.type === 'CommentAdded' ? e.commentId : 0));
    expect(comments.map((r) => r.target_id).sort()).toEqual(expectedComments.sort());
    const distinctLikes = new Set(
      events.filter((e) => e.type === 'TargetLiked').map((e) => (e.type === 'TargetLiked' ? `${e.actorId}:${e.targetId}` : '')),
    );
    expect(likes).toHaveLength(2);
    expect(likes.reduce((s, r) => s + r.count, 0)).toBe(distinctLikes.size);
  });

  it('weather warnings reach each user of the province once', async () => {
    const seoul = await Promise.all([1, 2, 3].map(() => createUser(api, { homeProvince: 'SEOUL' })));
    const busan = await createUser(api, { homeProvince: 'BUSAN' });
    const client = wsClient(api.url, seoul[0].token);
    const sub = await subscribe(client, SUB);
    // KMA's same announcement recorded twice (two pollers) still notifies once.
    const warning: DomainEvent = { type: 'WeatherWarningIssued', alertId: 41, province: 'SEOUL', kind: 'HEAVY_RAIN', level: 'WARNING' };
    await record(api, warning);
    await record(api, warning);
    expect((await sub.nth(1)).notificationAdded).toMatchObject({ kind: 'WEATHER_ALERT', count: 1, actor: null });
    await drained(api);
    const all = await rows(api);
    expect(all.map((r) => r.recipient_id).sort()).toEqual(seoul.map((u) => u.user.id).sort());
    expect((await api.gqlOk(COUNT, {}, busan.token)).unreadNotificationCount).toBe(0);
    expect(sub.events).toHaveLength(1);
    sub.close();
    await client.dispose();
  });

  it('resumes after a reconnect with exactly what was missed, in order, then live', async () => {
    const owner = await createUser(api);
    const [fan1, fan2, fan3] = await Promise.all([createUser(api), createUser(api), createUser(api)]);
    const resumeId = await makeResume(api, owner.user.id);
    const RESUME = 'subscription($after: String) { notificationAdded(after: $after) { id kind count cursor } }';
    const first = wsClient(api.url, owner.token);
    const before = await subscribe(first, RESUME);
    await like(owner.user.id, fan1.user.id, resumeId);
    const seen = (await before.nth(1)).notificationAdded;
    before.close();
    await first.dispose();

    // While away: the like group grows, two comments arrive.
    await like(owner.user.id, fan2.user.id, resumeId);
    const comment = (commentId: number, actorId: number): DomainEvent => ({
      type: 'CommentAdded',
      commentId,
      actorId,
      targetType: 'Resume',
      targetId: resumeId,
      targetOwnerId: owner.user.id,
    });
    await record(api, comment(501, fan2.user.id));
    await record(api, comment(502, fan3.user.id));
    await drained(api);

    const second = wsClient(api.url, owner.token);
    const after = await subscribe(second, RESUME, { after: seen.cursor });
    await after.nth(3);
    await record(api, comment(503, fan1.user.id));
    await after.nth(4);
    await new Promise((r) => setTimeout(r, 300)); // a duplicate would show now
    const got = after.events.map((e: any) => e.notificationAdded);
    expect(got.map((n: any) => [n.kind, n.count])).toEqual([
      ['LIKE', 2],
      ['COMMENT', 1],
      ['COMMENT', 1],
      ['COMMENT', 1],
    ]);
    expect(got[0].id).toBe(seen.id);
    expect(new Set(got.map((n: any) => n.id)).size).toBe(4);
    after.close();
    await second.dispose();
  });

  it('ends a resume with CONFLICT RESUME_GAP when more was missed than can be replayed', async () => {
    const owner = await createUser(api);
    const fan = await createUser(api);
    const n = api.modules.notifications.notifications;
    const client = wsClient(api.url, owner.token);
    const sub = await subscribe(client, 'subscription($after: String) { notificationAdded(after: $after) { id cursor } }');
    await n.applyAll([
      {
        kind: NotificationKind.COMMENT,
        recipientId: owner.user.id,
        actorId: fan.user.id,
        targetType: 'Comment',
        targetId: 1,
        dedupeKey: 'gap:0',
      },
    ]);
    const { cursor } = (await sub.nth(1)).notificationAdded;
    sub.close();
    await client.dispose();
    const missed = Array.from({ length: RESUME_MAX + 1 }, (_, i) => ({
      kind: NotificationKind.COMMENT,
      recipientId: owner.user.id,
      actorId: fan.user.id,
      targetType: 'Comment',
      targetId: 10 + i,
      dedupeKey: `gap:${i + 1}`,
    }));
    await n.applyAll(missed);
    const again = wsClient(api.url, owner.token);
    const resumed = await subscribe(again, 'subscription($after: String) { notificationAdded(after: $after) { id } }', { after: cursor });
    const errors = (await resumed.error.catch((e: unknown) => e)) as { extensions?: { code?: string; reason?: string } }[];
    expect(errors[0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'RESUME_GAP' });
    await again.dispose();
  });

  it('a user sees, counts, marks and receives only their own notifications', async () => {
    const alice = await createUser(api);
    const bob = await createUser(api);
    const carol = await createUser(api);
    const bobClient = wsClient(api.url, bob.token);
    const bobSub = await subscribe(bobClient, SUB);
    await like(alice.user.id, carol.user.id, 1);
    await like(bob.user.id, carol.user.id, 2);
    expect((await bobSub.nth(1)).notificationAdded.target).toBeNull();
    await drained(api);
    expect(bobSub.events).toHaveLength(1);

    const aliceList = (await api.gqlOk(LIST, {}, alice.token)).notifications.edges;
    expect(aliceList).toHaveLength(1);
    const aliceId = aliceList[0].node.id;
    expect((await api.gqlOk(LIST, {}, bob.token)).notifications.edges.map((e: any) => e.node.id)).not.toContain(aliceId);
    expect((await api.gqlOk('query($id: ID!) { node(id: $id) { id } }', { id: aliceId }, bob.token)).node).toBeNull();
    expect((await api.gqlOk('query($id: ID!) { node(id: $id) { id } }', { id: aliceId }, alice.token)).node).toEqual({ id: aliceId });
    expect((await api.gqlOk(MARK, { ids: [aliceId] }, bob.token)).markNotificationsRead).toBe(0);
    expect((await api.gqlOk(COUNT, {}, alice.token)).unreadNotificationCount).toBe(1);
    expect((await api.gqlOk(MARK, { ids: [aliceId] }, alice.token)).markNotificationsRead).toBe(1);
    expect((await api.gqlOk(MARK, { ids: [aliceId] }, alice.token)).markNotificationsRead).toBe(0);
    expect((await api.gqlOk(COUNT, {}, alice.token)).unreadNotificationCount).toBe(0);
    expect((await api.gqlOk(LIST, { unreadOnly: true }, alice.token)).notifications.edges).toHaveLength(0);

    expect(codeOf(await api.gql(COUNT))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(LIST))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(MARK, { all: true }))).toBe('UNAUTHENTICATED');
    const anon = wsClient(api.url);
    const anonSub = await subscribe(anon, SUB);
    await expect(anonSub.error).rejects.toBeTruthy();
    await anon.dispose();
    bobSub.close();
    await bobClient.dispose();
  });
});

describe('notifications (inline mode: written inside the request)', () => {
  it('writes and publishes before the producer returns, without a worker', async () => {
    const api = await startTestApi({ NOTIFICATIONS_MODE: 'inline' });
    try {
      await api.reset();
      const owner = await createUser(api);
      const fan = await createUser(api);
      const like: DomainEvent = { type: 'TargetLiked', actorId: fan.user.id, targetType: 'Resume', targetId: 3, ownerId: owner.user.id };
      await record(api, like);
      await record(api, like);
      expect((await rows(api)).map((r) => [r.kind, r.count])).toEqual([['LIKE', 1]]);
    } finally {
      await api.stop();
    }
  });
});

describe('home province from Kakao Local coord2regioncode', () => {
  const fixture = readFileSync('/work/shared/fixtures/kakao-coord2regioncode.json', 'utf8');
  let server: Server;
  let stubUrl: string;
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  let answer: { status: number; body: string } = { status: 200, body: fixture };
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      res.writeHead(answer.status, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(answer.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('derives the province from the home location and keeps it when Kakao has no answer', async () => {
    const api = await startTestApi({
      KAKAO_CLIENT_ID: 'rest-key-1',
      KAKAO_CLIENT_SECRET: 'secret',
      KAKAO_REDIRECT_URI: 'http://localhost:5173/auth/kakao/callback',
      KAKAO_LOCAL_BASE_URL: stubUrl,
    });
    const UPDATE = 'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { homeProvince } }';
    try {
      const { token } = await createUser(api);
      const res = await api.gqlOk(UPDATE, { input: { homeLatitude: 37.5662952, homeLongitude: 126.9779692 } }, token);
      expect(res.updateProfile.homeProvince).toBe('SEOUL');
      const req = seen.at(-1)!;
      const url = new URL(req.url, stubUrl);
      expect(url.pathname).toBe('/v2/local/geo/coord2regioncode.json');
      expect(url.searchParams.get('x')).toBe('126.9779692');
      expect(url.searchParams.get('y')).toBe('37.5662952');
      expect(req.headers.authorization).toBe('KakaoAK rest-key-1');

      answer = { status: 200, body: fixture.replaceAll('서울특별시', '강원도') };
      expect((await api.gqlOk(UPDATE, { input: { homeLatitude: 37.8, homeLongitude: 128.2 } }, token)).updateProfile.homeProvince).toBe(
        'GANGWON',
      );
      answer = { status: 200, body: JSON.stringify({ meta: { total_count: 0 }, documents: [] }) };
      expect((await api.gqlOk(UPDATE, { input: { homeLatitude: 35, homeLongitude: 140 } }, token)).updateProfile.homeProvince).toBe(
        'GANGWON',
      );
      answer = { status: 401, body: JSON.stringify({ msg: 'wrong appKey', code: -401 }) };
      expect((await api.gqlOk(UPDATE, { input: { homeLatitude: 37.5, homeLongitude: 127 } }, token)).updateProfile.homeProvince).toBe(
        'GANGWON',
      );
    } finally {
      await api.stop();
    }
  });
});
