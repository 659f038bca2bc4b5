import type { Connection } from '@mikro-orm/core';
import { Batcher } from '../../app/batcher.js';
import { badInput, type FieldErrors, forbidden, notFound, unauthenticated } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { decodeCursor, encodeCursor, toConnection } from '../../app/graphql/relay.js';
import type { ViewCounter } from '../views/view.service.js';
import type { EngagementModule } from '../engagement/engagement.module.js';
import { checkPoint, checkRadius, pointWkt } from '../geo/points.js';
import { nearStatements } from './near.sql.js';
import { Post, PostTopic } from './post.entity.js';
import type { CreatePostInput, UpdatePostInput } from './post.inputs.js';

export const TITLE_MAX = 100;
export const BODY_MAX = 5000;

function checkText(fields: FieldErrors, name: string, value: unknown, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) fields[name] = ['must not be empty'];
  else if (text.length > max) fields[name] = [`must be at most ${max} characters`];
  return text;
}

/**
 * Posts with a place. The place is a POINT(lng lat) written and searched only here, in SQL; nothing returns it.
 * `postsNear`: newest first with a keyset cursor on (created_at, id); see `near` for its two plans.
 */
export class PostService {
  private readonly authors = new Batcher(async (conn: Connection, ids: number[]) => {
    const rows: { id: number; author_id: number }[] = await conn.execute(
      `select id, author_id from posts where id in (${ids.map(() => '?').join(',')})`,
      ids,
    );
    const found = new Map(rows.map((r) => [Number(r.id), Number(r.author_id)]));
    return ids.map((id) => (found.has(id) ? { ownerId: found.get(id)! } : null));
  });

  constructor(
    nodes: NodeRegistry,
    private readonly engagement: Pick<EngagementModule, 'targets' | 'votes' | 'comments'>,
    readonly views: ViewCounter,
    private readonly options: { recentRows: number },
  ) {
    nodes.register('Post', (ctx, id) => this.findById(ctx, id));
    // Votes and comments only need the post's author: concurrent checks share one `id in (...)` lookup.
    engagement.targets.register('Post', { find: (ctx, id) => this.authors.add(ctx.em.getConnection(), id), commentable: true, cls: Post });
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

  async create(ctx: Context, input: CreatePostInput): Promise<Post> {
    if (!ctx.user) throw unauthenticated();
    const fields: FieldErrors = {};
    const title = checkText(fields, 'title', input.title, TITLE_MAX);
    const body = checkText(fields, 'body', input.body, BODY_MAX);
    checkPoint(input.latitude, input.longitude, fields);
    if (Object.keys(fields).length) throw badInput(fields);
    const now = new Date();
    const res = await ctx.em
      .getConnection()
      .execute(
        'insert into posts (author_id, title, body, topic, location, view_count, created_at, updated_at) values (?, ?, ?, ?, ST_GeomFromText(?), 0, ?, ?)',
        [ctx.user.id, title, body, input.topic ?? PostTopic.OTHER, pointWkt(input.latitude, input.longitude), now, now],
        'run',
      );
    const post = await ctx.em.findOne(Post, { id: Number((res as unknown as { insertId: number }).insertId) });
    return post!;
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
    if (input.title != null) post.title = checkText(fields, 'title', input.title, TITLE_MAX);
    if (input.body != null) post.body = checkText(fields, 'body', input.body, BODY_MAX);
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
    if (moving) {
      await ctx.em
        .getConnection()
        .execute('update posts set location = ST_GeomFromText(?) where id = ?', [pointWkt(input.latitude!, input.longitude!), post.id]);
    }
    return post;
  }

  async delete(ctx: Context, id: number): Promise<boolean> {
    const post = await this.ownPost(ctx, id);
    await this.engagement.comments.purge(ctx, 'Post', post.id);
    await this.engagement.votes.purge(ctx.em.getConnection().getKnex(), 'Post', post.id);
    await ctx.em.getConnection().execute('delete from posts where id = ?', [post.id]);
    ctx.em.clear();
    return true;
  }

  /** Posts within `radiusKm` of a point, newest first: the newest-rows plan, then the spatial one (`nearStatements`). */
  async near(ctx: Context, latitude: number, longitude: number, radiusKm: number, first: number, after: string | null | undefined) {
    const fields = checkPoint(latitude, longitude);
    if (Object.keys(fields).length) throw badInput(fields);
    checkRadius(radiusKm);
    const cursor = decodeCursor<[number, number]>(after, ['number', 'number']);
    const plans = nearStatements({ latitude, longitude, radiusKm, limit: first + 1, cursor, recentRows: this.options.recentRows });
    const conn = ctx.em.getConnection();
    let rows: Record<string, unknown>[] = [];
    if (plans.recent) rows = await conn.execute(plans.recent.sql, plans.recent.params);
    if (rows.length <= first) rows = await conn.execute(plans.spatial.sql, plans.spatial.params);
    const posts = rows.map((r) => {
      const post = ctx.em.map(Post, r);
      post.distanceM = Number(r.distance_m);
      return post;
    });
    return toConnection(posts, first, (p) => encodeCursor([p.createdAt.getTime(), p.id]));
  }
}
