import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { Node } from '../../app/graphql/relay.js';

export enum UserRole {
  USER = 'USER',
  ADMIN = 'ADMIN',
}
registerEnumType(UserRole, {
  name: 'UserRole',
  description: 'What a user may do.',
  valuesConfig: { USER: { description: 'A member.' }, ADMIN: { description: 'May manage missions, review proofs and moderate.' } },
});

@ObjectType('User', { implements: Node, description: 'A member of the community. Coordinates are never exposed.' })
@Entity({ tableName: 'users' })
export class User {
  [OptionalProps]?: 'role' | 'points' | 'createdAt' | 'updatedAt' | 'globalId';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId('User', this.id);
  }

  /** Normalised (trimmed, lower-case); null for Kakao accounts without a verified email. */
  @Property({ type: 'string', length: 254, nullable: true, unique: 'users_email_unique' })
  email: string | null = null;

  @Field({ description: 'Display name, unique case-insensitively.' })
  @Property({ type: 'string', length: 40 })
  nickname!: string;

  /** NFC + lower-case form of the nickname; its unique index is what makes nicknames unique. */
  @Property({ type: 'string', length: 80, unique: 'users_nickname_key_unique' })
  nicknameKey!: string;

  @Property({ type: 'string', length: 100, nullable: true, hidden: true, lazy: true })
  passwordHash: string | null = null;

  @Property({ type: 'string', length: 32, nullable: true, unique: 'users_kakao_id_unique', hidden: true })
  kakaoId: string | null = null;

  @Field(() => UserRole, { description: 'USER or ADMIN.' })
  @Enum({ items: () => UserRole, type: 'string', length: 10 })
  role: UserRole = UserRole.USER;

  @Field(() => Int, { description: 'Points earned from missions (the sum of the points ledger).' })
  @Property({ type: 'integer', default: 0 })
  points = 0;

  @Property({ type: 'double', nullable: true, hidden: true })
  homeLatitude: number | null = null;

  @Property({ type: 'double', nullable: true, hidden: true })
  homeLongitude: number | null = null;

  @Index({ name: 'users_home_province_idx' })
  @Property({ type: 'string', length: 20, nullable: true })
  homeProvince: string | null = null;

  @Field(() => Date, { description: 'When the account was created.' })
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
