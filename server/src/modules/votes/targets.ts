import type { Context } from '../../app/graphql/context.js';
import { type DecodedId, parseGlobalId } from '../../app/graphql/global-id.js';
import { notFound } from '../../app/errors.js';

/** What votes, comments and views need to know about a kind of target (Post, Comment, Resume...). */
export interface TargetDefinition {
  /** Whether the target exists and the caller may see it. */
  exists(ctx: Context, id: number): Promise<boolean>;
  /** Who owns it (for notifications and moderation); optional. */
  ownerId?(ctx: Context, id: number): Promise<number | null>;
}

/** The node types a feature (votes, comments) accepts as `targetId`, keyed by global-id type name. */
export class TargetRegistry<D extends TargetDefinition = TargetDefinition> {
  private readonly defs = new Map<string, D>();

  constructor(private readonly what: string) {}

  register(type: string, def: D): void {
    if (!/^[A-Za-z]{1,20}$/.test(type)) throw new Error(`Bad target type ${type}`);
    this.defs.set(type, def);
  }

  types(): string[] {
    return [...this.defs.keys()];
  }

  get(type: string): D {
    const def = this.defs.get(type);
    if (!def) throw new Error(`${this.what}: ${type} is not a registered target`);
    return def;
  }

  /** Decodes a target id argument: BAD_USER_INPUT for another type, NOT_FOUND when missing or hidden. */
  async resolve(ctx: Context, globalId: string, field = 'targetId'): Promise<DecodedId> {
    const decoded = parseGlobalId(globalId, this.types(), field);
    if (!(await this.get(decoded.type).exists(ctx, decoded.id))) throw notFound(`The ${decoded.type.toLowerCase()}`);
    return decoded;
  }
}
