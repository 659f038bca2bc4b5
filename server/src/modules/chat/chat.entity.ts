import { BigIntType, Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { Node } from '../../app/graphql/relay.js';
import { JSONScalar } from '../../app/graphql/scalars.js';
import { Province } from '../geo/province.js';
import type { WarningCard } from '../weather/alert-ingest.js';

export enum ChatRoomStatus {
  OPEN = 'OPEN',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(ChatRoomStatus, {
  name: 'ChatRoomStatus',
  description: 'Whether a province chat room takes new messages.',
  valuesConfig: {
    OPEN: { description: 'The province has (or recently had) an active warning; messages are accepted.' },
    ARCHIVED: { description: 'No active warning for a while: readable, no new messages.' },
  },
});

/** The card pinned at the top of a room: the warnings in force when it was last updated. */
/** The warnings card pinned in a room: what the weather module reports for its province. */
export type PinnedCard = WarningCard;

@ObjectType('ChatRoom', { implements: Node, description: 'The chat room of a province, opened by a KMA warning.' })
@Entity({ tableName: 'chat_rooms' })
export class ChatRoom {
  [OptionalProps]?: 'globalId' | 'archivedAt' | 'lastAlertAt' | 'lastSeq' | 'createdAt' | 'updatedAt' | 'pinnedCardJson';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId('ChatRoom', this.id);
  }

  @Field(() => Province, { description: 'The province.' })
  @Enum({ items: () => Province })
  province!: Province;

  @Field({ description: 'Display title, e.g. "서울특별시 기상특보 대화방".' })
  @Property({ type: 'string', length: 100 })
  title!: string;

  @Field(() => ChatRoomStatus, { description: 'OPEN or ARCHIVED.' })
  @Enum({ items: () => ChatRoomStatus })
  status!: ChatRoomStatus;

  @Field(() => Date, { description: 'When the room was (last re)opened.' })
  @Property({ type: 'datetime', length: 3 })
  openedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the room was archived; null while open.' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  archivedAt: Date | null = null;

  /** Last poll that saw an active warning in the province. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  lastAlertAt: Date | null = null;

  @Property({ type: 'text', nullable: true, fieldName: 'pinned_card' })
  pinnedCardJson: string | null = null;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'Pinned card: `{ updatedAt, alerts: [{ kind, level, zones, issuedAt, startsAt }] }`.',
  })
  get pinnedCard(): PinnedCard | null {
    return this.pinnedCardJson ? (JSON.parse(this.pinnedCardJson) as PinnedCard) : null;
  }

  @Field(() => Int, { description: 'Sequence number of the latest message (0 when none).' })
  @Property({ type: 'integer', unsigned: true })
  lastSeq: number = 0;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

@Entity({ tableName: 'chat_messages' })
export class ChatMessageRow {
  [OptionalProps]?: 'clientMessageId' | 'createdAt';

  @PrimaryKey({ type: new BigIntType('number'), unsigned: true, autoincrement: true })
  id!: number;

  @Property({ type: 'integer', unsigned: true })
  roomId!: number;

  @Property({ type: 'integer', unsigned: true })
  seq!: number;

  @Property({ type: 'integer', unsigned: true })
  authorId!: number;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  clientMessageId: string | null = null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}
