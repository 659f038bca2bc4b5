import DataLoader from 'dataloader';
import type { Knex } from '@mikro-orm/mysql';
import { badInput, conflict, notFound, type FieldErrors } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import { byKeys, defineLoader } from '../../app/graphql/loaders.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { decodeCursor, encodeCursor, toConnection, type ConnectionShape } from '../../app/graphql/relay.js';
import type { EventRecorder } from '../../app/outbox/outbox.js';
import type { LeaderboardStore } from './leaderboard.store.js';
import { Mission, MissionStatus, MissionSubmission, SubmissionStatus, VerificationKind, type PhotoCheckData } from './mission.entity.js';
import type { MissionClock, MissionGrants } from './mission.grants.js';
import type { CreateMissionInput, UpdateMissionInput, VerificationInput } from './mission.inputs.js';
import type { MissionProofs } from './mission.proofs.js';
import { hashCode, normalizeWeatherCondition, windowStatus } from './mission.rules.js';
import { missionStore } from './mission.store.js';

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

/** Missions: reading, admin changes and photo review; proofs and grants live beside it (MissionProofs, MissionGrants). */
export class MissionService {
  constructor(
    nodes: NodeRegistry,
    private readonly grants: MissionGrants,
    private readonly proofs: MissionProofs,
    private readonly leaderboard: LeaderboardStore,
    private readonly events: EventRecorder,
    private readonly clock: MissionClock,
    /** Tells `missionUpdated` subscribers. */
    private readonly changed: (missionId: number) => Promise<void>,
  ) {
    nodes.register('Mission', (ctx, id) => this.findById(ctx, id));
    nodes.register('MissionSubmission', (ctx, id) => this.findSubmission(ctx, id));
  }

  // ---- reading ----------------------------------------------------------------------------------------------------

  findById(ctx: Context, id: number): Promise<Mission | null> {
    return missionById(ctx).load(id);
  }

  status(mission: Mission): MissionStatus {
    return windowStatus(mission, this.clock.now()) as MissionStatus;
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
    const now = this.clock.now();
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
    if (input.capacity !== undefined && !(await missionStore.setCapacity(ctx.em.getConnection(), id, input.capacity))) {
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
    await this.grants.slots.invalidate(id);
    await this.changed(id);
    return mission;
  }

  async close(ctx: Context, id: number): Promise<Mission> {
    const mission = await ctx.em.findOne(Mission, { id });
    if (!mission) throw notFound('The mission');
    if (!mission.closedAt) {
      mission.closedAt = this.clock.now();
      await ctx.em.flush();
      await this.changed(id);
    }
    return mission;
  }

  // ---- attempts and proofs ----------------------------------------------------------------------------------------

  async review(ctx: Context, submissionId: number, approve: boolean, reason: string | null): Promise<MissionSubmission> {
    const s = await ctx.em.fork().findOne(MissionSubmission, { id: submissionId });
    if (!s) throw notFound('The submission');
    if (s.status !== SubmissionStatus.PENDING_REVIEW) throw conflict('NOT_PENDING_REVIEW', 'This submission is not waiting for review.');
    // An approval is a grant: the procedure records its MissionReviewed event.
    if (approve) return this.grants.grant(ctx.em, s.missionId, s.userId, { checkWindow: false, reviewerId: ctx.user!.id, reason });
    const reviewerId = ctx.user!.id;
    const rejected = await this.events.transaction(async (trx: Knex.Transaction, emit) => {
      const now = this.clock.now();
      if (!(await missionStore.rejectPending(trx, { id: submissionId, reason: reason ?? 'The photo was not accepted.', reviewerId, now })))
        return false;
      emit({ type: 'MissionReviewed', submissionId, reviewerId, submitterId: s.userId, approved: false });
      return true;
    });
    if (!rejected) throw conflict('NOT_PENDING_REVIEW', 'This submission is not waiting for review.');
    return this.proofs.loadSubmission(ctx.em, s.missionId, s.userId);
  }

  leaderboardTop(ctx: Context, first: number) {
    return this.leaderboard.top(ctx.em, first);
  }

  photoCheckOf(s: MissionSubmission): PhotoCheckData | null {
    return s.photoCheck;
  }
}
