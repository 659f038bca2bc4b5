import type { Authenticate } from '../../app/graphql/auth.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { IdempotencyKeys } from '../../app/idempotency/idempotency.js';
import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import type { EventRecorder } from '../../app/outbox/outbox.js';
import type { AiService } from '../ai/ai.service.js';
import type { EngagementModule } from '../engagement/engagement.module.js';
import type { GithubService } from '../github/github.service.js';
import type { UserService } from '../users/user.service.js';
import type { ViewCounter } from '../views/view.service.js';
import { addViewCounts } from '../views/views.store.js';
import { ResumeJob } from './resume-job.entity.js';
import { ResumeJobService } from './resume-job.service.js';
import { Resume, ResumeVersion } from './resume.entity.js';
import { resumeExportRoutes } from './resume.export.js';
import { resumeJob, resumeJobsConsumer, usageResetJob } from './resume.jobs.js';
import { ResumeJobResolver, ResumeResolver } from './resume.resolver.js';
import { ResumeService } from './resume.service.js';
import { ResumeTopic } from './resume.topics.js';
import { UsageService } from './usage.service.js';

export const RESUMES_ENTITIES = [Resume, ResumeVersion, ResumeJob];

export interface ResumesDeps {
  infra: Infra;
  nodes: NodeRegistry;
  events: EventRecorder;
  engagement: EngagementModule;
  views: ViewCounter;
  users: UserService;
  ai: AiService;
  github: GithubService;
  authenticate: Authenticate;
  keys: IdempotencyKeys;
}

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const RESUMES_RESOLVERS = [ResumeResolver, ResumeJobResolver];

/** JSON Resume documents drafted from GitHub by an LLM job, edited with AI help, shared with the community. */
export function createResumesModule(deps: ResumesDeps) {
  const { infra } = deps;
  const resumes = new ResumeService(deps.nodes, deps.engagement, deps.views);
  deps.views.registerTarget('Resume', { persist: (em, deltas) => addViewCounts(em, 'resumes', deltas) });
  const usage = new UsageService(infra);
  const resumeJobs = new ResumeJobService(infra, resumes, usage, deps.github, deps.ai, deps.events, deps.keys);
  return {
    resumes,
    usage,
    resumeJobs,
    resolvers: [new ResumeResolver(resumes, resumeJobs, usage, deps.users), new ResumeJobResolver(resumes)],
    routes: resumeExportRoutes({ infra, resumes, authenticate: deps.authenticate }),
    jobs: [resumeJob(resumeJobs), usageResetJob(usage)],
    consumers: [resumeJobsConsumer(resumeJobs)],
    topics: ResumeTopic,
  } satisfies ModuleParts & Record<string, unknown>;
}
