import { Max, Min } from 'class-validator';
import { ArgsType, Field, ID, Int, InterfaceType, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from '../errors.js';

@InterfaceType({ description: 'An object with an opaque global id, fetchable through `node(id)`.' })
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id; never parse it.' })
  id: string;
}

@ObjectType({ description: 'Where a page of a connection ends and whether more follow.' })
export class PageInfo {
  @Field({ description: 'True when another page follows this one.' })
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; pass it as `after` for the next page.' })
  endCursor: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @Min(1)
  @Max(100)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' })
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** Builds `XConnection`/`XEdge` types for a node type. */
export function connectionType<T extends object>(nodeType: ClassType<T> | (() => unknown), name: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque keyset cursor of this edge.' })
    cursor: string;

    @Field(() => nodeType as ClassType<T>, { description: `The ${name}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay cursor connection, keyset-based).` })
  class ConnectionType implements ConnectionShape<T> {
    @Field(() => [EdgeType], { description: 'The items of this page, in order.' })
    edges: EdgeType[];

    @Field(() => PageInfo, { description: 'Paging information.' })
    pageInfo: PageInfo;
  }
  return ConnectionType;
}

/** Keyset cursors: the sort key values of a row, as opaque base64url JSON. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor<T extends readonly (string | number)[]>(
  cursor: string | null | undefined,
  shape: { [K in keyof T]: 'string' | 'number' },
  field = 'after',
): T | null {
  if (cursor == null) return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === shape.length &&
      values.every((v, i) => typeof v === shape[i] && (typeof v !== 'number' || Number.isFinite(v)))
    ) {
      return values as unknown as T;
    }
  } catch {
    // fall through: any undecodable cursor is the caller's mistake
  }
  throw badInput({ [field]: ['is not a valid cursor'] });
}

/** Turns `first + 1` fetched rows into a page; the extra row only tells whether more follow. */
export function toConnection<T>(rows: T[], first: number, cursorOf: (row: T) => string): ConnectionShape<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
