import { Arg, Args, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/graphql/context.js';
import { parseGlobalId } from '../../app/graphql/global-id.js';
import { connectionType } from '../../app/graphql/relay.js';
import { User } from '../users/user.entity.js';
import { userById } from '../users/user.loaders.js';
import type { ViewCounter } from '../views/view.service.js';
import type { PostService } from './post.service.js';
import { roundKm } from '../geo/points.js';
import { Post } from './post.entity.js';
import { CreatePostInput, PostsNearArgs, UpdatePostInput } from './post.inputs.js';

@ObjectType('PostConnection', { description: 'A page of posts, newest first.' })
export class PostConnection extends connectionType(Post, 'Post') {}

const postId = (id: string) => parseGlobalId(id, 'Post').id;

@Resolver(() => Post)
export class PostResolver {
  constructor(
    private readonly posts: PostService,
    private readonly views: ViewCounter,
  ) {}

  @Query(() => Post, {
    nullable: true,
    description: 'One post; counts a view at most once per viewer (user, or IP when anonymous) per hour.',
  })
  post(@Arg('id', () => ID, { description: 'The post.' }) id: string, @Ctx() ctx: Context): Promise<Post | null> {
    return this.posts.view(ctx, postId(id));
  }

  @Query(() => PostConnection, { description: 'Posts within radiusKm (default 5, at most 20) of a point in South Korea, newest first.' })
  postsNear(@Args(() => PostsNearArgs) args: PostsNearArgs, @Ctx() ctx: Context) {
    return this.posts.near(ctx, args.latitude, args.longitude, args.radiusKm, args.first, args.after);
  }

  @Authorized()
  @Mutation(() => Post, { description: 'Posts at a place in South Korea (the place is never shown, only distances).' })
  createPost(
    @Arg('input', () => CreatePostInput, { description: 'The post.' }) input: CreatePostInput,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Any 1 to 100 ASCII characters you choose per post: a retry with the same key within 24 h returns the first result.',
    })
    idempotencyKey: string | null,
    @Ctx() ctx: Context,
  ): Promise<Post> {
    return this.posts.create(ctx, input, idempotencyKey);
  }

  @Authorized()
  @Mutation(() => Post, { description: 'Author or admin: changes a post.' })
  updatePost(
    @Arg('id', () => ID, { description: 'The post.' }) id: string,
    @Arg('input', () => UpdatePostInput, { description: 'The changes.' }) input: UpdatePostInput,
    @Ctx() ctx: Context,
  ): Promise<Post> {
    return this.posts.update(ctx, postId(id), input);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Author or admin: deletes a post with its comments and votes.' })
  deletePost(@Arg('id', () => ID, { description: 'The post.' }) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.posts.delete(ctx, postId(id));
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who wrote it; null if the account was deleted.' })
  author(@Root() post: Post, @Ctx() ctx: Context): Promise<User | null> {
    return userById(ctx).load(post.authorId);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Distance from the searched point in km, rounded to 0.1; null outside postsNear.',
  })
  distanceKm(@Root() post: Post): number | null {
    return post.distanceM === undefined ? null : roundKm(post.distanceM);
  }

  @FieldResolver(() => Int, { description: 'Views (each viewer at most once per hour).' })
  async viewCount(@Root() post: Post, @Ctx() ctx: Context): Promise<number> {
    return post.viewCount + (await this.views.pending(ctx, 'Post', post.id));
  }
}
