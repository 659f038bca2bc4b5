import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/mysql';
import { AppError, badInput, conflict, ErrorCode, notFound } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { Infra } from '../../app/infra.js';
import { distanceMeters } from '../geo/points.js';
import type { UploadService } from '../uploads/upload.service.js';
import type { MissionClock, MissionGrants } from './mission.grants.js';
import { Mission, MissionSubmission, SubmissionStatus, VerificationKind } from './mission.entity.js';
import type { MissionProofInput } from './mission.inputs.js';
import { codeMatches, parseWeatherCondition, weatherMismatch, windowStatus } from './mission.rules.js';
import { missionStore } from './mission.store.js';
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

/** Open a mission window or say why not. */
export function assertOpen(w: { startsAt: Date; endsAt: Date; closedAt: Date | null }, now: Date): void {
  const status = windowStatus(w, now);
  if (status === 'UPCOMING') throw conflict('MISSION_NOT_OPEN', 'This mission has not started yet.');
  if (status === 'CLOSED') throw conflict('MISSION_CLOSED', 'This mission has ended.');
}

/**
 * Attempts and proofs: `startMission` pins the mission's rule in a single-use Redis attempt; `submitMissionProof`
 * consumes it, checks the proof (location, live weather, code) and grants the reward, or queues a photo for review.
 */
export class MissionProofs {
  constructor(
    private readonly infra: Pick<Infra, 'redis'>,
    private readonly grants: MissionGrants,
    private readonly weather: WeatherObserver,
    private readonly uploads: UploadService,
    private readonly clock: MissionClock,
    private readonly options: { attemptTtlSeconds: number },
  ) {}

  async start(ctx: Context, missionId: number): Promise<{ id: string; expiresAt: Date; mission: Mission }> {
    const userId = ctx.user!.id;
    const mission = await ctx.em.findOne(Mission, { id: missionId });
    if (!mission) throw notFound('The mission');
    assertOpen(mission, this.clock.now());
    const existing = await ctx.em.findOne(MissionSubmission, { missionId, userId });
    if (existing?.status === SubmissionStatus.APPROVED) throw conflict('ALREADY_COMPLETED', 'You have already completed this mission.');
    if (existing?.status === SubmissionStatus.PENDING_REVIEW)
      throw conflict('REVIEW_PENDING', 'Your photo for this mission is waiting for review.');
    if (mission.capacity !== null && mission.approvedCount >= mission.capacity)
      throw conflict('MISSION_FULL', 'All rewards of this mission are taken.');
    const id = randomBytes(18).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + this.options.attemptTtlSeconds * 1000);
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

  /** Consumes the attempt (once: GETDEL), checks the proof, and grants the reward or queues the photo for review. */
  async submit(ctx: Context, attemptId: string, proof: MissionProofInput): Promise<MissionSubmission> {
    const userId = ctx.user!.id;
    const raw = ATTEMPT_ID.test(attemptId) ? await this.infra.redis.client.getdel(attemptKey(userId, attemptId)) : null;
    if (!raw) throw conflict('ATTEMPT_EXPIRED', 'This attempt has expired or was already used; start the mission again.');
    const a = JSON.parse(raw) as AttemptData;
    assertOpen({ startsAt: new Date(a.startsAt), endsAt: new Date(a.endsAt), closedAt: null }, this.clock.now());

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
    if (failure) return this.recordFailure(ctx.em, a.missionId, userId, failure);
    return this.grants.grant(ctx.em, a.missionId, userId, { checkWindow: true });
  }

  private async restoreAttempt(attemptId: string, raw: string, a: AttemptData): Promise<void> {
    const ttlMs = new Date(a.expiresAt).getTime() - this.clock.now().getTime();
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
    const now = this.clock.now();
    await missionStore.submitPhoto(ctx.em.getConnection(), { missionId: a.missionId, userId: a.userId, uploadId: upload.id, check, now });
    const s = await this.loadSubmission(ctx.em, a.missionId, a.userId);
    if (s.status === SubmissionStatus.APPROVED) throw conflict('ALREADY_COMPLETED', 'You have already completed this mission.');
    if (s.uploadId !== upload.id) throw conflict('REVIEW_PENDING', 'Your photo for this mission is waiting for review.');
    return s;
  }

  /** Records a failed proof (unless the user already completed the mission or waits for a review). */
  private async recordFailure(em: EntityManager, missionId: number, userId: number, reason: string): Promise<MissionSubmission> {
    const now = this.clock.now();
    await missionStore.recordFailure(em.getConnection(), { missionId, userId, reason, now });
    const s = await this.loadSubmission(em, missionId, userId);
    if (s.status === SubmissionStatus.APPROVED) throw conflict('ALREADY_COMPLETED', 'You have already completed this mission.');
    if (s.status === SubmissionStatus.PENDING_REVIEW)
      throw conflict('REVIEW_PENDING', 'Your photo for this mission is waiting for review.');
    return s;
  }

  async loadSubmission(em: EntityManager, missionId: number, userId: number): Promise<MissionSubmission> {
    const fork = em.fork();
    return fork.findOneOrFail(MissionSubmission, { missionId, userId });
  }
}
