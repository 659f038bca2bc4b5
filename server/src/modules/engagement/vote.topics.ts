/** Pub/sub topics of the votes module. */
export const VoteTopic = {
  /** Per target (`<Type>:<id>`): the latest counts, at most one event per target per 250 ms across every API instance. */
  COUNTS_CHANGED: 'VOTE_COUNTS_CHANGED',
} as const;

export interface VoteCountsPayload {
  type: string;
  id: number;
  likeCount: number;
  dislikeCount: number;
  version: number;
}
