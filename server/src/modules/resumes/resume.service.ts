import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { badInput, forbidden, notFound } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { decodeCursor, encodeCursor, toConnection, type ConnectionShape } from '../../app/graphql/relay.js';
import type { EngagementModule } from '../engagement/engagement.module.js';
import type { ViewCounter } from '../views/view.service.js';
import { validateJsonResume } from './json-resume.js';
import { Resume, ResumeVersion, Visibility } from './resume.entity.js';
import { resumeStore } from './resume.store.js';

export enum ResumeOrder {
  RECENT = 'RECENT',
  POPULAR = 'POPULAR',
}

const CONTENT_MAX_BYTES = 512 * 1024;

/** Who may see what: PRIVATE only the owner; UNLISTED anyone with the id; PUBLIC anyone, and listed. */
export function canView(user: Context['user'], resume: Pick<Resume, 'ownerId' | 'visibility'>): boolean {
  return resume.visibility !== Visibility.PRIVATE || user?.id === resume.ownerId;
}

export class ResumeService {
  constructor(
    nodes: NodeRegistry,
    private readonly engagement: Pick<EngagementModule, 'targets' | 'votes' | 'comments'>,
    private readonly views: ViewCounter,
  ) {
    nodes.register('Resume', (ctx, id) => this.findVisible(ctx, id));
    // Votable and commentable under the same visibility rules as `resume(id)`.
    const find = async (ctx: Context, id: number) => {
      const resume = await this.findVisible(ctx, id);
      return resume && { ownerId: resume.ownerId };
    };
    engagement.targets.register('Resume', { find, commentable: true, cls: Resume });
  }

  async findVisible(ctx: Context, id: number): Promise<Resume | null> {
    const resume = await ctx.em.findOne(Resume, { id });
    return resume && canView(ctx.user, resume) ? resume : null;
  }

  /** `resume(id)`: the visible resume, counting one view per viewer (user, else IP) per hour; owners' views do not count. */
  async view(ctx: Context, id: number): Promise<Resume | null> {
    const resume = await this.findVisible(ctx, id);
    if (resume && ctx.user?.id !== resume.ownerId) await this.views.count(ctx, 'Resume', resume.id);
    return resume;
  }

  /** Stored views plus those counted but not yet flushed. */
  async viewCount(ctx: Context, resume: Resume): Promise<number> {
    return resume.viewCount + (await this.views.pending(ctx, 'Resume', resume.id));
  }

  /** The resume if `ctx.user` owns it (admins too when `adminToo`); NOT_FOUND when hidden, FORBIDDEN when visible but not theirs. */
  async owned(ctx: Context, id: number, em: EntityManager = ctx.em, adminToo = false, lock = false): Promise<Resume> {
    const resume = await em.findOne(Resume, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    if (!resume || !canView(ctx.user, resume)) {
      if (!(adminToo && resume && ctx.user?.role === 'ADMIN')) throw notFound('The resume');
    }
    if (resume.ownerId !== ctx.user?.id && !(adminToo && ctx.user?.role === 'ADMIN'))
      throw forbidden('Only the owner may change this resume.');
    return resume;
  }

  async myResumes(ctx: Context, first: number, after?: string | null): Promise<ConnectionShape<Resume>> {
    const cursor = decodeCursor<[number]>(after, ['number']);
    const rows = await ctx.em.find(
      Resume,
      { ownerId: ctx.user!.id, ...(cursor ? { id: { $lt: cursor[0] } } : {}) },
      { orderBy: { id: 'desc' }, limit: first + 1 },
    );
    return toConnection(rows, first, (r) => encodeCursor([r.id]));
  }

  async publicResumes(ctx: Context, first: number, after: string | null | undefined, order: ResumeOrder): Promise<ConnectionShape<Resume>> {
    if (order === ResumeOrder.POPULAR) {
      const cursor = decodeCursor<[number, number]>(after, ['number', 'number']);
      const ranked = await resumeStore.popular(ctx.em.getConnection(), cursor, first + 1);
      const byId = new Map((await ctx.em.find(Resume, { id: { $in: ranked.map((r) => r.id) } })).map((r) => [r.id, r]));
      const rows = ranked.map((r) => ({ resume: byId.get(r.id)!, score: r.score })).filter((r) => r.resume);
      const page = toConnection(rows, first, (r) => encodeCursor([r.score, r.resume.id]));
      return { edges: page.edges.map((e) => ({ cursor: e.cursor, node: e.node.resume })), pageInfo: page.pageInfo };
    }
    const cursor = decodeCursor<[number]>(after, ['number']);
    const rows = await ctx.em.find(
      Resume,
      { visibility: Visibility.PUBLIC, ...(cursor ? { id: { $lt: cursor[0] } } : {}) },
      { orderBy: { id: 'desc' }, limit: first + 1 },
    );
    return toConnection(rows, first, (r) => encodeCursor([r.id]));
  }

  async versions(ctx: Context, resume: Resume): Promise<ResumeVersion[] | null> {
    if (ctx.user?.id !== resume.ownerId) return null;
    return ctx.em.find(ResumeVersion, { resumeId: resume.id }, { orderBy: { version: 'desc' }, limit: 100 });
  }

  /** Creates a resume at version 1. */
  async create(
    em: EntityManager,
    data: {
      ownerId: number;
      title: string;
      content: Record<string, unknown>;
      generatedBy: string;
      evidence: unknown;
      githubUsername: string | null;
    },
  ): Promise<Resume> {
    return em.transactional(async (tx) => {
      const resume = tx.create(Resume, { ...data, version: 1 });
      await tx.flush();
      tx.create(ResumeVersion, {
        resumeId: resume.id,
        version: 1,
        title: resume.title,
        content: data.content,
        generatedBy: data.generatedBy,
      });
      await tx.flush();
      return resume;
    });
  }

  /** Saves a new version of a locked resume (every save, AI edit and restore). */
  private async newVersion(
    tx: EntityManager,
    resume: Resume,
    change: { title?: string; content?: Record<string, unknown>; generatedBy: string },
  ): Promise<Resume> {
    resume.version += 1;
    if (change.title !== undefined) resume.title = change.title;
    if (change.content !== undefined) resume.content = change.content;
    resume.generatedBy = change.generatedBy;
    tx.create(ResumeVersion, {
      resumeId: resume.id,
      version: resume.version,
      title: resume.title,
      content: resume.content,
      generatedBy: change.generatedBy,
    });
    await tx.flush();
    return resume;
  }

  /** A new version with the title (its length checked on UpdateResumeArgs, stored trimmed) and/or the content. */
  async update(ctx: Context, id: number, title: string | null | undefined, content: unknown): Promise<Resume> {
    const errors = content != null ? contentProblems(content) : {};
    if (Object.keys(errors).length) throw badInput(errors, 'The resume is not valid.');
    if (title == null && content == null) throw badInput({ content: ['give a title or content to change'] });
    return ctx.em.transactional(async (tx) => {
      const resume = await this.owned(ctx, id, tx, false, true);
      return this.newVersion(tx, resume, {
        title: title?.trim(),
        content: (content ?? undefined) as Record<string, unknown> | undefined,
        generatedBy: 'user',
      });
    });
  }

  /** An AI edit from the worker: a new version by `generatedBy`. */
  async applyRevision(
    em: EntityManager,
    id: number,
    expectedVersion: number,
    content: Record<string, unknown>,
    generatedBy: string,
  ): Promise<Resume> {
    return em.transactional(async (tx) => {
      const resume = await tx.findOneOrFail(Resume, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (resume.version !== expectedVersion) {
        throw new Error(
          `The resume changed while the edit ran (version ${resume.version}, edit based on ${expectedVersion}); run it again.`,
        );
      }
      return this.newVersion(tx, resume, { content, generatedBy });
    });
  }

  async restore(ctx: Context, id: number, version: number): Promise<Resume> {
    return ctx.em.transactional(async (tx) => {
      const resume = await this.owned(ctx, id, tx, false, true);
      const old = await tx.findOne(ResumeVersion, { resumeId: id, version });
      if (!old) throw badInput({ version: [`version ${version} does not exist`] });
      return this.newVersion(tx, resume, { title: old.title, content: old.content, generatedBy: `restore:${version}` });
    });
  }

  async setVisibility(ctx: Context, id: number, visibility: Visibility): Promise<Resume> {
    const resume = await this.owned(ctx, id);
    resume.visibility = visibility;
    await ctx.em.flush();
    return resume;
  }

  /** Deletes the resume with its versions, comments and votes. */
  async delete(ctx: Context, id: number): Promise<boolean> {
    const resume = await this.owned(ctx, id, ctx.em, true);
    await this.engagement.comments.purge(ctx, 'Resume', resume.id);
    await this.engagement.votes.purge(ctx.em.getConnection().getKnex(), 'Resume', resume.id);
    await ctx.em.remove(resume).flush();
    return true;
  }
}

export function contentProblems(content: unknown): Record<string, string[]> {
  if (Buffer.byteLength(JSON.stringify(content)) > CONTENT_MAX_BYTES)
    return { content: [`must be at most ${CONTENT_MAX_BYTES / 1024} KB`] };
  return validateJsonResume(content);
}
