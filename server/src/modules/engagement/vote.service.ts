import DataLoader from 'dataloader';
import type { Knex } from '@mikro-orm/mysql';
import { unauthenticated, unavailable } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { defineLoader } from '../../app/graphql/loaders.js';
import type { Infra } from '../../app/infra.js';
import type { TargetRegistry } from './targets.js';
import type { VoteCountEvents } from './vote.events.js';
import type { Counts, VoteStore } from './vote.store.js';
import type { TargetRef, VoteTally } from './vote.tally.js';
import { numberToVote, voteToNumber, type VoteCounts, VoteValue } from './vote.types.js';
import type { VoteWriter } from './vote.writer.js';

const refOf = (key: string): TargetRef => {
  const i = key.indexOf(':');
  return { type: key.slice(0, i), id: Number(key.slice(i + 1)) };
};

/**
 * Likes and dislikes on any registered target. The `votes` row per (target, user) is the truth. One user's changes on
 * one target are serialised in Redis by an atomic script over the target's hash (counts, version, every user's vote);
 * each change then reaches MySQL through the writer, guarded by that version, so writes landing out of order never
 * leave a stale row or regress the counts. A missing hash is rebuilt from the rows (the tally).
 */
export class VoteService {
  /** Per request: counts by `Type:id`. */
  private readonly countsLoader = defineLoader(
    (ctx) => new DataLoader<string, Counts>(async (keys) => this.tally.load(ctx.em.getConnection(), keys.map(refOf))),
  );

  /** Per request: the caller's vote by `Type:id`. */
  private readonly myVoteLoader = defineLoader(
    (ctx) =>
      new DataLoader<string, VoteValue>(async (keys) => {
        const byType = new Map<string, number[]>();
        for (const { type, id } of keys.map(refOf)) byType.set(type, [...(byType.get(type) ?? []), id]);
        const found = new Map<string, number>();
        for (const [type, ids] of byType) {
          const votes = await this.store.votesOf(ctx.em.getConnection(), ctx.user!.id, type, ids);
          for (const [id, value] of votes) found.set(`${type}:${id}`, value);
        }
        return keys.map((k) => numberToVote(found.get(k) ?? 0));
      }),
  );

  constructor(
    private readonly infra: Pick<Infra, 'orm'>,
    private readonly targets: TargetRegistry,
    private readonly store: VoteStore,
    private readonly tally: VoteTally,
    private readonly writer: VoteWriter,
    private readonly countEvents: VoteCountEvents,
  ) {}

  /** `vote(targetId, value)`: sets the caller's vote; concurrent calls of one user end in exactly one vote. */
  async vote(ctx: Context, targetGlobalId: string, value: VoteValue): Promise<VoteCounts> {
    if (!ctx.user) throw unauthenticated();
    const target = await this.targets.resolve(ctx, targetGlobalId, 'votes');
    const { type, id } = target;
    const userId = ctx.user.id;
    let applied = await this.store.apply(type, id, userId, voteToNumber(value));
    for (let attempt = 1; !applied; attempt++) {
      if (attempt >= 5) throw unavailable('Votes are being recounted; try again.');
      await this.tally.rebuild(ctx.em.getConnection(), type, [id]);
      applied = await this.store.apply(type, id, userId, voteToNumber(value));
    }
    const { counts, changed } = applied;
    if (changed) {
      const liked =
        value === VoteValue.LIKE
          ? { type: 'TargetLiked' as const, actorId: userId, targetType: type, targetId: id, ownerId: target.ownerId }
          : null;
      await this.writer.write({ type, id, userId, value: voteToNumber(value), seq: counts.version, counts, liked });
      this.countEvents.changed(type, id);
    }
    return { targetId: toGlobalId(type, id), likeCount: counts.likeCount, dislikeCount: counts.dislikeCount, myVote: value };
  }

  counts(ctx: Context, type: string, id: number): Promise<Counts> {
    return this.countsLoader(ctx).load(`${type}:${id}`);
  }

  /** The caller's vote; null when anonymous. */
  async myVote(ctx: Context, type: string, id: number): Promise<VoteValue | null> {
    if (!ctx.user) return null;
    return this.myVoteLoader(ctx).load(`${type}:${id}`);
  }

  /** Counts straight from Redis (refilled from MySQL when missing), outside any request. */
  async currentCounts(type: string, id: number): Promise<Counts> {
    const [counts] = await this.tally.load(this.infra.orm.em.getConnection(), [{ type, id }]);
    return counts!;
  }

  /** Removes every vote on a deleted target (inside the caller's transaction when given one). */
  purge(trx: Knex.Transaction | Knex, type: string, id: number): Promise<void> {
    return this.store.purge(trx, type, id);
  }
}
