/** Pub/sub topics of the missions module. */
export const MissionTopic = {
  /** Per mission id: `{ id }` after every approval (remaining slots) or admin change. */
  UPDATED: 'MISSION_UPDATED',
} as const;

export interface MissionUpdatedPayload {
  id: number;
}
