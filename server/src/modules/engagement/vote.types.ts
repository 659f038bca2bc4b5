import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum VoteValue {
  LIKE = 'LIKE',
  DISLIKE = 'DISLIKE',
  NONE = 'NONE',
}
registerEnumType(VoteValue, {
  name: 'VoteValue',
  description: "A user's vote on a target.",
  valuesConfig: {
    LIKE: { description: 'A like.' },
    DISLIKE: { description: 'A dislike.' },
    NONE: { description: 'No vote (clears an earlier one).' },
  },
});

export const voteToNumber = (v: VoteValue): number => (v === VoteValue.LIKE ? 1 : v === VoteValue.DISLIKE ? -1 : 0);
export const numberToVote = (n: number): VoteValue => (n > 0 ? VoteValue.LIKE : n < 0 ? VoteValue.DISLIKE : VoteValue.NONE);

@ObjectType('VoteCounts', { description: 'Counts of a target after a vote, and your vote.' })
export class VoteCounts {
  @Field(() => ID, { description: 'The post, comment or resume voted on.' })
  targetId: string;

  @Field(() => Int, { description: 'Likes.' })
  likeCount: number;

  @Field(() => Int, { description: 'Dislikes.' })
  dislikeCount: number;

  @Field(() => VoteValue, { nullable: true, description: 'Your vote now; null when anonymous.' })
  myVote: VoteValue | null;
}

@ObjectType('VoteCountsEvent', {
  description: 'The counts of a target after a change (bursts are coalesced; the last event carries the final counts).',
})
export class VoteCountsEvent {
  @Field(() => ID, { description: 'The target.' })
  targetId: string;

  @Field(() => Int, { description: 'Likes.' })
  likeCount: number;

  @Field(() => Int, { description: 'Dislikes.' })
  dislikeCount: number;
}
