import DataLoader from 'dataloader';
import { badInput, forbidden, notFound, unauthenticated } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import { parseGlobalId } from '../../app/graphql/global-id.js';
import { defineLoader } from '../../app/graphql/loaders.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { decodeCursor, encodeCursor, toConnection } from '../../app/graphql/relay.js';
import { TargetRegistry, type TargetDefinition } from '../votes/targets.js';
import type { VoteService } from '../votes/vote.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import { Comment } from './comment.entity.js';
import { commentInserts } from './comment.inserts.js';

export const COMMENT_MAX_LENGTH = 2000;

/**
 * Comments on any registered target type (`registerTarget('Resume', { exists })`). Replies are one level deep: a reply
 * to a reply joins the same thread. Deleting keeps the row (body emptied, `deleted`) so replies stay in place.
 */
export class CommentService {
  private readonly targets = new TargetRegistry('comments');
  /** Comments of concurrent requests are inserted together (one multi-row INSERT, not a unit-of-work flush each). */
  private readonly inserts = commentInserts();

  /** Per request: live comments per `Type:id`. */
  private readonly countLoader = defineLoader(
    (ctx) =>
      new DataLoader<string, number>(async (keys) => {
        const byType = new Map<string, number[]>();
        for (const k of keys) {
          const [type, id] = k.split(':');
          byType.set(type, [...(byType.get(type) ?? []), Number(id)]);
        }
        const found = new Map<string, number>();
        for (const [type, ids] of byType) {
          const rows: { target_id: number; n: number }[] = await ctx.em
            .getConnection()
            .execute(
              `select target_id, count(*) as n from comments where target_type = ? and deleted_at is null and target_id in (${ids.map(() => '?').join(',')}) group by target_id`,
              [type, ...ids],
            );
          for (const r of rows) found.set(`${type}:${r.target_id}`, Number(r.n));
        }
        return keys.map((k) => found.get(k) ?? 0);
      }),
  );

  private notifications: Pick<NotificationService, 'notify'> | null = null;

  /** New comments notify the target's owner (COMMENT) and replies the thread's author (REPLY). */
  attachNotifications(notifications: Pick<NotificationService, 'notify'>): void {
    this.notifications = notifications;
  }

  constructor(
    nodes: NodeRegistry,
    private readonly votes: VoteService,
  ) {
    nodes.register('Comment', (ctx, id) => this.findVisible(ctx, id));
    votes.registerTarget('Comment', { exists: async (ctx, id) => (await this.findVisible(ctx, id)) !== null });
  }

  /** Makes a node type commentable. */
  registerTarget(type: string, def: TargetDefinition): void {
    this.targets.register(type, def);
  }

  /** A comment whose target the caller can see; null otherwise. */
  async findVisible(ctx: Context, id: number): Promise<Comment | null> {
    const comment = await ctx.em.findOne(Comment, { id });
    if (!comment || !this.targets.types().includes(comment.targetType)) return null;
    return (await this.targets.get(comment.targetType).exists(ctx, comment.targetId)) ? comment : null;
  }

  async add(ctx: Context, targetGlobalId: string, body: string, parentGlobalId: string | null | undefined): Promise<Comment> {
    if (!ctx.user) throw unauthenticated();
    const text = typeof body === 'string' ? body.trim() : '';
    if (!text) throw badInput({ body: ['must not be empty'] });
    if (text.length > COMMENT_MAX_LENGTH) throw badInput({ body: [`must be at most ${COMMENT_MAX_LENGTH} characters`] });
    const target = await this.targets.resolve(ctx, targetGlobalId);
    let parentId: number | null = null;
    if (parentGlobalId != null) {
      const parent = await ctx.em.findOne(Comment, { id: parseGlobalId(parentGlobalId, 'Comment', 'parentId').id });
      if (!parent || parent.targetType !== target.type || parent.targetId !== target.id)
        throw badInput({ parentId: ['must be a comment on the same target'] });
      parentId = parent.parentId ?? parent.id;
    }
    const createdAt = new Date();
    const inserted = await this.inserts.add(ctx.em.getConnection(), {
      targetType: target.type,
      targetId: target.id,
      parentId,
      authorId: ctx.user.id,
      body: text,
      createdAt,
    });
    if ('error' in inserted) throw inserted.error;
    const comment = ctx.em.map(Comment, {
      id: inserted.id,
      target_type: target.type,
      target_id: target.id,
      parent_id: parentId,
      author_id: ctx.user.id,
      body: text,
      deleted_at: null,
      created_at: createdAt,
    });
    await this.notifications?.notify({
      kind: 'COMMENT',
      actorId: ctx.user.id,
      targetType: 'Comment',
      targetId: comment.id,
      ownerOf: target,
      dedupeKey: `COMMENT:${comment.id}`,
    });
    if (parentId != null)
      await this.notifications?.notify({
        kind: 'REPLY',
        actorId: ctx.user.id,
        targetType: 'Comment',
        targetId: comment.id,
        ownerOf: { type: 'Comment', id: parentId },
        dedupeKey: `REPLY:${comment.id}`,
      });
    return comment;
  }

  /** Author or admin: soft delete (body emptied). Deleting twice is fine. */
  async delete(ctx: Context, globalId: string): Promise<boolean> {
    if (!ctx.user) throw unauthenticated();
    const comment = await this.findVisible(ctx, parseGlobalId(globalId, 'Comment').id);
    if (!comment) throw notFound('The comment');
    if (comment.authorId !== ctx.user.id && ctx.user.role !== 'ADMIN')
      throw forbidden('Only the author or an admin can delete this comment.');
    if (!comment.deletedAt) {
      comment.deletedAt = new Date();
      comment.body = '';
      await ctx.em.flush();
    }
    return true;
  }

  /** Oldest first, flat (replies carry `parentId`), keyset on id. */
  async list(ctx: Context, targetGlobalId: string, first: number, after: string | null | undefined) {
    const target = await this.targets.resolve(ctx, targetGlobalId);
    const cursor = decodeCursor<[number]>(after, ['number']);
    const rows = await ctx.em.find(
      Comment,
      { targetType: target.type, targetId: target.id, ...(cursor ? { id: { $gt: cursor[0] } } : {}) },
      { orderBy: { id: 'asc' }, limit: first + 1 },
    );
    return toConnection(rows, first, (c) => encodeCursor([c.id]));
  }

  /** Live (not deleted) comments on a target, batched per request. */
  count(ctx: Context, type: string, id: number): Promise<number> {
    return this.countLoader(ctx).load(`${type}:${id}`);
  }

  /** Removes the comments (and their votes) of a deleted target. */
  async purge(ctx: Context, type: string, id: number): Promise<void> {
    const knex = ctx.em.getConnection().getKnex();
    const rows: { id: number }[] = await ctx.em
      .getConnection()
      .execute('select id from comments where target_type = ? and target_id = ?', [type, id]);
    for (const r of rows) await this.votes.purge(knex, 'Comment', r.id);
    await ctx.em.getConnection().execute('delete from comments where target_type = ? and target_id = ?', [type, id]);
  }
}
