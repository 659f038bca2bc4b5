/** Pub/sub topics of the resumes module. */
export const ResumeTopic = {
  /** Per job id: a ResumeJobPayload each time the job's status, stage or progress changes. */
  JOB_UPDATED: 'RESUME_JOB_UPDATED',
} as const;

export interface ResumeJobPayload {
  id: number;
  userId: number;
  resumeId: number | null;
  status: string;
  stage: string;
  progress: number;
  error: string | null;
  errorCode: string | null;
  createdAt: string;
  updatedAt: string;
}
