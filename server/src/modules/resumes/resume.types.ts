import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionArgs, connectionType } from '../../app/graphql/relay.js';
import { JSONScalar } from '../../app/graphql/scalars.js';
import { TextLength, TrimmedMatches } from '../../app/graphql/validators.js';
import { Resume } from './resume.entity.js';
import { ResumeOrder } from './resume.service.js';

export enum ResumeLanguageEnum {
  KO = 'KO',
  EN = 'EN',
}
registerEnumType(ResumeLanguageEnum, {
  name: 'ResumeLanguage',
  description: 'Language of a generated resume.',
  valuesConfig: { KO: { description: 'Korean.' }, EN: { description: 'English.' } },
});
registerEnumType(ResumeOrder, {
  name: 'ResumeOrder',
  description: 'Order of `publicResumes`.',
  valuesConfig: { RECENT: { description: 'Newest first.' }, POPULAR: { description: 'Most viewed and liked first.' } },
});

/** GitHub's rule for user names: letters, digits and single inner hyphens, at most 39. */
const GITHUB_LOGIN = /^[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38}$/i;

@InputType({ description: 'What to draft a resume from.' })
export class GenerateResumeInput {
  @Field({ description: 'GitHub username whose public work is the evidence.' })
  @TrimmedMatches(GITHUB_LOGIN, 'must be a GitHub username')
  githubUsername: string;

  @Field({ description: 'The role the resume targets, e.g. "Backend engineer".' })
  @TextLength(1, 100, { unit: 'codePoints' })
  targetRole: string;

  @Field(() => ResumeLanguageEnum, { defaultValue: ResumeLanguageEnum.KO, description: 'KO (default) or EN.' })
  language: ResumeLanguageEnum = ResumeLanguageEnum.KO;
}

export const RESUME_TITLE_MAX = 200;

@ArgsType()
export class UpdateResumeArgs {
  @Field(() => ID, { description: 'The resume.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'New title.' })
  @TextLength(1, RESUME_TITLE_MAX, { unit: 'codePoints' })
  title?: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'New JSON Resume document.' })
  content?: unknown;
}

@ArgsType()
export class ReviseResumeSectionArgs {
  @Field(() => ID, { description: 'The resume.' })
  id: string;

  @Field({ description: 'The section: basics.summary, basics.label, work[i].highlights, projects[i].description, skills...' })
  path: string;

  @Field({ description: 'What to change, in words.' })
  @TextLength(1, 1000, { unit: 'codePoints' })
  instruction: string;
}

@ArgsType()
export class PublicResumesArgs extends ConnectionArgs {
  @Field(() => ResumeOrder, { defaultValue: ResumeOrder.RECENT, description: 'RECENT (default) or POPULAR.' })
  orderBy: ResumeOrder = ResumeOrder.RECENT;
}

export const ResumeConnection = connectionType(Resume, 'Resume');

@ObjectType({ description: 'Your AI job quota for today.' })
export class Usage {
  @Field(() => Int, { description: 'AI jobs (generations and edits) used since the last reset.' })
  llmJobsUsed: number;

  @Field(() => Int, { description: 'AI jobs allowed per day.' })
  llmJobsLimit: number;

  @Field(() => Date, { description: 'When the counter next resets.' })
  resetsAt: Date;
}
