import { notFound } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import { type DecodedId, parseGlobalId } from '../../app/graphql/global-id.js';

/** What engagement needs to know about one target the caller asked for. */
export interface TargetInfo {
  /** Who owns it (notifications go to them); null when nobody does. */
  ownerId: number | null;
}

/** A kind of object people can vote on (and maybe comment on): Post, Comment, Resume... */
export interface TargetDefinition {
  /** The target when it exists and the caller may see it; null otherwise. */
  find(ctx: Context, id: number): Promise<TargetInfo | null>;
  /** Comments may be added to it (a comment itself is votable but answered through `parentId`). */
  commentable: boolean;
  /** Its GraphQL object class, so the shared count fields know which type a value is. */
  cls?: Function;
}

export type TargetCapability = 'votes' | 'comments';

/** The node types engagement accepts as `targetId`, registered by the modules that own them. */
export class TargetRegistry {
  private readonly defs = new Map<string, TargetDefinition>();
  private readonly typeByClass = new Map<Function, string>();

  register(type: string, def: TargetDefinition): void {
    if (!/^[A-Za-z]{1,20}$/.test(type)) throw new Error(`Bad target type ${type}`);
    this.defs.set(type, def);
    if (def.cls) this.typeByClass.set(def.cls, type);
  }

  types(capability: TargetCapability): string[] {
    return [...this.defs].filter(([, d]) => capability === 'votes' || d.commentable).map(([type]) => type);
  }

  /** Whether the caller may see `type:id` (false for an unknown type). */
  async visible(ctx: Context, type: string, id: number): Promise<boolean> {
    const def = this.defs.get(type);
    return !!def && (await def.find(ctx, id)) !== null;
  }

  /** The target type of a GraphQL value (a Post, Resume or Comment entity). */
  typeOf(value: object): string {
    const type = this.typeByClass.get(value.constructor);
    if (!type) throw new Error(`${value.constructor.name} is not a registered target class`);
    return type;
  }

  /** Decodes a target id argument: BAD_USER_INPUT for another type, NOT_FOUND when missing or hidden. */
  async resolve(ctx: Context, globalId: string, capability: TargetCapability, field = 'targetId'): Promise<DecodedId & TargetInfo> {
    const decoded = parseGlobalId(globalId, this.types(capability), field);
    const found = await this.defs.get(decoded.type)!.find(ctx, decoded.id);
    if (!found) throw notFound(`The ${decoded.type.toLowerCase()}`);
    return { ...decoded, ownerId: found.ownerId };
  }
}
