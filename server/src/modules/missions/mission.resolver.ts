import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { badInput, notFound } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import { parseGlobalId } from '../../app/graphql/global-id.js';
import { User } from '../users/user.entity.js';
import type { UserService } from '../users/user.service.js';
import type { MissionProofs } from './mission.proofs.js';
import type { MissionService } from './mission.service.js';
import { Mission, MissionStatus, MissionSubmission } from './mission.entity.js';
import { CreateMissionInput, MissionProofInput, MissionsArgs, MissionSubmissionsArgs, UpdateMissionInput } from './mission.inputs.js';
import { MissionTopic, type MissionUpdatedPayload } from './mission.topics.js';
import {
  LeaderboardEntry,
  MissionAttempt,
  MissionConnection,
  MissionSubmissionConnection,
  MissionVerification,
  PhotoCheck,
} from './mission.types.js';

const missionId = (id: string, field = 'id') => parseGlobalId(id, 'Mission', field).id;

@Resolver(() => Mission)
export class MissionResolver {
  constructor(
    private readonly missionService: MissionService,
    private readonly proofs: MissionProofs,
    private readonly users: UserService,
  ) {}

  @Query(() => MissionConnection, { description: 'Missions, newest first, optionally only UPCOMING, OPEN or CLOSED ones.' })
  missions(@Args(() => MissionsArgs) args: MissionsArgs, @Ctx() ctx: Context) {
    return this.missionService.list(ctx, args.status, args.first, args.after);
  }

  @Query(() => Mission, { nullable: true, description: 'One mission.' })
  mission(@Arg('id', () => ID, { description: 'The mission.' }) id: string, @Ctx() ctx: Context): Promise<Mission | null> {
    return this.missionService.findById(ctx, missionId(id));
  }

  @Authorized('ADMIN')
  @Mutation(() => Mission, { description: 'Admin: creates a mission.' })
  createMission(
    @Arg('input', () => CreateMissionInput, { description: 'The mission.' }) input: CreateMissionInput,
    @Ctx() ctx: Context,
  ): Promise<Mission> {
    return this.missionService.create(ctx, input);
  }

  @Authorized('ADMIN')
  @Mutation(() => Mission, { description: 'Admin: changes a mission. Attempts already started keep the rule they started with.' })
  updateMission(
    @Arg('id', () => ID, { description: 'The mission.' }) id: string,
    @Arg('input', () => UpdateMissionInput, { description: 'The changes.' }) input: UpdateMissionInput,
    @Ctx() ctx: Context,
  ): Promise<Mission> {
    return this.missionService.update(ctx, missionId(id), input);
  }

  @Authorized('ADMIN')
  @Mutation(() => Mission, { description: 'Admin: closes a mission now; later proofs are refused (pending photos may still be reviewed).' })
  closeMission(@Arg('id', () => ID, { description: 'The mission.' }) id: string, @Ctx() ctx: Context): Promise<Mission> {
    return this.missionService.close(ctx, missionId(id));
  }

  @Authorized()
  @Mutation(() => MissionAttempt, {
    description: 'Starts an attempt at an OPEN mission; it expires after a few minutes and takes one proof.',
  })
  startMission(@Arg('missionId', () => ID, { description: 'The mission.' }) id: string, @Ctx() ctx: Context) {
    return this.proofs.start(ctx, missionId(id, 'missionId'));
  }

  @Authorized()
  @Mutation(() => MissionSubmission, {
    description:
      'Submits the proof of an attempt (each attempt once). APPROVED grants the reward; PHOTO proofs wait for review. CONFLICT reasons: ATTEMPT_EXPIRED, ALREADY_COMPLETED, MISSION_FULL, MISSION_CLOSED, REVIEW_PENDING, SUBMISSION_IN_PROGRESS.',
  })
  submitMissionProof(
    @Arg('attemptId', () => ID, { description: 'From startMission.' }) attemptId: string,
    @Arg('proof', () => MissionProofInput, { description: 'The evidence.' }) proof: MissionProofInput,
    @Ctx() ctx: Context,
  ): Promise<MissionSubmission> {
    return this.proofs.submit(ctx, attemptId, proof);
  }

  @Authorized('ADMIN')
  @Mutation(() => MissionSubmission, { description: 'Admin: approves (granting the reward, if a slot is left) or rejects a photo proof.' })
  reviewMissionSubmission(
    @Arg('id', () => ID, { description: 'The submission.' }) id: string,
    @Arg('approve', () => Boolean, { description: 'True to approve.' }) approve: boolean,
    @Arg('reason', () => String, { nullable: true, description: 'Note shown to the user (up to 300 characters).' }) reason: string | null,
    @Ctx() ctx: Context,
  ): Promise<MissionSubmission> {
    if (reason && reason.length > 300) throw badInput({ reason: ['must be at most 300 characters'] });
    return this.missionService.review(ctx, parseGlobalId(id, 'MissionSubmission').id, approve, reason ?? null);
  }

  @Authorized('ADMIN')
  @Query(() => MissionSubmissionConnection, { description: 'Admin: proofs by status, oldest first (default: the photo review queue).' })
  missionSubmissions(@Args(() => MissionSubmissionsArgs) args: MissionSubmissionsArgs, @Ctx() ctx: Context) {
    const mission = args.missionId ? missionId(args.missionId, 'missionId') : null;
    return this.missionService.submissions(ctx, mission, args.status, args.first, args.after);
  }

  @Extensions({ sharedEvents: true })
  @Subscription(() => Mission, {
    topics: MissionTopic.UPDATED,
    topicId: ({ args }) => parseGlobalId(args.missionId, 'Mission', 'missionId').id,
    description:
      'The mission after every approval (remaining slots) or admin change; the mission as it is now comes first on every (re)subscribe.',
  })
  async missionUpdated(
    @Arg('missionId', () => ID, { description: 'The mission.' }) _missionId: string,
    @Root() payload: MissionUpdatedPayload,
    @Ctx() ctx: Context,
  ): Promise<Mission> {
    const mission = await this.missionService.findById(ctx, payload.id);
    if (!mission) throw notFound('The mission');
    return mission;
  }

  @Query(() => [LeaderboardEntry], { description: 'Users with the most points, best first.' })
  async leaderboard(
    @Arg('first', () => Int, { defaultValue: 10, description: 'How many, 1 to 100.' }) first: number,
    @Ctx() ctx: Context,
  ): Promise<LeaderboardEntry[]> {
    if (first < 1 || first > 100) throw badInput({ first: ['must be between 1 and 100'] });
    const rows = await this.missionService.leaderboardTop(ctx, first);
    const users = await Promise.all(rows.map((r) => this.users.findById(ctx, r.userId)));
    return rows.flatMap((r, i) => (users[i] ? [{ rank: r.rank, points: r.points, user: users[i]! }] : []));
  }

  @FieldResolver(() => MissionStatus, { description: 'UPCOMING, OPEN or CLOSED, now.' })
  status(@Root() mission: Mission): MissionStatus {
    return this.missionService.status(mission);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Rewards still available; null when unlimited.' })
  remainingSlots(@Root() mission: Mission): number | null {
    return this.missionService.remainingSlots(mission);
  }

  @FieldResolver(() => MissionVerification, { description: 'How proofs are checked.' })
  verification(@Root() m: Mission): MissionVerification {
    return { kind: m.verificationKind, hasPoint: m.latitude !== null, radiusMeters: m.radiusMeters, weatherCondition: m.weatherCondition };
  }

  @Extensions({ perViewer: true })
  @FieldResolver(() => MissionSubmission, { nullable: true, description: 'Your proof of this mission, if any; null when anonymous.' })
  mySubmission(@Root() mission: Mission, @Ctx() ctx: Context) {
    return this.missionService.mySubmission(ctx, mission);
  }
}

@Resolver(() => MissionSubmission)
export class MissionSubmissionResolver {
  constructor(
    private readonly missionService: MissionService,
    private readonly users: UserService,
  ) {}

  @FieldResolver(() => Mission, { description: 'The mission.' })
  async mission(@Root() s: MissionSubmission, @Ctx() ctx: Context): Promise<Mission> {
    return (await this.missionService.findById(ctx, s.missionId))!;
  }

  @FieldResolver(() => User, { description: 'Who submitted it.' })
  async user(@Root() s: MissionSubmission, @Ctx() ctx: Context): Promise<User> {
    return (await this.users.findById(ctx, s.userId))!;
  }

  @Extensions({ perViewer: true })
  @FieldResolver(() => PhotoCheck, { nullable: true, description: 'EXIF findings of a PHOTO proof; for the author and admins.' })
  photoCheck(@Root() s: MissionSubmission, @Ctx() ctx: Context): PhotoCheck | null {
    if (!s.photoCheck || !this.missionService.canSeePhoto(ctx, s)) return null;
    return { ...s.photoCheck, takenAt: s.photoCheck.takenAt ? new Date(s.photoCheck.takenAt) : null };
  }

  @Extensions({ perViewer: true })
  @FieldResolver(() => String, {
    nullable: true,
    description: 'Path of the photo (`GET /uploads/<id>` with your token); for the author and admins.',
  })
  photoUrl(@Root() s: MissionSubmission, @Ctx() ctx: Context): string | null {
    return s.uploadId && this.missionService.canSeePhoto(ctx, s) ? `/uploads/${s.uploadId}` : null;
  }
}
