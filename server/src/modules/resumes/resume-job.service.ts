import type { EntityManager, Knex } from '@mikro-orm/mysql';
import { z } from 'zod';
import { AppError, badInput, ErrorCode, notFound, unavailable } from '../../app/errors.js';
import type { IdempotencyKeys } from '../../app/idempotency/idempotency.js';
import type { Context } from '../../app/graphql/context.js';
import type { Infra } from '../../app/infra.js';
import { QueueName } from '../../app/queue/queues.js';
import { LlmError, NO_MODEL_MESSAGE, type AiService } from '../ai/ai.service.js';
import { GithubError } from '../github/github.client.js';
import type { GithubService, GithubSnapshot } from '../github/github.service.js';
import type { EventRecorder } from '../../app/outbox/outbox.js';
import { checkGrounding, indexEvidence } from './grounding.js';
import { validateJsonResume } from './json-resume.js';
import {
  assembleDraft,
  DRAFT_SYSTEM,
  DraftSchema,
  draftPrompt,
  selectedCount,
  templateDraft,
  type ResumeLanguage,
} from './resume.draft.js';
import { Resume } from './resume.entity.js';
import { ResumeJob, ResumeJobKind, ResumeJobStatus } from './resume-job.entity.js';
import type { ResumeService } from './resume.service.js';
import { ResumeTopic, type ResumeJobPayload } from './resume.topics.js';
import { getAt, parsePath, setAt } from './resume-path.js';
import type { UsageService } from './usage.service.js';

export const RESUME_JOB_NAME = 'resume';

const ReviseSchema = z.object({ value: z.union([z.string().max(2000), z.array(z.string().max(400)).max(30)]) });

export const REVISE_SYSTEM = [
  "You edit one part of a JSON Resume at the user's request.",
  'Return only {"value": ...} with the replacement for that part: a string if the current value is a string, an array of strings if it is an array.',
  'Use only facts present in the current value or in EVIDENCE. Never invent employers, organisations, dates or numbers.',
].join('\n');

export class ResumeJobService {
  constructor(
    private readonly infra: Pick<Infra, 'orm' | 'queues' | 'pubsub' | 'logger'>,
    private readonly resumes: ResumeService,
    private readonly usage: UsageService,
    private readonly github: GithubService,
    private readonly ai: AiService,
    private readonly events: EventRecorder,
    private readonly keys: IdempotencyKeys,
  ) {}

  async find(ctx: Context, id: number): Promise<ResumeJob | null> {
    const job = await ctx.em.findOne(ResumeJob, { id });
    return job && job.userId === ctx.user?.id ? job : null;
  }

  /**
   * Queues a draft; the input is checked by GenerateResumeInput's rules and used trimmed. With an idempotency key, a
   * retry within 24 h answers the first job and takes nothing more from the quota.
   */
  async generate(
    ctx: Context,
    input: { githubUsername: string; targetRole: string; language: ResumeLanguage },
    idempotencyKey?: string | null,
  ): Promise<ResumeJob> {
    const userId = ctx.user!.id;
    const key = this.keys.check(idempotencyKey);
    const first = key ? await this.keys.first(userId, 'generateResume', key) : null;
    if (first !== null) return this.retried(ctx, first);
    const githubUsername = input.githubUsername.trim();
    const targetRole = input.targetRole.trim();
    await this.takeQuota(ctx);
    try {
      return await this.enqueue(
        ctx.em,
        userId,
        ResumeJobKind.GENERATE,
        null,
        { githubUsername, targetRole, language: input.language },
        key,
      );
    } catch (err) {
      const winner = key ? await this.keys.winnerAfter(err, userId, 'generateResume', key) : null;
      if (winner === null) throw err;
      await this.usage.refund(ctx.em, userId);
      return this.retried(ctx, winner);
    }
  }

  private async retried(ctx: Context, id: number): Promise<ResumeJob> {
    const job = await this.find(ctx, id);
    if (!job) throw notFound('The job');
    return job;
  }

  async revise(ctx: Context, resumeId: number, path: string, instruction: string): Promise<ResumeJob> {
    const resume = await this.resumes.owned(ctx, resumeId);
    if (!this.ai.enabled) throw unavailable(NO_MODEL_MESSAGE);
    const segments = parsePath(path);
    if (!segments)
      throw badInput({ path: ['must be an editable path such as basics.summary, work[0].highlights or projects[1].description'] });
    if (getAt(resume.content, segments) === undefined) throw badInput({ path: ['does not exist in this resume'] });
    // The instruction's length is checked on the arguments (ReviseResumeSectionArgs).
    const text = instruction.trim();
    await this.takeQuota(ctx);
    return this.enqueue(ctx.em, ctx.user!.id, ResumeJobKind.REVISE, resume.id, { path, instruction: text });
  }

  private async takeQuota(ctx: Context): Promise<void> {
    if (!(await this.usage.consume(ctx.em, ctx.user!.id))) {
      const wait = (this.usage.resetsAt().getTime() - Date.now()) / 1000;
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `You have used your ${this.usage.limit} AI jobs for today; the quota resets at ${this.usage.resetsAt().toISOString()}.`,
        {
          retryAfterSeconds: Math.max(1, Math.ceil(wait)),
          reason: 'DAILY_QUOTA',
        },
      );
    }
  }

  /**
   * The job row and its ResumeJobRequested event commit together (and its idempotency key, if any); the worker's
   * consumer queues it, so the request never waits on Redis.
   */
  private async enqueue(
    em: EntityManager,
    userId: number,
    kind: ResumeJobKind,
    resumeId: number | null,
    input: ResumeJob['input'],
    key: string | null = null,
  ): Promise<ResumeJob> {
    await em.begin();
    let job: ResumeJob;
    try {
      job = em.create(ResumeJob, { userId, kind, resumeId, input });
      await em.flush();
      const trx = em.getTransactionContext<Knex.Transaction>()!;
      if (key) await this.keys.claim(trx, userId, 'generateResume', key, job.id);
      await this.events.record(trx, [{ type: 'ResumeJobRequested', jobId: job.id, userId }]);
      await em.commit();
    } catch (err) {
      await em.rollback();
      throw err;
    }
    await this.events.committed();
    return job;
  }

  /** Worker: queues requested jobs (their data is the row's id; the row holds the input). */
  async queue(jobIds: readonly number[]): Promise<void> {
    await this.infra.queues
      .get(QueueName.RESUMES)
      .addBulk(jobIds.map((id) => ({ name: RESUME_JOB_NAME, data: { jobId: id }, opts: { jobId: `resume-job-${id}`, attempts: 1 } })));
  }

  /** Worker: runs one job to SUCCEEDED or FAILED, publishing each step. Never throws for expected failures. */
  async run(jobId: number): Promise<void> {
    const em = this.infra.orm.em.fork();
    const job = await em.findOne(ResumeJob, { id: jobId });
    if (!job || job.status === ResumeJobStatus.SUCCEEDED || job.status === ResumeJobStatus.FAILED) return;
    const step = async (stage: string, progress: number) => {
      job.status = ResumeJobStatus.RUNNING;
      job.stage = stage;
      job.progress = progress;
      await em.flush();
      await this.publish(job);
    };
    try {
      await step(job.kind === ResumeJobKind.GENERATE ? 'collect' : 'draft', 5);
      const resumeId = job.kind === ResumeJobKind.GENERATE ? await this.runGenerate(em, job, step) : await this.runRevise(em, job, step);
      job.resumeId = resumeId;
      job.status = ResumeJobStatus.SUCCEEDED;
      job.stage = 'done';
      job.progress = 100;
    } catch (err) {
      const { code, message } = describeFailure(err);
      if (code === 'INTERNAL') this.infra.logger.error({ err, jobId }, 'resume job failed');
      job.status = ResumeJobStatus.FAILED;
      job.error = message.slice(0, 500);
      job.errorCode = code;
    }
    await this.finish(em, job);
    await this.publish(job);
  }

  /** The job's last state and its ResumeJobFinished event commit together. */
  private async finish(em: EntityManager, job: ResumeJob): Promise<void> {
    await em.begin();
    try {
      await em.flush();
      await this.events.record(em.getTransactionContext()!, [
        {
          type: 'ResumeJobFinished',
          jobId: job.id,
          userId: job.userId,
          kind: job.kind,
          succeeded: job.status === ResumeJobStatus.SUCCEEDED,
          resumeId: job.resumeId,
        },
      ]);
      await em.commit();
    } catch (err) {
      await em.rollback();
      throw err;
    }
    await this.events.committed();
  }

  private async runGenerate(em: EntityManager, job: ResumeJob, step: (stage: string, progress: number) => Promise<void>): Promise<number> {
    const { githubUsername, targetRole, language } = job.input as Required<ResumeJob['input']>;
    const snapshot = await this.github.collect(githubUsername, step);
    await step('select', 40);
    const input = { snapshot, selected: selectedCount(snapshot), targetRole, language };
    await step('draft', 50);
    let content: Record<string, unknown>;
    let generatedBy = 'template';
    if (this.ai.enabled) {
      const answer = await this.ai.structured(DraftSchema, DRAFT_SYSTEM, draftPrompt(input));
      await step('validate', 80);
      generatedBy = this.ai.label;
      content = assembleDraft(input, answer, indexEvidence(snapshot, [targetRole]), generatedBy);
    } else {
      await step('validate', 80);
      content = templateDraft(input);
    }
    const problems = validateJsonResume(content);
    if (Object.keys(problems).length)
      throw new Error(`generated document is not valid JSON Resume: ${JSON.stringify(problems).slice(0, 300)}`);
    await step('save', 90);
    const name = snapshot.profile.name ?? snapshot.profile.login;
    const resume = await this.resumes.create(em, {
      ownerId: job.userId,
      title: `${name} - ${targetRole}`.slice(0, 200),
      content,
      generatedBy,
      evidence: snapshot,
      githubUsername: snapshot.profile.login,
    });
    return resume.id;
  }

  private async runRevise(em: EntityManager, job: ResumeJob, step: (stage: string, progress: number) => Promise<void>): Promise<number> {
    const { path, instruction } = job.input as Required<ResumeJob['input']>;
    const resume = await em.findOne(Resume, { id: job.resumeId! }, { populate: ['evidence'] });
    if (!resume) throw new JobFailure('NOT_FOUND', 'The resume was deleted.');
    const segments = parsePath(path)!;
    const current = getAt(resume.content, segments);
    if (current === undefined) throw new JobFailure('BAD_USER_INPUT', `The path ${path} no longer exists in the resume.`);
    const snapshot = resume.evidence as GithubSnapshot | null;
    const prompt = `PATH: ${path}\nCURRENT VALUE: ${JSON.stringify(current)}\nINSTRUCTION: ${instruction}\nEVIDENCE: ${JSON.stringify(snapshot ?? {})}`;
    const answer = await this.ai.structured(ReviseSchema, REVISE_SYSTEM, prompt);
    await step('validate', 70);
    if (Array.isArray(current) !== Array.isArray(answer.value)) {
      throw new JobFailure(
        'INVALID_OUTPUT',
        `The model returned ${Array.isArray(answer.value) ? 'a list' : 'a string'} for ${path}, which holds ${Array.isArray(current) ? 'a list' : 'a string'}.`,
      );
    }
    const index = snapshot
      ? indexEvidence(snapshot, [JSON.stringify(resume.content)])
      : {
          ids: new Set(['profile']),
          textById: new Map([['profile', JSON.stringify(resume.content)]]),
          all: JSON.stringify(resume.content).toLowerCase(),
        };
    const allIds = [...index.ids];
    const allowed = JSON.stringify(current);
    const items = Array.isArray(answer.value) ? answer.value : [answer.value];
    const kept = items.filter((text) => checkGrounding(text, allIds, index, allowed).ok);
    if (kept.length === 0 || (!Array.isArray(answer.value) && kept.length !== 1)) {
      throw new JobFailure(
        'INVALID_OUTPUT',
        'The edit introduced organisations, dates or numbers that are not in the evidence, so it was not applied.',
      );
    }
    let content = setAt(resume.content, segments, Array.isArray(answer.value) ? kept : kept[0]);
    if (segments.at(-1) === 'highlights') {
      const item = getAt(content, segments.slice(0, -1)) as Record<string, unknown>;
      content = setAt(
        content,
        [...segments.slice(0, -1), 'x-highlightEvidence'],
        kept.map(() => (item['x-evidence'] as string[] | undefined) ?? []),
      );
    }
    const problems = validateJsonResume(content);
    if (Object.keys(problems).length) throw new JobFailure('INVALID_OUTPUT', 'The edited resume would not be valid JSON Resume.');
    await step('save', 90);
    await this.resumes.applyRevision(em, resume.id, resume.version, content, this.ai.label);
    return resume.id;
  }

  private async publish(job: ResumeJob): Promise<void> {
    const payload: ResumeJobPayload = {
      id: job.id,
      userId: job.userId,
      resumeId: job.resumeId,
      status: job.status,
      stage: job.stage,
      progress: job.progress,
      error: job.error,
      errorCode: job.errorCode,
      createdAt: job.createdAt.toISOString(),
      updatedAt: new Date().toISOString(),
    };
    await this.infra.pubsub.publish(ResumeTopic.JOB_UPDATED, job.id, payload);
  }
}

export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function describeFailure(err: unknown): { code: string; message: string } {
  if (err instanceof JobFailure || err instanceof GithubError || err instanceof LlmError) return { code: err.code, message: err.message };
  if (err instanceof AppError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: `The job failed unexpectedly: ${(err as Error).message?.slice(0, 300)}` };
}
