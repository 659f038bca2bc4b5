import { badInput, type FieldErrors, forbidden, notFound, unauthenticated } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { IdempotencyKeys } from '../../app/idempotency/idempotency.js';
import { decodeCursor, encodeCursor, toConnection } from '../../app/graphql/relay.js';
import type { ViewCounter } from '../views/view.service.js';
import type { EngagementModule } from '../engagement/engagement.module.js';
import { checkPoint, checkRadius } from '../geo/points.js';
import { Post, PostTopic } from './post.entity.js';
import type { CreatePostInput, UpdatePostInput } from './post.inputs.js';
import type { PostStore } from './posts.store.js';

/**
 * Posts with a place, which only the store writes and searches. Titles and bodies are checked by the input classes
 * (post.inputs.ts) and stored trimmed. `postsNear`: newest first with a keyset cursor on (created_at, id); see
 * `PostStore.near` for its two plans.
 */
export class PostService {
  constructor(
    nodes: NodeRegistry,
    private readonly engagement: Pick<EngagementModule, 'targets' | 'votes' | 'comments'>,
    readonly views: ViewCounter,
    private readonly store: PostStore,
    private readonly keys: IdempotencyKeys,
    private readonly options: { recentRows: number },
  ) {
    nodes.register('Post', (ctx, id) => this.findById(ctx, id));
    engagement.targets.register('Post', {
      find: (ctx, id) => this.store.ownerOf(ctx.em.getConnection(), id),
      commentable: true,
      cls: Post,
    });
  }

  findById(ctx: Context, id: number): Promise<Post | null> {
    return ctx.em.findOne(Post, { id });
  }

  /** `post(id)`: the post, counting a view (once per viewer per hour). */
  async view(ctx: Context, id: number): Promise<Post | null> {
    const post = await this.findById(ctx, id);
    if (post) await this.views.count(ctx, 'Post', post.id);
    return post;
  }

  /** With an idempotency key, a retry within 24 h answers the post the first call created. */
  async create(ctx: Context, input: CreatePostInput, idempotencyKey?: string | null): Promise<Post> {
    if (!ctx.user) throw unauthenticated();
    const userId = ctx.user.id;
    const key = this.keys.check(idempotencyKey);
    const fields = checkPoint(input.latitude, input.longitude);
    if (Object.keys(fields).length) throw badInput(fields);
    const first = key ? await this.keys.first(userId, 'createPost', key) : null;
    if (first !== null) return this.retried(ctx, first);
    const post = {
      authorId: userId,
      title: input.title.trim(),
      body: input.body.trim(),
      topic: input.topic ?? PostTopic.OTHER,
      latitude: input.latitude,
      longitude: input.longitude,
      now: new Date(),
    };
    let id: number;
    if (!key) id = await this.store.insert(ctx.em.getConnection(), post);
    else {
      try {
        id = await ctx.em
          .getConnection()
          .getKnex()
          .transaction(async (trx) => {
            const created = await this.store.insertIn(trx, post);
            await this.keys.claim(trx, userId, 'createPost', key, created);
            return created;
          });
      } catch (err) {
        const winner = await this.keys.winnerAfter(err, userId, 'createPost', key);
        if (winner !== null) return this.retried(ctx, winner);
        throw err;
      }
    }
    return (await ctx.em.findOne(Post, { id }))!;
  }

  /** The post a retried createPost made the first time; NOT_FOUND when it has been deleted since. */
  private async retried(ctx: Context, id: number): Promise<Post> {
    const post = await ctx.em.findOne(Post, { id });
    if (!post) throw notFound('The post');
    return post;
  }

  private async ownPost(ctx: Context, id: number): Promise<Post> {
    if (!ctx.user) throw unauthenticated();
    const post = await this.findById(ctx, id);
    if (!post) throw notFound('The post');
    if (post.authorId !== ctx.user.id && ctx.user.role !== 'ADMIN') throw forbidden('Only the author or an admin can change this post.');
    return post;
  }

  async update(ctx: Context, id: number, input: UpdatePostInput): Promise<Post> {
    const post = await this.ownPost(ctx, id);
    const fields: FieldErrors = {};
    if (input.title != null) post.title = input.title.trim();
    if (input.body != null) post.body = input.body.trim();
    if (input.topic != null) post.topic = input.topic;
    const moving = input.latitude != null || input.longitude != null;
    if (moving) {
      if (input.latitude == null || input.longitude == null)
        fields[input.latitude == null ? 'latitude' : 'longitude'] = ['must be given with the other coordinate'];
      else checkPoint(input.latitude, input.longitude, fields);
    }
    if (Object.keys(fields).length) throw badInput(fields);
    post.updatedAt = new Date();
    await ctx.em.flush();
    if (moving) await this.store.move(ctx.em.getConnection(), post.id, input.latitude!, input.longitude!);
    return post;
  }

  async delete(ctx: Context, id: number): Promise<boolean> {
    const post = await this.ownPost(ctx, id);
    await this.engagement.comments.purge(ctx, 'Post', post.id);
    await this.engagement.votes.purge(ctx.em.getConnection().getKnex(), 'Post', post.id);
    await this.store.delete(ctx.em.getConnection(), post.id);
    ctx.em.clear();
    return true;
  }

  /** Posts within `radiusKm` of a point, newest first: the newest-rows plan, then the spatial one (`PostStore.near`). */
  async near(ctx: Context, latitude: number, longitude: number, radiusKm: number, first: number, after: string | null | undefined) {
    const fields = checkPoint(latitude, longitude);
    if (Object.keys(fields).length) throw badInput(fields);
    checkRadius(radiusKm);
    const cursor = decodeCursor<[number, number]>(after, ['number', 'number']);
    const rows = await this.store.near(ctx.em.getConnection(), {
      latitude,
      longitude,
      radiusKm,
      limit: first + 1,
      cursor,
      recentRows: this.options.recentRows,
    });
    const posts = rows.map((r) => {
      const post = ctx.em.map(Post, r);
      post.distanceM = Number(r.distance_m);
      return post;
    });
    return toConnection(posts, first, (p) => encodeCursor([p.createdAt.getTime(), p.id]));
  }
}
