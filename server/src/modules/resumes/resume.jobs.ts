import type { EventConsumer } from '../../app/events.js';
import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import { RESUME_JOB_NAME, type ResumeJobService } from './resume-job.service.js';
import type { UsageService } from './usage.service.js';

/** Runs one generateResume / reviseResumeSection job; the data is the job row's id only. */
export function resumeJob(resumeJobs: ResumeJobService): JobDefinition<{ jobId: number }> {
  return { queue: QueueName.RESUMES, name: RESUME_JOB_NAME, handle: (job) => resumeJobs.run(job.data.jobId) };
}

/** Daily reset of the LLM job quota: checks every 5 minutes whether a new (Korean) day began, then resets in chunks. */
export function usageResetJob(usage: UsageService): JobDefinition<unknown, { rows: number; chunks: number; skipped: boolean }> {
  return { queue: QueueName.RESUMES, name: 'usage-reset', everyMs: 5 * 60_000, handle: () => usage.resetIfDue() };
}

/** Queues the jobs users asked for (ResumeJobRequested); the job id dedupes a request delivered twice. */
export function resumeJobsConsumer(resumeJobs: ResumeJobService): EventConsumer {
  return {
    name: 'resume-jobs',
    handles: ['ResumeJobRequested'],
    handle: (events) => resumeJobs.queue(events.flatMap((e) => (e.type === 'ResumeJobRequested' ? [Number(e.jobId)] : []))),
  };
}
