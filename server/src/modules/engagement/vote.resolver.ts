import { Arg, Authorized, Ctx, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { notFound } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import { decodeGlobalId, parseGlobalId, toGlobalId } from '../../app/graphql/global-id.js';
import type { TargetRegistry } from './targets.js';
import type { VoteService } from './vote.service.js';
import { VoteTopic, type VoteCountsPayload } from './vote.topics.js';
import { VoteCounts, VoteCountsEvent, VoteValue } from './vote.types.js';

@Resolver(() => VoteCounts)
export class VoteResolver {
  constructor(
    private readonly votes: VoteService,
    private readonly targets: TargetRegistry,
  ) {}

  @Authorized()
  @Mutation(() => VoteCounts, {
    description: 'Likes, dislikes or clears (NONE) your vote on a post, comment or resume; one vote per user per target.',
  })
  vote(
    @Arg('targetId', () => ID, { description: 'The post, comment or resume.' }) targetId: string,
    @Arg('value', () => VoteValue, { description: 'LIKE, DISLIKE or NONE.' }) value: VoteValue,
    @Ctx() ctx: Context,
  ): Promise<VoteCounts> {
    return this.votes.vote(ctx, targetId, value);
  }

  @Subscription(() => VoteCountsEvent, {
    topics: VoteTopic.COUNTS_CHANGED,
    topicId: ({ args }) => {
      const decoded = decodeGlobalId(args.targetId);
      // An unknown id subscribes to a topic nobody publishes on; the resolver never runs for it.
      return decoded ? `${decoded.type}:${decoded.id}` : 'none';
    },
    description:
      'Like and dislike counts of one target after changes; bursts are coalesced across every API instance (a few events a second per target at most), the last event carries the final counts. The current counts come first on every (re)subscribe.',
  })
  async voteCountsChanged(
    @Arg('targetId', () => ID, { description: 'The post, comment or resume.' }) targetId: string,
    @Root() payload: VoteCountsPayload,
    @Ctx() ctx: Context,
  ): Promise<VoteCountsEvent> {
    parseGlobalId(targetId, this.targets.types('votes'), 'targetId');
    if (!(await this.targets.visible(ctx, payload.type, payload.id))) throw notFound('The target');
    return { targetId: toGlobalId(payload.type, payload.id), likeCount: payload.likeCount, dislikeCount: payload.dislikeCount };
  }
}
