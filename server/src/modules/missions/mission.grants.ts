import type { EntityManager } from '@mikro-orm/mysql';
import { Batcher } from '../../app/batcher.js';
import { AppError, conflict, ErrorCode, notFound } from '../../app/errors.js';
import type { Infra } from '../../app/infra.js';
import type { EventRecorder } from '../../app/outbox/outbox.js';
import type { LeaderboardStore } from './leaderboard.store.js';
import { MissionSubmission } from './mission.entity.js';
import type { MissionSlots } from './mission-slots.store.js';
import { missionStore, type GrantOutcome, type GrantRequest } from './mission.store.js';

/** The missions' notion of now; tests pin it to check window edges exactly. */
export interface MissionClock {
  now: () => Date;
}

export interface GrantOptions {
  checkWindow: boolean;
  reviewerId?: number;
  reason?: string | null;
}

/**
 * The exactly-N first-come grant, in one place: reserve a slot in Redis (atomic Lua, a lease so a crashed process
 * gives it back), then MySQL (the `mission_grant` procedure, grants of one mission batched per round trip) re-checks
 * window and capacity under the mission row lock, writes the submission and the ledger row (unique per mission and
 * user) and raises `users.points`. The reservation is released if anything fails before the commit, confirmed after.
 * MySQL keeps the last word, so no crash between the two can over-grant.
 */
export class MissionGrants {
  /** Grants of one mission share the hot mission row: they go to MySQL together. */
  private readonly batches = new Batcher((missionId: number, grants: GrantRequest[]) => this.runBatch(missionId, grants));

  constructor(
    private readonly infra: Pick<Infra, 'orm' | 'logger'>,
    readonly slots: MissionSlots,
    private readonly leaderboard: LeaderboardStore,
    private readonly events: EventRecorder,
    private readonly clock: MissionClock,
    private readonly changed: (missionId: number) => Promise<void>,
  ) {}

  async grant(em: EntityManager, missionId: number, userId: number, opts: GrantOptions): Promise<MissionSubmission> {
    let reserved = await this.slots.reserve(missionId, userId);
    if (reserved === 'NOT_SEEDED') {
      await this.seed(em, missionId);
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
        .catch((e: unknown) => this.infra.logger.error({ err: e, missionId, userId }, 'slot release failed'));
      if (err instanceof AppError && err.reason === 'MISSION_FULL') await this.slots.invalidate(missionId);
      throw err;
    }
    await Promise.all([
      this.slots
        .confirm(missionId, userId)
        .catch((e: unknown) => this.infra.logger.warn({ err: e, missionId, userId }, 'slot confirm failed')),
      this.leaderboard
        .bump(userId, granted.total)
        .catch((e: unknown) => this.infra.logger.warn({ err: e, userId }, 'leaderboard bump failed')),
      this.changed(missionId),
    ]);
    return granted.submission;
  }

  /** The grant transaction (batched into the procedure); the user's new total and the approved submission. Public so tests can make it fail. */
  async commitGrant(
    em: EntityManager,
    missionId: number,
    userId: number,
    opts: GrantOptions,
  ): Promise<{ total: number; submission: MissionSubmission }> {
    const r = await this.batches.add(missionId, {
      user: userId,
      checkWindow: opts.checkWindow,
      now: this.clock.now(),
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

  /** Loads the slots of a mission from MySQL's truth unless another caller did already. */
  async seed(em: EntityManager, missionId: number): Promise<void> {
    const found = await missionStore.capacityAndWinners(em.getConnection(), missionId);
    if (!found) throw notFound('The mission');
    await this.slots.seed(missionId, found.capacity, found.winners);
  }

  private async runBatch(missionId: number, grants: GrantRequest[]): Promise<GrantOutcome[]> {
    const outcomes = await missionStore.grant(this.infra.orm.em.getConnection(), missionId, grants);
    // An approval by a reviewer recorded its MissionReviewed event inside the procedure's transaction.
    if (outcomes.some((o, i) => o.outcome === 'GRANTED' && grants[i]!.reviewer !== null)) await this.events.committed();
    return outcomes;
  }
}
