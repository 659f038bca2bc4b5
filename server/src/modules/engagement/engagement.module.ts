import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { IdempotencyKeys } from '../../app/idempotency/idempotency.js';
import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import type { EventRecorder } from '../../app/outbox/outbox.js';
import { RedisLocks } from '../../app/redis-lock.js';
import { Comment } from './comment.entity.js';
import { CommentResolver } from './comment.resolver.js';
import { CommentService } from './comment.service.js';
import { CommentTopic } from './comment.topics.js';
import { CommentStore } from './comment.store.js';
import { CommentableResolver, VotableResolver } from './engagement.resolver.js';
import { TargetRegistry } from './targets.js';
import { VoteCountEvents } from './vote.events.js';
import { VoteResolver } from './vote.resolver.js';
import { VoteService } from './vote.service.js';
import { VoteStore } from './vote.store.js';
import { VoteTally } from './vote.tally.js';
import { VoteTopic, type VoteCountsPayload } from './vote.topics.js';
import { VoteWriter } from './vote.writer.js';

export const ENGAGEMENT_ENTITIES = [Comment];

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const ENGAGEMENT_RESOLVERS = [VoteResolver, CommentResolver, VotableResolver, CommentableResolver];

/** Votes and comments on any registered target, and the count fields those targets share. */
export function createEngagementModule(deps: { infra: Infra; nodes: NodeRegistry; events: EventRecorder; keys: IdempotencyKeys }) {
  const { infra, nodes, events } = deps;
  const targets = new TargetRegistry();
  const store = new VoteStore(infra.redis.client);
  const tally = new VoteTally(store, new RedisLocks(infra.redis.client), infra.logger);
  const writer = new VoteWriter(infra, store, tally, events);
  const countEvents: VoteCountEvents = new VoteCountEvents(
    infra,
    (type, id) => votes.currentCounts(type, id),
    (key, ms) => store.takePublishWindow(key, ms),
  );
  const votes: VoteService = new VoteService(infra, targets, store, tally, writer, countEvents);
  const comments = new CommentService(targets, new CommentStore(events), votes, deps.keys, infra.pubsub, infra.logger);
  // Every (re)subscriber gets the current counts first; a live event older than them is dropped.
  infra.pubsub.registerStream<VoteCountsPayload>(VoteTopic.COUNTS_CHANGED, {
    replay: async (key) => {
      const [type, id] = key.split(':');
      if (!type || !targets.types('votes').includes(type)) return [];
      return [{ type, id: Number(id), ...(await votes.currentCounts(type, Number(id))) }];
    },
    key: (p) => `${p.type}:${p.id}`,
    version: (p) => p.version,
  });
  nodes.register('Comment', (ctx, id) => comments.findVisible(ctx, id));
  targets.register('Comment', {
    find: async (ctx, id) => {
      const c = await comments.findVisible(ctx, id);
      return c && { ownerId: c.authorId };
    },
    commentable: false,
    cls: Comment,
  });
  return {
    targets,
    votes,
    comments,
    resolvers: [
      new VoteResolver(votes, targets),
      new CommentResolver(comments),
      new VotableResolver(targets, votes),
      new CommentableResolver(targets, comments),
    ],
    topics: { ...VoteTopic, ...CommentTopic },
    close: () => countEvents.close(),
  } satisfies ModuleParts & Record<string, unknown>;
}

export type EngagementModule = ReturnType<typeof createEngagementModule>;
