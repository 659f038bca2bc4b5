import { Ctx, Extensions, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/graphql/context.js';
import type { CommentService } from './comment.service.js';
import { Commentable, Votable } from './engagement.types.js';
import type { TargetRegistry } from './targets.js';
import type { VoteService } from './vote.service.js';
import { VoteValue } from './vote.types.js';

type Target = { id: number };

/** likeCount, dislikeCount and myVote of every votable type, batched per request. */
@Resolver(() => Votable)
export class VotableResolver {
  constructor(
    private readonly targets: TargetRegistry,
    private readonly votes: VoteService,
  ) {}

  @FieldResolver(() => Int)
  async likeCount(@Root() target: Target, @Ctx() ctx: Context): Promise<number> {
    return (await this.votes.counts(ctx, this.targets.typeOf(target), target.id)).likeCount;
  }

  @FieldResolver(() => Int)
  async dislikeCount(@Root() target: Target, @Ctx() ctx: Context): Promise<number> {
    return (await this.votes.counts(ctx, this.targets.typeOf(target), target.id)).dislikeCount;
  }

  @Extensions({ perViewer: true })
  @FieldResolver(() => VoteValue, { nullable: true })
  myVote(@Root() target: Target, @Ctx() ctx: Context): Promise<VoteValue | null> {
    return this.votes.myVote(ctx, this.targets.typeOf(target), target.id);
  }
}

/** commentCount of every commentable type, batched per request. */
@Resolver(() => Commentable)
export class CommentableResolver {
  constructor(
    private readonly targets: TargetRegistry,
    private readonly comments: CommentService,
  ) {}

  @FieldResolver(() => Int)
  commentCount(@Root() target: Target, @Ctx() ctx: Context): Promise<number> {
    return this.comments.count(ctx, this.targets.typeOf(target), target.id);
  }
}
