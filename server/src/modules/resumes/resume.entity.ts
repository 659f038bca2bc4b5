import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { Node } from '../../app/graphql/relay.js';
import { Commentable, Votable } from '../engagement/engagement.types.js';
import { JSONScalar } from '../../app/graphql/scalars.js';

export enum Visibility {
  PRIVATE = 'PRIVATE',
  UNLISTED = 'UNLISTED',
  PUBLIC = 'PUBLIC',
}
registerEnumType(Visibility, {
  name: 'Visibility',
  description: 'Who may see a resume.',
  valuesConfig: {
    PRIVATE: { description: 'Only the owner.' },
    UNLISTED: { description: 'Anyone with its link; not listed in `publicResumes`.' },
    PUBLIC: { description: 'Anyone; listed in `publicResumes`.' },
  },
});

@ObjectType('Resume', {
  implements: [Node, Votable, Commentable],
  description: 'A JSON Resume document drafted from GitHub evidence, with its versions.',
})
@Entity({ tableName: 'resumes' })
export class Resume {
  [OptionalProps]?: 'visibility' | 'version' | 'viewCount' | 'createdAt' | 'updatedAt' | 'globalId' | 'evidence' | 'githubUsername';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId('Resume', this.id);
  }

  @Property({ type: 'integer', unsigned: true })
  ownerId!: number;

  @Field({ description: 'Title shown in lists.' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => Visibility, { description: 'PRIVATE, UNLISTED or PUBLIC.' })
  @Enum({ items: () => Visibility, type: 'string', length: 10 })
  visibility: Visibility = Visibility.PRIVATE;

  @Field(() => JSONScalar, {
    description: 'The JSON Resume document; evidence ids are kept in `x-evidence` / `x-highlightEvidence` fields.',
  })
  @Property({ type: 'json', columnType: 'longtext' })
  content!: Record<string, unknown>;

  /** The GitHub snapshot the draft was built from (grounding evidence); never exposed as is. */
  @Property({ type: 'json', columnType: 'longtext', nullable: true, lazy: true })
  evidence: unknown = null;

  @Field(() => Int, { description: 'Current version number; every save, AI edit and restore adds one.' })
  @Property({ type: 'integer' })
  version = 1;

  @Field({
    description: 'The model that drafted the current version (`provider:model`), `template` without an LLM, or `user` for manual edits.',
  })
  @Property({ type: 'string', length: 100 })
  generatedBy!: string;

  @Property({ type: 'string', length: 39, nullable: true })
  githubUsername: string | null = null;

  /** Views flushed to MySQL by the view counter; `viewCount` adds those still pending in Redis. */
  @Property({ type: 'integer', unsigned: true })
  viewCount = 0;

  @Field(() => Date, { description: 'When the resume was created.' })
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();

  @Field(() => Date, { description: 'When the resume last changed.' })
  @Property({ type: 'datetime', length: 3, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

@ObjectType('ResumeVersion', { description: 'One saved state of a resume.' })
@Entity({ tableName: 'resume_versions' })
export class ResumeVersion {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer', unsigned: true })
  resumeId!: number;

  @Field(() => Int, { description: 'Version number, from 1.' })
  @PrimaryKey({ type: 'integer' })
  version!: number;

  @Field({ description: 'Title at this version.' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => JSONScalar, { description: 'The JSON Resume document at this version.' })
  @Property({ type: 'json', columnType: 'longtext' })
  content!: Record<string, unknown>;

  @Field({ description: 'Who made this version: a model, `template`, `user` or `restore:<n>`.' })
  @Property({ type: 'string', length: 100 })
  generatedBy!: string;

  @Field(() => Date, { description: 'When this version was saved.' })
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}
