import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import { RESUME_JOB_NAME, type ResumeJobService } from './resume-job.service.js';
import type { UsageService } from './usage.service.js';

type Deps = { resumeJobs: ResumeJobService; usage: UsageService };

/** Runs one generateResume / reviseResumeSection job; the data is the job row's id only. */
export const resumeJob: JobDefinition<Deps, { jobId: number }> = {
  queue: QueueName.RESUMES,
  name: RESUME_JOB_NAME,
  handle: (job, s) => s.resumeJobs.run(job.data.jobId),
};

/** Daily reset of the LLM job quota: checks every 5 minutes whether a new (Korean) day began, then resets in chunks. */
export const usageResetJob: JobDefinition<Deps, unknown, { rows: number; chunks: number; skipped: boolean }> = {
  queue: QueueName.RESUMES,
  name: 'usage-reset',
  everyMs: () => 5 * 60_000,
  handle: (_job, s) => s.usage.resetIfDue(),
};
