import DataLoader from 'dataloader';
import { badInput, forbidden, notFound, unauthenticated } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { PubSub } from '../../app/graphql/pubsub.js';
import type { Logger } from '../../app/logger.js';
import type { IdempotencyKeys } from '../../app/idempotency/idempotency.js';
import { parseGlobalId } from '../../app/graphql/global-id.js';
import { defineLoader } from '../../app/graphql/loaders.js';
import { decodeCursor, encodeCursor, toConnection } from '../../app/graphql/relay.js';
import { Comment } from './comment.entity.js';
import { CommentTopic, type CommentAddedPayload } from './comment.topics.js';
import type { CommentStore } from './comment.store.js';
import type { TargetRegistry } from './targets.js';
import type { VoteService } from './vote.service.js';

export const COMMENT_MAX_LENGTH = 2000;

/**
 * Comments on any commentable target. Replies are one level deep: a reply to a reply joins the same thread. Deleting
 * keeps the row (body emptied, `deleted`) so replies stay in place. A new comment records CommentAdded (and ReplyAdded)
 * with its insert.
 */
export class CommentService {
  /** Per request: live comments per `Type:id`. */
  private readonly countLoader = defineLoader(
    (ctx) =>
      new DataLoader<string, number>(async (keys) => {
        const byType = new Map<string, number[]>();
        for (const k of keys) {
          const [type, id] = k.split(':');
          byType.set(type!, [...(byType.get(type!) ?? []), Number(id)]);
        }
        const found = new Map<string, number>();
        for (const [type, ids] of byType) {
          for (const [id, n] of await this.store.liveCounts(ctx.em.getConnection(), type, ids)) found.set(`${type}:${id}`, n);
        }
        return keys.map((k) => found.get(k) ?? 0);
      }),
  );

  constructor(
    private readonly targets: TargetRegistry,
    private readonly store: CommentStore,
    private readonly votes: VoteService,
    private readonly keys: IdempotencyKeys,
    private readonly pubsub: PubSub,
    private readonly logger: Logger,
  ) {}

  /** A comment whose target the caller can see; null otherwise. */
  async findVisible(ctx: Context, id: number): Promise<Comment | null> {
    const comment = await ctx.em.findOne(Comment, { id });
    if (!comment || !this.targets.types('comments').includes(comment.targetType)) return null;
    return (await this.targets.visible(ctx, comment.targetType, comment.targetId)) ? comment : null;
  }

  /** With an idempotency key, a retry within 24 h answers the comment the first call added. */
  async add(
    ctx: Context,
    targetGlobalId: string,
    body: string,
    parentGlobalId: string | null | undefined,
    idempotencyKey?: string | null,
  ): Promise<Comment> {
    if (!ctx.user) throw unauthenticated();
    const userId = ctx.user.id;
    const key = this.keys.check(idempotencyKey);
    const first = key ? await this.keys.first(userId, 'addComment', key) : null;
    if (first !== null) return this.retried(ctx, first);
    // The body's length is checked on the arguments (comment.resolver.ts); it is stored trimmed.
    const text = body.trim();
    const target = await this.targets.resolve(ctx, targetGlobalId, 'comments');
    let parent: Comment | null = null;
    if (parentGlobalId != null) {
      parent = await ctx.em.findOne(Comment, { id: parseGlobalId(parentGlobalId, 'Comment', 'parentId').id });
      if (!parent || parent.targetType !== target.type || parent.targetId !== target.id) {
        throw badInput({ parentId: ['must be a comment on the same target'] });
      }
      // a reply to a reply joins its thread: the event goes to the thread's author
      if (parent.parentId != null) parent = (await ctx.em.findOne(Comment, { id: parent.parentId })) ?? parent;
    }
    const createdAt = new Date();
    const row = {
      targetType: target.type,
      targetId: target.id,
      parentId: parent ? (parent.parentId ?? parent.id) : null,
      authorId: ctx.user.id,
      body: text,
      createdAt,
      targetOwnerId: target.ownerId,
      parentAuthorId: parent?.authorId ?? null,
    };
    let id: number;
    if (!key) {
      const inserted = await this.store.add(ctx.em.getConnection(), row);
      if ('error' in inserted) throw inserted.error;
      id = inserted.id;
    } else {
      try {
        id = await this.store.addAlone(ctx.em.getConnection(), row, (trx, commentId) =>
          this.keys.claim(trx, userId, 'addComment', key, commentId),
        );
      } catch (err) {
        const winner = await this.keys.winnerAfter(err, userId, 'addComment', key);
        if (winner !== null) return this.retried(ctx, winner);
        throw err;
      }
    }
    await this.publishAdded(id, row.targetType, row.targetId);
    return ctx.em.map(Comment, {
      id,
      target_type: row.targetType,
      target_id: row.targetId,
      parent_id: row.parentId,
      author_id: row.authorId,
      body: text,
      deleted_at: null,
      created_at: createdAt,
    });
  }

  /** Live comments for readers of the target; a lost publish only costs them a refresh, so it is logged, not thrown. */
  private async publishAdded(commentId: number, targetType: string, targetId: number): Promise<void> {
    const payload: CommentAddedPayload = { commentId, targetType, targetId };
    await this.pubsub
      .publish(CommentTopic.ADDED, `${targetType}:${targetId}`, payload)
      .catch((err: unknown) => this.logger.warn({ err, commentId }, 'commentAdded publish failed'));
  }

  /** The comment a retried addComment added the first time; NOT_FOUND when it is gone. */
  private async retried(ctx: Context, id: number): Promise<Comment> {
    const comment = await ctx.em.findOne(Comment, { id });
    if (!comment) throw notFound('The comment');
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
    const target = await this.targets.resolve(ctx, targetGlobalId, 'comments');
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
    const conn = ctx.em.getConnection();
    for (const commentId of await this.store.idsOn(conn, type, id)) await this.votes.purge(conn.getKnex(), 'Comment', commentId);
    await this.store.deleteOn(conn, type, id);
  }
}
