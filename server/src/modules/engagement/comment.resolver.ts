import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { Context } from '../../app/graphql/context.js';
import { decodeGlobalId, toGlobalId } from '../../app/graphql/global-id.js';
import { notFound } from '../../app/errors.js';
import { ConnectionArgs, connectionType } from '../../app/graphql/relay.js';
import { TextLength } from '../../app/graphql/validators.js';
import { User } from '../users/user.entity.js';
import { userById } from '../users/user.loaders.js';
import { COMMENT_MAX_LENGTH, type CommentService } from './comment.service.js';
import { Comment } from './comment.entity.js';
import { CommentTopic, type CommentAddedPayload } from './comment.topics.js';

@ObjectType('CommentConnection', { description: 'A page of comments, oldest first.' })
export class CommentConnection extends connectionType(Comment, 'Comment') {}

@ArgsType()
class CommentsArgs extends ConnectionArgs {
  @Field(() => ID, { description: 'The post or resume.' })
  targetId: string;
}

@ArgsType()
class AddCommentArgs {
  @Field(() => ID, { description: 'The post or resume.' })
  targetId: string;

  @Field(() => String, { description: '1 to 2,000 characters (trimmed), stored as written.' })
  @TextLength(1, COMMENT_MAX_LENGTH)
  body: string;

  @Field(() => ID, { nullable: true, description: 'The comment replied to.' })
  parentId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Any 1 to 100 ASCII characters you choose per comment: a retry with the same key within 24 h returns the first result.',
  })
  idempotencyKey?: string | null;
}

@Resolver(() => Comment)
export class CommentResolver {
  constructor(private readonly commentService: CommentService) {}

  @Query(() => CommentConnection, {
    description: 'Comments on a post or resume, oldest first; replies are in the same list with their parentId (one level deep).',
  })
  comments(@Args(() => CommentsArgs) args: CommentsArgs, @Ctx() ctx: Context) {
    return this.commentService.list(ctx, args.targetId, args.first, args.after);
  }

  @Authorized()
  @Mutation(() => Comment, {
    description: 'Comments on a post or resume; with parentId, replies to a comment (a reply to a reply joins its thread).',
  })
  addComment(@Args(() => AddCommentArgs) args: AddCommentArgs, @Ctx() ctx: Context): Promise<Comment> {
    return this.commentService.add(ctx, args.targetId, args.body, args.parentId, args.idempotencyKey);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Author or admin: deletes a comment (its text is removed; replies stay).' })
  deleteComment(@Arg('id', () => ID, { description: 'The comment.' }) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.commentService.delete(ctx, id);
  }

  @Subscription(() => Comment, {
    topics: CommentTopic.ADDED,
    topicId: ({ args }) => {
      const decoded = decodeGlobalId(args.targetId as string);
      // An unknown id subscribes to a topic nobody publishes on; the resolver never runs for it.
      return decoded ? `${decoded.type}:${decoded.id}` : 'none';
    },
    description: 'Comments added to a post or résumé you can see, from any API instance (its commentCount grows by one each).',
  })
  async commentAdded(
    @Arg('targetId', () => ID, { description: 'The post or resume.' }) _targetId: string,
    @Root() payload: CommentAddedPayload,
    @Ctx() ctx: Context,
  ): Promise<Comment> {
    const comment = await this.commentService.findVisible(ctx, payload.commentId);
    if (!comment) throw notFound('The comment');
    return comment;
  }

  @FieldResolver(() => ID, { description: 'The post or resume commented on.' })
  targetId(@Root() c: Comment): string {
    return toGlobalId(c.targetType, c.targetId);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The top-level comment this replies to; null for a top-level comment.' })
  parentId(@Root() c: Comment): string | null {
    return c.parentId ? toGlobalId('Comment', c.parentId) : null;
  }

  @FieldResolver(() => Boolean, { description: 'True once deleted (body is then empty and author null).' })
  deleted(@Root() c: Comment): boolean {
    return c.deletedAt !== null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who wrote it; null once deleted.' })
  author(@Root() c: Comment, @Ctx() ctx: Context): Promise<User | null> | null {
    return c.deletedAt ? null : userById(ctx).load(c.authorId);
  }
}
