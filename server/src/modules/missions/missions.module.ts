import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import type { EventRecorder } from '../../app/outbox/outbox.js';
import type { UploadService } from '../uploads/upload.service.js';
import type { UserService } from '../users/user.service.js';
import { LeaderboardStore } from './leaderboard.store.js';
import { MissionSlots } from './mission-slots.store.js';
import { Mission, MissionSubmission } from './mission.entity.js';
import { MissionGrants, type MissionClock } from './mission.grants.js';
import { MissionProofs } from './mission.proofs.js';
import { MissionResolver, MissionSubmissionResolver } from './mission.resolver.js';
import { MissionService } from './mission.service.js';
import { MissionTopic, type MissionUpdatedPayload } from './mission.topics.js';
import { PointsLedgerEntry } from './points.entity.js';
import type { WeatherObserver } from './weather-observer.js';

export const MISSIONS_ENTITIES = [Mission, MissionSubmission, PointsLedgerEntry];

export interface MissionsDeps {
  infra: Infra;
  nodes: NodeRegistry;
  events: EventRecorder;
  uploads: UploadService;
  users: UserService;
  /** The live weather at a point, for WEATHER proofs (the weather module, adapted by the composition root). */
  weather: WeatherObserver;
}

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const MISSIONS_RESOLVERS = [MissionResolver, MissionSubmissionResolver];

/** Missions admins create and users prove; first-come rewards exact under any concurrency; points and a leaderboard. */
export function createMissionsModule(deps: MissionsDeps) {
  const { infra } = deps;
  const clock: MissionClock = { now: () => new Date() };
  const changed = async (id: number) => {
    const payload: MissionUpdatedPayload = { id };
    await infra.pubsub
      .publish(MissionTopic.UPDATED, id, payload)
      .catch((err: unknown) => infra.logger.warn({ err, id }, 'missionUpdated publish failed'));
  };
  const slots = new MissionSlots(infra.redis.client, infra.config.MISSION_RESERVATION_LEASE_SECONDS * 1000);
  const leaderboard = new LeaderboardStore(infra.redis.client);
  const grants = new MissionGrants(infra, slots, leaderboard, deps.events, clock, changed);
  const proofs = new MissionProofs(infra, grants, deps.weather, deps.uploads, clock, {
    attemptTtlSeconds: infra.config.MISSION_ATTEMPT_TTL_SECONDS,
  });
  const missions = new MissionService(deps.nodes, grants, proofs, leaderboard, deps.events, clock, changed);
  // A (re)subscriber gets the mission as it is now first; each event is resolved afresh anyway.
  infra.pubsub.registerStream<MissionUpdatedPayload>(MissionTopic.UPDATED, { replay: async (id) => [{ id: Number(id) }] });
  return {
    missions,
    proofs,
    grants,
    clock,
    resolvers: [new MissionResolver(missions, proofs, deps.users), new MissionSubmissionResolver(missions, deps.users)],
    topics: MissionTopic,
  } satisfies ModuleParts & Record<string, unknown>;
}
