import { randomBytes } from 'node:crypto';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/mysql';
import { AppError, badInput, conflict, ErrorCode, notFound, type FieldErrors } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import { byKeys, defineLoader } from '../../app/graphql/loaders.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { decodeCursor, encodeCursor, toConnection, type ConnectionShape } from '../../app/graphql/relay.js';
import type { Infra } from '../../app/infra.js';
import { Batcher } from '../../app/batcher.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { UploadService } from '../uploads/upload.service.js';
import type { LeaderboardService } from './leaderboard.service.js';
import { Mission, MissionStatus, MissionSubmission, SubmissionStatus, VerificationKind, type PhotoCheckData } from './mission.entity.js';
import type { CreateMissionInput, MissionProofInput, UpdateMissionInput, VerificationInput } from './mission.inputs.js';
import {
  codeMatches,
  distanceMeters,
  hashCode,
  normalizeWeatherCondition,
  parseWeatherCondition,
  weatherMismatch,
  windowStatus,
} from './mission.rules.js';
import { sqlDateTime, type GrantOutcome, type GrantRequest } from './mission.grants.js';
import type { MissionSlots } from './mission.slots.js';
import { MissionTopic, type MissionUpdatedPayload } from './mission.topics.js';
import { checkPhoto } from './photo-check.js';
import type { WeatherObserver } from './weather-observer.js';

/** What `startMission` keeps in Redis for the proof check (the mission rule as it was when the attempt began). */
interface AttemptData {
  missionId: number;
  userId: number;
  kind: VerificationKind;
  latitude: number | null;
  longitude: number | null;
  radiusMeters: number | null;
  weatherCondition: string | null;
  codeHash: string | null;
  startsAt: string;
  endsAt: string;
  expiresAt: string;
}

const ATTEMPT_ID = /^[A-Za-z0-9_-]{20,40}$/;
const attemptKey = (userId: number, attemptId: string) => `mission:attempt:${userId}:${attemptId}`;
const sqlDate = (d: Date) => d; // mysql2 sends Date objects as DATETIME in the connection's time zone (UTC)

const submissionsOfUser = defineLoader(
  (ctx) =>
    new DataLoader<number, MissionSubmission | null>(async (missionIds) =>
      byKeys(
        missionIds,
        await ctx.em.find(MissionSubmission, { userId: ctx.user!.id, missionId: { $in: [...missionIds] } }),
        (s) => s.missionId,
        null,
      ),
    ),
);

const missionById = defineLoader(
  (ctx) =>
    new DataLoader<number, Mission | null>(async (ids) =>
      byKeys(ids, await ctx.em.find(Mission, { id: { $in: [...ids] } }), (m) => m.id, null),
    ),
);

export interface MissionOptions {
  attemptTtlSeconds: number;
}

export class MissionService {
  /** The service's notion of now; tests pin it to check window edges exactly. */
  clock: () => Date = () => new Date();
  /** Grants of one mission share the hot mission row: they go to MySQL together. */
  private readonly grants: Batcher<number, GrantRequest, GrantOutcome>;

  constructor(
    private readonly infra: Pick<Infra, 'orm' | 'redis' | 'pubsub' | 'logger'>,
    nodes: NodeRegistry,
    private readonly slots: MissionSlots,
    private readonly leaderboard: LeaderboardService,
    private readonly weather: WeatherObserver,
    private readonly uploads: UploadService,
    private readonly options: MissionOptions,
  ) {
    this.grants = new Batcher((missionId: number, grants: GrantRequest[]) => this.runGrants(missionId, grants));
    nodes.register('Mission', (ctx, id) => this.findById(ctx, id));
    nodes.register('MissionSubmission', (ctx, id) => this.findSubmission(ctx, id));
  }

  // ---- reading ----------------------------------------------------------------------------------------------------

  findById(ctx: Context, id: number): Promise<Mission | null> {
    return missionById(ctx).load(id);
  }

  status(mission: Mission): MissionStatus {
    return windowStatus(mission, this.clock()) as MissionStatus;
  }

  remainingSlots(mission: Mission): number | null {
    return mission.capacity === null ? null : Math.max(0, mission.capacity - mission.approvedCount);
  }

  mySubmission(ctx: Context, mission: Mission): Promise<MissionSubmission | null> | null {
    return ctx.user ? submissionsOfUser(ctx).load(mission.id) : null;
  }

  /** Submissions are visible to their author and admins. */
  async findSubmission(ctx: Context, id: number): Promise<MissionSubmission | null> {
    if (!ctx.user) return null;
    const s = await ctx.em.findOne(MissionSubmission, { id });
    return s && (ctx.user.role === 'ADMIN' || s.userId === ctx.user.id) ? s : null;
  }

  canSeePhoto(ctx: Context, s: MissionSubmission): boolean {
    return !!ctx.user && (ctx.user.role === 'ADMIN' || ctx.user.id === s.userId);
  }

  async list(
    ctx: Context,
    status: MissionStatus | null | undefined,
    first: number,
    after?: string | null,
  ): Promise<ConnectionShape<Mission>> {
    const cursor = decodeCursor<[number]>(after, ['number']);
    const now = this.clock();
    const byStatus =
      status === MissionStatus.UPCOMING
        ? { closedAt: null, startsAt: { $gt: now } }
        : status === MissionStatus.OPEN
          ? { closedAt: null, startsAt: { $lte: now }, endsAt: { $gt: now } }
          : status === MissionStatus.CLOSED
            ? { $or: [{ closedAt: { $ne: null } }, { endsAt: { $lte: now } }] }
            : {};
    const rows = await ctx.em.find(Mission, { ...byStatus, ...(cursor ? { id: { $lt: cursor[0] } } : {}) } as object, {
      orderBy: { id: 'desc' },
      limit: first + 1,
    });
    return toConnection(rows, first, (m) => encodeCursor([m.id]));
  }

  /** Admin review queue and history: oldest first. */
  async submissions(
    ctx: Context,
    missionId: number | null,
    status: SubmissionStatus,
    first: number,
    after?: string | null,
  ): Promise<ConnectionShape<MissionSubmission>> {
    const cursor = decodeCursor<[number]>(after, ['number']);
    const rows = await ctx.em.find(
      MissionSubmission,
      { status, ...(missionId ? { missionId } : {}), ...(cursor ? { id: { $gt: cursor[0] } } : {}) },
      { orderBy: { id: 'asc' }, limit: first + 1 },
    );
    return toConnection(rows, first, (s) => encodeCursor([s.id]));
  }

  // ---- admin ------------------------------------------------------------------------------------------------------

  private async verificationFields(v: VerificationInput, problems: FieldErrors): Promise<Partial<Mission>> {
    const point = v.latitude != null && v.longitude != null;
    if ((v.latitude == null) !== (v.longitude == null)) problems['verification.latitude'] = ['latitude and longitude go together'];
    if (v.radiusMeters != null && !point) problems['verification.radiusMeters'] = ['needs latitude and longitude'];
    if (v.kind === VerificationKind.LOCATION && (!point || v.radiusMeters == null)) {
      problems['verification.radiusMeters'] = ['LOCATION needs latitude, longitude and radiusMeters'];
    }
    let weatherCondition: string | null = null;
    if (v.kind === VerificationKind.WEATHER) {
      weatherCondition = v.weatherCondition ? normalizeWeatherCondition(v.weatherCondition) : null;
      if (!weatherCondition)
        problems['verification.weatherCondition'] = ['must be RAIN, SNOW, PRECIPITATION, CLEAR, TEMP_GTE:<°C> or TEMP_LTE:<°C>'];
      if (point && v.radiusMeters == null) problems['verification.radiusMeters'] = ['is needed with a mission point'];
    }
    if (v.kind === VerificationKind.CODE && !v.code?.trim()) problems['verification.code'] = ['CODE needs a code'];
    return {
      verificationKind: v.kind,
      latitude: point ? v.latitude! : null,
      longitude: point ? v.longitude! : null,
      radiusMeters: point ? (v.radiusMeters ?? null) : null,
      weatherCondition,
      codeHash: v.kind === VerificationKind.CODE && v.code?.trim() ? await hashCode(v.code) : null,
    };
  }

  async create(ctx: Context, input: CreateMissionInput): Promise<Mission> {
    const problems: FieldErrors = {};
    if (!(input.endsAt > input.startsAt)) problems.endsAt = ['must be after startsAt'];
    if (!input.title.trim()) problems.title = ['must not be blank'];
    const rule = await this.verificationFields(input.verification, problems);
    if (Object.keys(problems).length) throw badInput(problems);
    const mission = ctx.em.create(Mission, {
      title: input.title.trim(),
      description: input.description,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      rewardPoints: input.rewardPoints,
      capacity: input.capacity ?? null,
      createdBy: ctx.user!.id,
      ...(rule as Pick<Mission, 'verificationKind'>),
    });
    await ctx.em.flush();
    return mission;
  }

  async update(ctx: Context, id: number, input: UpdateMissionInput): Promise<Mission> {
    const mission = await ctx.em.findOne(Mission, { id });
    if (!mission) throw notFound('The mission');
    const problems: FieldErrors = {};
    const startsAt = input.startsAt ?? mission.startsAt;
    const endsAt = input.endsAt ?? mission.endsAt;
    if (!(endsAt > startsAt)) problems.endsAt = ['must be after startsAt'];
    if (input.title !== undefined && !input.title?.trim()) problems.title = ['must not be blank'];
    if (input.capacity != null && input.capacity < mission.approvedCount)
      problems.capacity = [`must be at least the ${mission.approvedCount} completions so far`];
    const rule = input.verification ? await this.verificationFields(input.verification, problems) : {};
    if (Object.keys(problems).length) throw badInput(problems);
    // Capacity goes through a guarded UPDATE: concurrent grants may raise approved_count meanwhile.
    if (input.capacity !== undefined) {
      const res = await ctx.em
        .getConnection()
        .execute(
          'update missions set capacity = ? where id = ? and (? is null or approved_count <= ?)',
          [input.capacity, id, input.capacity, input.capacity],
          'run',
        );
      if ((res as unknown as { affectedRows: number }).affectedRows !== 1)
        throw badInput({ capacity: ['must be at least the completions so far'] });
    }
    ctx.em.assign(mission, {
      ...(input.title != null ? { title: input.title.trim() } : {}),
      ...(input.description != null ? { description: input.description } : {}),
      startsAt,
      endsAt,
      ...(input.rewardPoints != null ? { rewardPoints: input.rewardPoints } : {}),
      ...rule,
    });
    await ctx.em.flush();
    await ctx.em.refresh(mission);
    await this.slots.invalidate(id);
    await this.publish(id);
    return mission;
  }

  async close(ctx: Context, id: number): Promise<Mission> {
    const mission = await ctx.em.findOne(Mission, { id });
    if (!mission) throw notFound('The mission');
    if (!mission.closedAt) {
      mission.closedAt = this.clock();
      await ctx.em.flush();
      await this.publish(id);
    }
    return mission;
  }

  // ---- attempts and proofs ----------------------------------------------------------------------------------------

  async start(ctx: Context, missionId: number): Promise<{ id: string; expiresAt: Date; mission: Mission }> {
    const userId = ctx.user!.id;
    const mission = await ctx.em.findOne(Mission, { id: missionId });
    if (!mission) throw notFound('The mission');
    this.assertOpen(mission);
    const existing = await ctx.em.findOne(MissionSubmission, { missionId, userId });
    if (existing?.status === SubmissionStatus.APPROVED) throw conflict('ALREADY_COMPLETED', 'You have already completed this mission.');
    if (existing?.status === SubmissionStatus.PENDING_REVIEW)
      throw conflict('REVIEW_PENDING', 'Your photo for this mission is waiting for review.');
    if (mission.capacity !== null && mission.approvedCount >= mission.capacity)
      throw conflict('MISSION_FULL', 'All rewards of this mission are taken.');
    const id = randomBytes(18).toString('base64url');
    const expiresAt = new Date(this.clock().getTime() + this.options.attemptTtlSeconds * 1000);
    const data: AttemptData = {
      missionId,
      userId,
      kind: mission.verificationKind,
      latitude: mission.latitude,
      longitude: mission.longitude,
      radiusMeters: mission.radiusMeters,
      weatherCondition: mission.weatherCondition,
      codeHash: mission.codeHash,
      startsAt: mission.startsAt.toISOString(),
      endsAt: mission.endsAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    await this.infra.redis.client.set(attemptKey(userId, id), JSON.stringify(data), 'EX', this.options.attemptTtlSeconds);
    return { id, expiresAt, mission };
  }

  private assertOpen(w: { startsAt: Date; endsAt: Date; closedAt: Date | null }): void {
    const status = windowStatus(w, this.clock());
    if (status === 'UPCOMING') throw conflict('MISSION_NOT_OPEN', 'This mission has not started yet.');
    if (status === 'CLOSED') throw conflict('MISSION_CLOSED', 'This mission has ended.');
  }

  /** Consumes the attempt (once: GETDEL), checks the proof, and grants the reward or queues the photo for review. */
  async submit(ctx: Context, attemptId: string, proof: MissionProofInput): Promise<MissionSubmission> {
    const userId = ctx.user!.id;
    const raw = ATTEMPT_ID.test(attemptId) ? await this.infra.redis.client.getdel(attemptKey(userId, attemptId)) : null;
    if (!raw) throw conflict('ATTEMPT_EXPIRED', 'This attempt has expired or was already used; start the mission again.');
    const a = JSON.parse(raw) as AttemptData;
    this.assertOpen({ startsAt: new Date(a.startsAt), endsAt: new Date(a.endsAt), closedAt: null });

    if (a.kind === VerificationKind.PHOTO) return this.submitPhoto(ctx, a, proof, attemptId, raw);
    let failure: string | null;
    try {
      failure = await this.verify(a, proof);
    } catch (err) {
      // Missing evidence or a weather outage is not a verdict: the attempt may be used again until it expires.
      if (err instanceof AppError && (err.code === ErrorCode.BAD_USER_INPUT || err.code === ErrorCode.SERVICE_UNAVAILABLE)) {
        await this.restoreAttempt(attemptId, raw, a);
      }
      throw err;
    }
    if (failure) return this.reject(ctx.em, a.missionId, userId, failure);
    return this.grant(ctx.em, a.missionId, userId, { checkWindow: true });
  }

  private async restoreAttempt(attemptId: string, raw: string, a: AttemptData): Promise<void> {
    const ttlMs = new Date(a.expiresAt).getTime() - this.clock().getTime();
    if (ttlMs > 0) await this.infra.redis.client.set(attemptKey(a.userId, attemptId), raw, 'PX', ttlMs, 'NX');
  }

  /** Null when the proof passes, else the reason it does not. Missing evidence is the caller's mistake. */
  private async verify(a: AttemptData, proof: MissionProofInput): Promise<string | null> {
    const needPoint = () => {
      if (proof.latitude == null || proof.longitude == null) {
        throw badInput({ latitude: ['latitude and longitude are needed for this mission'] });
      }
      return { lat: proof.latitude, lng: proof.longitude };
    };
    const outside = (p: { lat: number; lng: number }) =>
      a.latitude !== null &&
      a.longitude !== null &&
      a.radiusMeters !== null &&
      distanceMeters(p.lat, p.lng, a.latitude, a.longitude) > a.radiusMeters;
    switch (a.kind) {
      case VerificationKind.LOCATION: {
        return outside(needPoint()) ? `You are not within ${a.radiusMeters} m of the mission point.` : null;
      }
      case VerificationKind.WEATHER: {
        const p = needPoint();
        if (outside(p)) return `You are not within ${a.radiusMeters} m of the mission point.`;
        const condition = parseWeatherCondition(a.weatherCondition ?? '');
        if (!condition) throw new Error(`mission ${a.missionId} has no valid weather condition`);
        return weatherMismatch(condition, await this.weather.observe(p.lat, p.lng));
      }
      case VerificationKind.CODE: {
        if (!proof.code) throw badInput({ code: ['the code is needed for this mission'] });
        return a.codeHash && (await codeMatches(proof.code, a.codeHash)) ? null : 'The code is not right.';
      }
      default:
        throw new Error(`unexpected kind ${a.kind}`);
    }
  }

  private async submitPhoto(
    ctx: Context,
    a: AttemptData,
    proof: MissionProofInput,
    attemptId: string,
    raw: string,
  ): Promise<MissionSubmission> {
    const upload = proof.uploadId ? await this.uploads.find(ctx.em, proof.uploadId) : null;
    if (!upload || upload.ownerId !== a.userId) {
      await this.restoreAttempt(attemptId, raw, a);
      throw badInput({ uploadId: [proof.uploadId ? 'is not one of your uploads' : 'a photo is needed for this mission'] });
    }
    const check = await checkPhoto(await this.uploads.read(upload), {
      startsAt: new Date(a.startsAt),
      endsAt: new Date(a.endsAt),
      latitude: a.latitude,
      longitude: a.longitude,
      radiusMeters: a.radiusMeters,
    });
    const now = this.clock();
    // A new photo replaces a rejected one; an approved or pending one stays.
    await ctx.em.getConnection().execute(
      `insert into mission_submissions (mission_id, user_id, status, reason, reward_points, upload_id, photo_check, created_at, updated_at)
       values (?, ?, 'PENDING_REVIEW', null, null, ?, ?, ?, ?)
       on duplicate key update
         upload_id = if(status = 'REJECTED', values(upload_id), upload_id),
         photo_check = if(status = 'REJECTED', values(photo_check), photo_check),
         reason = if(status = 'REJECTED', null, reason),
         reviewed_by = if(status = 'REJECTED', null, reviewed_by),
         reviewed_at = if(status = 'REJECTED', null, reviewed_at),
         updated_at = if(status = 'REJECTED', values(updated_at), updated_at),
         status = if(status = 'REJECTED', 'PENDING_REVIEW', status)`,
      [a.missionId, a.userId, upload.id, JSON.stringify(check), sqlDate(now), sqlDate(now)],
      'run',
    );
    const s = await this.loadSubmission(ctx.em, a.missionId, a.userId);
    if (s.status === SubmissionStatus.APPROVED) throw conflict('ALREADY_COMPLETED', 'You have already completed this mission.');
    if (s.uploadId !== upload.id) throw conflict('REVIEW_PENDING', 'Your photo for this mission is waiting for review.');
    return s;
  }

  /** Records a failed proof (unless the user already completed the mission or waits for a review). */
  private async reject(em: EntityManager, missionId: number, userId: number, reason: string): Promise<MissionSubmission> {
    const now = this.clock();
    await em.getConnection().execute(
      `insert into mission_submissions (mission_id, user_id, status, reason, created_at, updated_at) values (?, ?, 'REJECTED', ?, ?, ?)
       on duplicate key update
         reason = if(status = 'REJECTED', values(reason), reason),
         updated_at = if(status = 'REJECTED', values(updated_at), updated_at)`,
      [missionId, userId, reason, sqlDate(now), sqlDate(now)],
      'run',
    );
    const s = await this.loadSubmission(em, missionId, userId);
    if (s.status === SubmissionStatus.APPROVED) throw conflict('ALREADY_COMPLETED', 'You have already completed this mission.');
    if (s.status === SubmissionStatus.PENDING_REVIEW)
      throw conflict('REVIEW_PENDING', 'Your photo for this mission is waiting for review.');
    return s;
  }

  private async loadSubmission(em: EntityManager, missionId: number, userId: number): Promise<MissionSubmission> {
    const fork = em.fork();
    return fork.findOneOrFail(MissionSubmission, { missionId, userId });
  }

  private notifications: Pick<NotificationService, 'notify'> | null = null;

  /** A reviewed photo proof notifies its submitter (MISSION_REVIEWED). */
  attachNotifications(notifications: Pick<NotificationService, 'notify'>): void {
    this.notifications = notifications;
  }

  async review(ctx: Context, submissionId: number, approve: boolean, reason: string | null): Promise<MissionSubmission> {
    const reviewed = await this.decide(ctx, submissionId, approve, reason);
    await this.notifications?.notify({
      kind: 'MISSION_REVIEWED',
      actorId: ctx.user!.id,
      recipientId: reviewed.userId,
      targetType: 'MissionSubmission',
      targetId: reviewed.id,
      // A rejected proof may be sent again and reviewed again: each review is its own event.
      dedupeKey: `MISSION_REVIEWED:${reviewed.id}:${reviewed.reviewedAt?.getTime() ?? Date.now()}`,
    });
    return reviewed;
  }

  private async decide(ctx: Context, submissionId: number, approve: boolean, reason: string | null): Promise<MissionSubmission> {
    const s = await ctx.em.fork().findOne(MissionSubmission, { id: submissionId });
    if (!s) throw notFound('The submission');
    if (s.status !== SubmissionStatus.PENDING_REVIEW) throw conflict('NOT_PENDING_REVIEW', 'This submission is not waiting for review.');
    if (approve) return this.grant(ctx.em, s.missionId, s.userId, { checkWindow: false, reviewerId: ctx.user!.id, reason });
    const res = await ctx.em
      .getConnection()
      .execute(
        "update mission_submissions set status = 'REJECTED', reason = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ? where id = ? and status = 'PENDING_REVIEW'",
        [reason ?? 'The photo was not accepted.', ctx.user!.id, this.clock(), this.clock(), submissionId],
        'run',
      );
    if ((res as unknown as { affectedRows: number }).affectedRows !== 1)
      throw conflict('NOT_PENDING_REVIEW', 'This submission is not waiting for review.');
    return this.loadSubmission(ctx.em, s.missionId, s.userId);
  }

  // ---- grants -----------------------------------------------------------------------------------------------------

  /**
   * Exactly-N first-come grant: reserve a slot in Redis (atomic Lua), then MySQL (the `mission_grant` procedure, grants
   * of one mission batched per round trip) re-checks window and capacity under the mission row lock, writes the
   * submission and the ledger row (unique per mission and user) and raises `users.points`.
   * The reservation is released if anything fails before the commit, and confirmed after it.
   */
  private async grant(
    em: EntityManager,
    missionId: number,
    userId: number,
    opts: { checkWindow: boolean; reviewerId?: number; reason?: string | null },
  ): Promise<MissionSubmission> {
    let reserved = await this.slots.reserve(missionId, userId);
    if (reserved === 'NOT_SEEDED') {
      await this.seedSlots(em, missionId);
      reserved = await this.slots.reserve(missionId, userId);
    }
    if (reserved === 'ALREADY_COMPLETED') throw conflict('ALREADY_COMPLETED', 'You have already completed this mission.');
    if (reserved === 'IN_PROGRESS') throw conflict('SUBMISSION_IN_PROGRESS', 'Another proof of yours for this mission is being processed.');
    if (reserved === 'FULL') throw conflict('MISSION_FULL', 'All rewards of this mission are taken.');
    if (reserved !== 'RESERVED') throw new Error(`mission ${missionId} slots could not be seeded`);

    let granted: { total: number; submission: MissionSubmission };
    try {
      granted = await this.commitGrant(em, missionId, userId, opts);
    } catch (err) {
      await this.slots
        .release(missionId, userId)
        .catch((e) => this.infra.logger.error({ err: e, missionId, userId }, 'slot release failed'));
      if (err instanceof AppError && err.reason === 'MISSION_FULL') await this.slots.invalidate(missionId);
      throw err;
    }
    await Promise.all([
      this.slots.confirm(missionId, userId).catch((e) => this.infra.logger.warn({ err: e, missionId, userId }, 'slot confirm failed')),
      this.leaderboard.bump(userId, granted.total).catch((e) => this.infra.logger.warn({ err: e, userId }, 'leaderboard bump failed')),
      this.publish(missionId),
    ]);
    return granted.submission;
  }

  /** The grant transaction (batched into the `mission_grant` procedure); returns the user's new total and the approved submission. Separate so tests can make it fail. */
  async commitGrant(
    em: EntityManager,
    missionId: number,
    userId: number,
    opts: { checkWindow: boolean; reviewerId?: number; reason?: string | null },
  ): Promise<{ total: number; submission: MissionSubmission }> {
    const r = await this.grants.add(missionId, {
      user: userId,
      checkWindow: opts.checkWindow,
      now: this.clock(),
      reason: opts.reason ?? null,
      reviewer: opts.reviewerId ?? null,
    });
    switch (r.outcome) {
      case 'GRANTED':
        return { total: Number(r.points), submission: em.fork().map(MissionSubmission, r.submission!) };
      case 'MISSING':
        throw notFound('The mission');
      case 'CLOSED':
        throw conflict('MISSION_CLOSED', 'This mission has ended.');
      case 'DUPLICATE':
        throw conflict('ALREADY_COMPLETED', 'You have already completed this mission.');
      default:
        throw new AppError(ErrorCode.CONFLICT, 'All rewards of this mission are taken.', { reason: 'MISSION_FULL' });
    }
  }

  private async runGrants(missionId: number, grants: GrantRequest[]): Promise<GrantOutcome[]> {
    const [[{ results }], submissions] = await this.infra.orm.em
      .getConnection()
      .execute<[{ results: string }[], Record<string, unknown>[]]>('call mission_grant(?, ?)', [
        missionId,
        JSON.stringify(grants.map((g) => ({ ...g, checkWindow: g.checkWindow ? 1 : 0, now: sqlDateTime(g.now) }))),
      ]);
    const byId = new Map(submissions.map((s) => [Number(s.id), s]));
    // MariaDB's JSON_OBJECT renders the procedure's integer variables as strings.
    return (JSON.parse(results) as { outcome: GrantOutcome['outcome']; points: string | null; submission: string | null }[]).map((r) => ({
      outcome: r.outcome,
      points: r.points === null ? null : Number(r.points),
      submission: r.submission === null ? null : (byId.get(Number(r.submission)) ?? null),
    }));
  }

  private async seedSlots(em: EntityManager, missionId: number): Promise<void> {
    const conn = em.getConnection();
    const [mission] = await conn.execute('select capacity from missions where id = ?', [missionId]);
    if (!mission) throw notFound('The mission');
    const winners: { user_id: number }[] = await conn.execute('select user_id from points_ledger where mission_id = ?', [missionId]);
    await this.slots.seed(
      missionId,
      mission.capacity,
      winners.map((w) => w.user_id),
    );
  }

  private async publish(id: number): Promise<void> {
    const payload: MissionUpdatedPayload = { id };
    await this.infra.pubsub
      .publish(MissionTopic.UPDATED, id, payload)
      .catch((err) => this.infra.logger.warn({ err, id }, 'missionUpdated publish failed'));
  }

  // ---- leaderboard ------------------------------------------------------------------------------------------------

  leaderboardTop(ctx: Context, first: number) {
    return this.leaderboard.top(ctx.em, first);
  }

  photoCheckOf(s: MissionSubmission): PhotoCheckData | null {
    return s.photoCheck;
  }
}
