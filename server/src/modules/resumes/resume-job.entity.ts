import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../app/graphql/global-id.js';

export enum ResumeJobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(ResumeJobStatus, {
  name: 'ResumeJobStatus',
  description: 'Where a resume job is.',
  valuesConfig: {
    QUEUED: { description: 'Waiting for a worker.' },
    RUNNING: { description: 'A worker is on it; see `stage` and `progress`.' },
    SUCCEEDED: { description: 'Done; `resume` holds the result.' },
    FAILED: { description: 'Stopped; `error` says why.' },
  },
});

export enum ResumeJobKind {
  GENERATE = 'GENERATE',
  REVISE = 'REVISE',
}

export interface ResumeJobInput {
  githubUsername?: string;
  targetRole?: string;
  language?: 'KO' | 'EN';
  path?: string;
  instruction?: string;
}

@ObjectType('ResumeJob', { description: 'A resume generation or AI edit running in the worker.' })
@Entity({ tableName: 'resume_jobs' })
export class ResumeJob {
  [OptionalProps]?: 'status' | 'stage' | 'progress' | 'error' | 'errorCode' | 'resumeId' | 'createdAt' | 'updatedAt' | 'globalId';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId('ResumeJob', this.id);
  }

  @Property({ type: 'integer', unsigned: true })
  userId!: number;

  @Property({ type: 'integer', unsigned: true, nullable: true })
  resumeId: number | null = null;

  @Enum({ items: () => ResumeJobKind, type: 'string', length: 10 })
  kind!: ResumeJobKind;

  @Field(() => ResumeJobStatus, { description: 'QUEUED, RUNNING, SUCCEEDED or FAILED.' })
  @Enum({ items: () => ResumeJobStatus, type: 'string', length: 10 })
  status: ResumeJobStatus = ResumeJobStatus.QUEUED;

  @Field(() => String, { description: 'Current step: queued, collect, select, draft, validate, save, done.' })
  @Property({ type: 'string', length: 20 })
  stage = 'queued';

  @Field(() => Int, { description: 'Progress, 0 to 100.' })
  @Property({ type: 'integer' })
  progress = 0;

  @Field(() => String, { nullable: true, description: 'Why the job failed, in words to show; null otherwise.' })
  @Property({ type: 'string', length: 500, nullable: true })
  error: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'Error code of a failure (NOT_FOUND, RATE_LIMITED, SERVICE_UNAVAILABLE, INVALID_OUTPUT...).',
  })
  @Property({ type: 'string', length: 40, nullable: true })
  errorCode: string | null = null;

  @Property({ type: 'json', columnType: 'longtext' })
  input!: ResumeJobInput;

  @Field(() => Date, { description: 'When the job was queued.' })
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();

  @Field(() => Date, { description: 'When the job last changed.' })
  @Property({ type: 'datetime', length: 3, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
