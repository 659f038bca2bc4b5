import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { IdempotencyKeys } from '../../app/idempotency/idempotency.js';
import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import type { EngagementModule } from '../engagement/engagement.module.js';
import type { ViewCounter } from '../views/view.service.js';
import { addViewCounts } from '../views/views.store.js';
import { Post } from './post.entity.js';
import { PostResolver } from './post.resolver.js';
import { PostService } from './post.service.js';
import { PostStore } from './posts.store.js';

export const POSTS_ENTITIES = [Post];

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const POSTS_RESOLVERS = [PostResolver];

/** Posts pinned to a place, found by distance; votable, commentable and view-counted. */
export function createPostsModule(deps: {
  infra: Infra;
  nodes: NodeRegistry;
  engagement: EngagementModule;
  views: ViewCounter;
  keys: IdempotencyKeys;
}) {
  const { infra, nodes, engagement, views } = deps;
  const posts = new PostService(nodes, engagement, views, new PostStore(), deps.keys, { recentRows: infra.config.POSTS_NEAR_RECENT_ROWS });
  views.registerTarget('Post', { persist: (em, deltas) => addViewCounts(em, 'posts', deltas) });
  return { posts, resolvers: [new PostResolver(posts, views)] } satisfies ModuleParts & Record<string, unknown>;
}
