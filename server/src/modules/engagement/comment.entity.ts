import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { Node } from '../../app/graphql/relay.js';
import { Votable } from './engagement.types.js';

/** A comment on any registered target (posts, later resumes); replies are one level deep (`parentId`). */
@ObjectType('Comment', {
  implements: [Node, Votable],
  description: 'A comment on a post or resume. Replies point at a top-level comment (one level deep).',
})
@Entity({ tableName: 'comments' })
export class Comment {
  [OptionalProps]?: 'createdAt' | 'deletedAt' | 'parentId' | 'globalId';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId('Comment', this.id);
  }

  @Property({ type: 'string', length: 20 })
  targetType!: string;

  @Property({ type: 'integer', unsigned: true })
  targetId!: number;

  @Property({ type: 'integer', unsigned: true, nullable: true })
  parentId: number | null = null;

  @Property({ type: 'integer', unsigned: true })
  authorId!: number;

  /** Empty once deleted. */
  @Field({ description: 'Text, stored as written (escape it when rendering); empty once deleted.' })
  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt: Date | null = null;

  @Field(() => Date, { description: 'When it was written.' })
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}
