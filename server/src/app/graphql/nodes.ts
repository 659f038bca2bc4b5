import type { Context } from './context.js';
import { decodeGlobalId } from './global-id.js';

/** Loads one object of a type by numeric id, applying the caller's visibility rules; null when hidden. */
export type NodeFetcher = (ctx: Context, id: number) => Promise<object | null>;

/** What `node(id)` can resolve; each module registers its node types. */
export class NodeRegistry {
  private readonly fetchers = new Map<string, NodeFetcher>();

  register(type: string, fetcher: NodeFetcher): void {
    this.fetchers.set(type, fetcher);
  }

  async fetch(ctx: Context, globalId: string): Promise<any> {
    const decoded = decodeGlobalId(globalId);
    const fetcher = decoded && this.fetchers.get(decoded.type);
    return fetcher ? fetcher(ctx, decoded.id) : null;
  }
}
