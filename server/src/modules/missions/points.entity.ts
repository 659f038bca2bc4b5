import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** One grant (or correction) of points; a user's `points` is always the sum of their rows. */
@Entity({ tableName: 'points_ledger' })
export class PointsLedgerEntry {
  [OptionalProps]?: 'createdAt' | 'missionId' | 'submissionId';

  @PrimaryKey({ type: 'bigint', unsigned: true, autoincrement: true })
  id!: string;

  @Property({ type: 'integer', unsigned: true })
  userId!: number;

  @Property({ type: 'integer' })
  amount!: number;

  /** Why: `MISSION` for mission rewards. */
  @Property({ type: 'string', length: 20 })
  kind!: string;

  /** With `userId`, unique: a mission rewards a user at most once. */
  @Property({ type: 'integer', unsigned: true, nullable: true })
  missionId: number | null = null;

  @Property({ type: 'integer', unsigned: true, nullable: true })
  submissionId: number | null = null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}
