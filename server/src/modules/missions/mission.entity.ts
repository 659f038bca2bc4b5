import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { Node } from '../../app/graphql/relay.js';

export enum VerificationKind {
  PHOTO = 'PHOTO',
  LOCATION = 'LOCATION',
  WEATHER = 'WEATHER',
  CODE = 'CODE',
}
registerEnumType(VerificationKind, {
  name: 'VerificationKind',
  description: 'How a proof of a mission is checked.',
  valuesConfig: {
    PHOTO: { description: 'An uploaded photo, reviewed by an admin (EXIF time and place are checked and shown to the reviewer).' },
    LOCATION: { description: 'The proof coordinates must lie within `radiusMeters` of the mission point.' },
    WEATHER: { description: 'The live KMA observation at the proof coordinates must match `weatherCondition`.' },
    CODE: { description: 'A secret code announced offline.' },
  },
});

export enum MissionStatus {
  UPCOMING = 'UPCOMING',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(MissionStatus, {
  name: 'MissionStatus',
  description: 'Where a mission is in its time window.',
  valuesConfig: {
    UPCOMING: { description: 'Not started yet.' },
    OPEN: { description: 'Accepting proofs.' },
    CLOSED: { description: 'Ended or closed by an admin.' },
  },
});

export enum SubmissionStatus {
  APPROVED = 'APPROVED',
  PENDING_REVIEW = 'PENDING_REVIEW',
  REJECTED = 'REJECTED',
}
registerEnumType(SubmissionStatus, {
  name: 'MissionSubmissionStatus',
  description: 'Outcome of a proof.',
  valuesConfig: {
    APPROVED: { description: 'Verified; the reward was granted.' },
    PENDING_REVIEW: { description: 'A photo waiting for an admin.' },
    REJECTED: { description: 'The proof did not pass; see `reason`. Start the mission again to retry.' },
  },
});

@ObjectType('Mission', {
  implements: Node,
  description: 'A task set by an admin that pays points once per user, to at most `capacity` users.',
})
@Entity({ tableName: 'missions' })
export class Mission {
  [OptionalProps]?:
    | 'closedAt'
    | 'approvedCount'
    | 'createdAt'
    | 'updatedAt'
    | 'globalId'
    | 'capacity'
    | 'latitude'
    | 'longitude'
    | 'radiusMeters'
    | 'weatherCondition'
    | 'codeHash';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId('Mission', this.id);
  }

  @Field({ description: 'Short title.' })
  @Property({ type: 'string', length: 100 })
  title!: string;

  @Field({ description: 'What to do.' })
  @Property({ type: 'text' })
  description!: string;

  @Field(() => Date, { description: 'Proofs are accepted from this instant (inclusive).' })
  @Property({ type: 'datetime', length: 3 })
  startsAt!: Date;

  @Field(() => Date, { description: 'Proofs are accepted until this instant (exclusive).' })
  @Property({ type: 'datetime', length: 3 })
  endsAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When an admin closed the mission early.' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  closedAt: Date | null = null;

  @Field(() => Int, { description: 'Points granted per completion.' })
  @Property({ type: 'integer' })
  rewardPoints!: number;

  @Field(() => Int, { nullable: true, description: 'How many completions are rewarded; null when unlimited.' })
  @Property({ type: 'integer', nullable: true })
  capacity: number | null = null;

  @Field(() => Int, { description: 'Approved completions so far.' })
  @Property({ type: 'integer' })
  approvedCount = 0;

  @Enum({ items: () => VerificationKind, type: 'string', length: 10 })
  verificationKind!: VerificationKind;

  @Property({ type: 'double', nullable: true })
  latitude: number | null = null;

  @Property({ type: 'double', nullable: true })
  longitude: number | null = null;

  @Property({ type: 'integer', nullable: true })
  radiusMeters: number | null = null;

  @Property({ type: 'string', length: 40, nullable: true })
  weatherCondition: string | null = null;

  /** scrypt hash of the CODE; never exposed. */
  @Property({ type: 'string', length: 200, nullable: true, hidden: true })
  codeHash: string | null = null;

  @Property({ type: 'integer', unsigned: true })
  createdBy!: number;

  @Field(() => Date, { description: 'When the mission was created.' })
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

@ObjectType('MissionSubmission', {
  implements: Node,
  description: 'A proof of a mission and its outcome (one per user and mission; a retry replaces a rejected one).',
})
@Entity({ tableName: 'mission_submissions' })
export class MissionSubmission {
  [OptionalProps]?:
    'reason' | 'rewardPoints' | 'uploadId' | 'photoCheck' | 'reviewedBy' | 'reviewedAt' | 'createdAt' | 'updatedAt' | 'globalId';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId('MissionSubmission', this.id);
  }

  @Property({ type: 'integer', unsigned: true })
  missionId!: number;

  @Property({ type: 'integer', unsigned: true })
  userId!: number;

  @Field(() => SubmissionStatus, { description: 'APPROVED, PENDING_REVIEW or REJECTED.' })
  @Enum({ items: () => SubmissionStatus, type: 'string', length: 15 })
  status!: SubmissionStatus;

  @Field(() => String, { nullable: true, description: 'Why the proof was rejected (or the reviewer note).' })
  @Property({ type: 'string', length: 300, nullable: true })
  reason: string | null = null;

  @Field(() => Int, { nullable: true, description: 'Points granted; null unless APPROVED.' })
  @Property({ type: 'integer', nullable: true })
  rewardPoints: number | null = null;

  @Property({ type: 'string', length: 32, nullable: true })
  uploadId: string | null = null;

  /** EXIF findings of a PHOTO proof (no coordinates, only distances). */
  @Property({ type: 'json', columnType: 'longtext', nullable: true })
  photoCheck: PhotoCheckData | null = null;

  @Property({ type: 'integer', unsigned: true, nullable: true })
  reviewedBy: number | null = null;

  @Field(() => Date, { nullable: true, description: 'When an admin reviewed the photo.' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  reviewedAt: Date | null = null;

  @Field(() => Date, { description: 'When the proof was first submitted.' })
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();

  @Field(() => Date, { description: 'When the proof or its outcome last changed.' })
  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = new Date();
}

export interface PhotoCheckData {
  hasExif: boolean;
  takenAt: string | null;
  takenWithinWindow: boolean | null;
  distanceKm: number | null;
  takenWithinRadius: boolean | null;
}
