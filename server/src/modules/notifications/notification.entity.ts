import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { Node } from '../../app/graphql/relay.js';

export enum NotificationKind {
  LIKE = 'LIKE',
  COMMENT = 'COMMENT',
  REPLY = 'REPLY',
  MISSION_REVIEWED = 'MISSION_REVIEWED',
  RESUME_READY = 'RESUME_READY',
  WEATHER_ALERT = 'WEATHER_ALERT',
}
registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What happened.',
  valuesConfig: {
    LIKE: { description: 'Someone liked your post, resume or comment (grouped while unread).' },
    COMMENT: { description: 'Someone commented on your post or resume.' },
    REPLY: { description: 'Someone replied to your comment.' },
    MISSION_REVIEWED: { description: 'An admin reviewed your mission proof.' },
    RESUME_READY: { description: 'Your resume job finished.' },
    WEATHER_ALERT: { description: 'A new weather warning in your home province.' },
  },
});

@ObjectType('Notification', { implements: Node, description: 'Something that happened to you or your content.' })
@Entity({ tableName: 'notifications' })
export class Notification {
  [OptionalProps]?: 'globalId' | 'count' | 'actorIds' | 'groupKey' | 'readAt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId('Notification', this.id);
  }

  @Property({ type: 'integer', unsigned: true })
  recipientId!: number;

  @Field(() => NotificationKind, { description: 'What happened.' })
  @Enum({ items: () => NotificationKind, type: 'string', length: 20 })
  kind!: NotificationKind;

  /** The latest actor (null for system events such as weather warnings). */
  @Property({ type: 'integer', unsigned: true, nullable: true })
  actorId: number | null = null;

  /** JSON array of the most recent distinct actor ids, newest first (at most `RECENT_ACTORS`). */
  @Property({ type: 'string', length: 200 })
  actorIds = '[]';

  @Property({ type: 'string', length: 30, nullable: true })
  targetType: string | null = null;

  @Property({ type: 'integer', unsigned: true, nullable: true })
  targetId: number | null = null;

  @Field(() => Int, { description: 'How many events this notification groups (likes on one target while unread); 1 otherwise.' })
  @Property({ type: 'integer', unsigned: true })
  count = 1;

  /** Set while a groupable notification is unread; cleared on read so later likes start a new one. */
  @Property({ type: 'string', length: 100, nullable: true })
  groupKey: string | null = null;

  @Field(() => Date, { description: 'When the first event of this notification happened.' })
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'When you marked it read; null while unread.' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  readAt: Date | null = null;
}

/** The event rows that make processing idempotent. */
@Entity({ tableName: 'notification_events' })
export class NotificationEvent {
  @PrimaryKey({ type: 'string', length: 150 })
  dedupeKey!: string;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}
