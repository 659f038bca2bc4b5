import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { Node } from '../../app/graphql/relay.js';
import { Commentable, Votable } from '../engagement/engagement.types.js';

export enum PostTopic {
  WEATHER = 'WEATHER',
  TRAFFIC = 'TRAFFIC',
  DAILY = 'DAILY',
  OTHER = 'OTHER',
}
registerEnumType(PostTopic, {
  name: 'PostTopic',
  description: 'What a post is about.',
  valuesConfig: {
    WEATHER: { description: 'Weather where you are.' },
    TRAFFIC: { description: 'Roads and transport.' },
    DAILY: { description: 'Daily life.' },
    OTHER: { description: 'Anything else.' },
  },
});

/**
 * A post pinned to a place. The place is the `location` POINT column, written and read only with SQL in the service:
 * it is not mapped here, so no entity ever carries (or could leak) the coordinates.
 */
@ObjectType('Post', {
  implements: [Node, Votable, Commentable],
  description: 'A community post near a place; its exact location is never returned.',
})
@Entity({ tableName: 'posts' })
export class Post {
  [OptionalProps]?: 'viewCount' | 'createdAt' | 'updatedAt' | 'globalId' | 'distanceKm';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId('Post', this.id);
  }

  @Property({ type: 'integer', unsigned: true })
  authorId!: number;

  @Field({ description: 'Title, 1 to 100 characters, stored as written (escape it when rendering).' })
  @Property({ type: 'string', length: 100 })
  title!: string;

  @Field({ description: 'Text, 1 to 5,000 characters, stored as written (escape it when rendering).' })
  @Property({ type: 'text' })
  body!: string;

  @Field(() => PostTopic, { description: 'What the post is about.' })
  @Enum({ items: () => PostTopic, type: 'string', length: 10 })
  topic!: PostTopic;

  /** Views already persisted; the resolver adds views still pending in Redis. */
  @Property({ type: 'integer', unsigned: true })
  viewCount = 0;

  @Field(() => Date, { description: 'When the post was created.' })
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();

  @Field(() => Date, { description: 'When the post last changed.' })
  @Property({ type: 'datetime', length: 3, onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** Set by `postsNear`: meters from the query point (not persisted). */
  distanceM?: number;
}
