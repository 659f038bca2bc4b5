import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { notFound } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import { parseGlobalId } from '../../app/graphql/global-id.js';
import { ConnectionArgs } from '../../app/graphql/relay.js';
import { User } from '../users/user.entity.js';
import type { UserService } from '../users/user.service.js';
import type { ResumeJobService } from './resume-job.service.js';
import type { ResumeService } from './resume.service.js';
import type { UsageService } from './usage.service.js';
import { Resume, ResumeVersion, Visibility } from './resume.entity.js';
import { ResumeJob } from './resume-job.entity.js';
import { ResumeTopic, type ResumeJobPayload } from './resume.topics.js';
import {
  GenerateResumeInput,
  PublicResumesArgs,
  ResumeConnection,
  ReviseResumeSectionArgs,
  UpdateResumeArgs,
  Usage,
} from './resume.types.js';

const resumeId = (id: string, field = 'id') => parseGlobalId(id, 'Resume', field).id;

@Resolver(() => Resume)
export class ResumeResolver {
  constructor(
    private readonly resumes: ResumeService,
    private readonly resumeJobs: ResumeJobService,
    private readonly usage: UsageService,
    private readonly users: UserService,
  ) {}

  @Query(() => Resume, {
    nullable: true,
    description: 'A resume you may see (private ones only for the owner); counts one view per viewer per hour.',
  })
  resume(@Arg('id', () => ID, { description: 'The resume.' }) id: string, @Ctx() ctx: Context): Promise<Resume | null> {
    const decoded = parseGlobalId(id, 'Resume');
    return this.resumes.view(ctx, decoded.id);
  }

  @Authorized()
  @Query(() => ResumeConnection, { description: 'Your resumes, newest first.' })
  myResumes(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return this.resumes.myResumes(ctx, args.first, args.after);
  }

  @Query(() => ResumeConnection, { description: 'PUBLIC resumes, newest or most popular first.' })
  publicResumes(@Args(() => PublicResumesArgs) args: PublicResumesArgs, @Ctx() ctx: Context) {
    return this.resumes.publicResumes(ctx, args.first, args.after, args.orderBy);
  }

  @Authorized()
  @Query(() => Usage, { description: 'Your AI job quota for today.' })
  async myUsage(@Ctx() ctx: Context): Promise<Usage> {
    const usage = this.usage;
    return { llmJobsUsed: await usage.used(ctx.em, ctx.user!.id), llmJobsLimit: usage.limit, resetsAt: usage.resetsAt() };
  }

  @Authorized()
  @Mutation(() => Resume, {
    description: 'Owner: changes the title and/or content (validated against the JSON Resume schema); makes a new version.',
  })
  updateResume(@Args(() => UpdateResumeArgs) args: UpdateResumeArgs, @Ctx() ctx: Context): Promise<Resume> {
    return this.resumes.update(ctx, resumeId(args.id), args.title, args.content);
  }

  @Authorized()
  @Mutation(() => Resume, { description: 'Owner: makes a new version with the content of an older one.' })
  restoreResumeVersion(
    @Arg('id', () => ID, { description: 'The resume.' }) id: string,
    @Arg('version', () => Int, { description: 'The version to restore.' }) version: number,
    @Ctx() ctx: Context,
  ): Promise<Resume> {
    return this.resumes.restore(ctx, resumeId(id), version);
  }

  @Authorized()
  @Mutation(() => Resume, { description: 'Owner: PRIVATE, UNLISTED (by link) or PUBLIC (listed).' })
  setResumeVisibility(
    @Arg('id', () => ID, { description: 'The resume.' }) id: string,
    @Arg('visibility', () => Visibility, { description: 'The new visibility.' }) visibility: Visibility,
    @Ctx() ctx: Context,
  ): Promise<Resume> {
    return this.resumes.setVisibility(ctx, resumeId(id), visibility);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Owner or admin: deletes a resume and its versions.' })
  deleteResume(@Arg('id', () => ID, { description: 'The resume.' }) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.resumes.delete(ctx, resumeId(id));
  }

  @Authorized()
  @Mutation(() => ResumeJob, {
    description: 'Queues drafting a resume from a GitHub account; returns at once. Counts against the daily quota.',
  })
  generateResume(
    @Arg('input', () => GenerateResumeInput, { description: 'What to draft from.' }) input: GenerateResumeInput,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Any 1 to 100 ASCII characters you choose per request: a retry with the same key within 24 h returns the first job.',
    })
    idempotencyKey: string | null,
    @Ctx() ctx: Context,
  ): Promise<ResumeJob> {
    return this.resumeJobs.generate(ctx, input, idempotencyKey);
  }

  @Authorized()
  @Mutation(() => ResumeJob, {
    description:
      'Owner: queues an AI edit of one section, e.g. `work[0].highlights`; the result is a new version. Counts against the daily quota.',
  })
  reviseResumeSection(@Args(() => ReviseResumeSectionArgs) args: ReviseResumeSectionArgs, @Ctx() ctx: Context): Promise<ResumeJob> {
    return this.resumeJobs.revise(ctx, resumeId(args.id), args.path, args.instruction);
  }

  @Authorized()
  @Query(() => ResumeJob, { nullable: true, description: 'One of your resume jobs.' })
  resumeJob(@Arg('id', () => ID, { description: 'The job.' }) id: string, @Ctx() ctx: Context): Promise<ResumeJob | null> {
    return this.resumeJobs.find(ctx, parseGlobalId(id, 'ResumeJob').id);
  }

  @Authorized()
  @Subscription(() => ResumeJob, {
    topics: ResumeTopic.JOB_UPDATED,
    topicId: ({ args }) => parseGlobalId(args.jobId, 'ResumeJob', 'jobId').id,
    description: 'Status, stage and progress of one of your jobs as it runs.',
  })
  resumeJobUpdated(
    @Arg('jobId', () => ID, { description: 'The job.' }) _jobId: string,
    @Root() payload: ResumeJobPayload,
    @Ctx() ctx: Context,
  ): ResumeJob {
    if (payload.userId !== ctx.user?.id) throw notFound('The job');
    return Object.assign(new ResumeJob(), payload, {
      createdAt: new Date(payload.createdAt),
      updatedAt: new Date(payload.updatedAt),
      input: {},
    });
  }

  @FieldResolver(() => User, { description: 'Who owns the resume.' })
  async owner(@Root() resume: Resume, @Ctx() ctx: Context): Promise<User> {
    return (await this.users.findById(ctx, resume.ownerId))!;
  }

  @FieldResolver(() => Int, { description: 'Views, each viewer counted at most once per hour (the owner never).' })
  viewCount(@Root() resume: Resume, @Ctx() ctx: Context): Promise<number> {
    return this.resumes.viewCount(ctx, resume);
  }

  @FieldResolver(() => [ResumeVersion], { nullable: true, description: 'Saved versions, newest first (up to 100); only for the owner.' })
  versions(@Root() resume: Resume, @Ctx() ctx: Context): Promise<ResumeVersion[] | null> {
    return this.resumes.versions(ctx, resume);
  }
}

@Resolver(() => ResumeJob)
export class ResumeJobResolver {
  constructor(private readonly resumes: ResumeService) {}

  @FieldResolver(() => Resume, { nullable: true, description: 'The resume made or edited, once the job succeeded.' })
  resume(@Root() job: ResumeJob, @Ctx() ctx: Context): Promise<Resume | null> | null {
    return job.resumeId ? this.resumes.findVisible(ctx, job.resumeId) : null;
  }
}
