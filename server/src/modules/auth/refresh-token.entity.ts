import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** One refresh token, stored as its SHA-256 hash. Never exposed through GraphQL. */
@Entity({ tableName: 'refresh_tokens' })
export class RefreshToken {
  [OptionalProps]?: 'createdAt' | 'rotatedAt' | 'revokedAt';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Property({ type: 'integer', unsigned: true })
  userId!: number;

  /** Shared by every token rotated from one sign-in; re-use of a rotated token revokes the family. */
  @Property({ type: 'string', length: 32 })
  familyId!: string;

  @Property({ type: 'string', length: 64, unique: 'refresh_tokens_token_hash_unique' })
  tokenHash!: string;

  @Property({ type: 'datetime', length: 3 })
  expiresAt!: Date;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();

  /** Set when the token was exchanged for a new one; presenting it again is re-use. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  rotatedAt: Date | null = null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  revokedAt: Date | null = null;
}
