import { useEffect } from 'react';
import { useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { ResumeJobDocument, ResumeJobUpdatedDocument, type ResumeJobFieldsFragment } from '../__generated__/graphql';
import { ErrorMessage } from './ErrorMessage';

const DONE = new Set(['SUCCEEDED', 'FAILED']);
const STAGES = new Set(['queued', 'collect', 'select', 'draft', 'validate', 'save', 'done']);

/** A resume job's live progress (resumeJobUpdated), with a slow poll as a safety net for missed events. */
export function JobProgress({ jobId, onDone }: { jobId: string; onDone?: (job: ResumeJobFieldsFragment) => void }) {
  const { t } = useTranslation();
  const query = useQuery(ResumeJobDocument, { variables: { id: jobId }, pollInterval: 3000 });
  const job = query.data?.resumeJob;
  const finished = !!job && DONE.has(job.status);
  const sub = useSubscription(ResumeJobUpdatedDocument, { variables: { jobId }, skip: finished });
  const live = sub.data?.resumeJobUpdated && (!job || sub.data.resumeJobUpdated.progress >= job.progress) ? sub.data.resumeJobUpdated : job;
  useEffect(() => {
    if (finished) query.stopPolling();
  }, [finished, query]);
  useEffect(() => {
    if (live && DONE.has(live.status)) onDone?.(live);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live?.status]);
  if (query.error && !live) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (!live) return <p className="muted">{t('common.loading')}</p>;
  const stage = STAGES.has(live.stage) ? t(`resumes.stages.${live.stage}`) : t(`resumes.status.${live.status}`);
  return (
    <div className="job" data-testid="job-progress" data-status={live.status}>
      {live.status !== 'FAILED' && (
        <>
          <label htmlFor={`job-${jobId}`}>{live.status === 'SUCCEEDED' ? t('resumes.status.SUCCEEDED') : stage}</label>
          <progress id={`job-${jobId}`} className="progress" max={100} value={live.progress} aria-label={t('resumes.progress')} />
        </>
      )}
      {live.status === 'FAILED' && (
        <div className="notice" role="alert">
          <p>{t(`resumes.jobErrors.${live.errorCode ?? 'UNKNOWN'}`, { defaultValue: t('resumes.jobErrors.UNKNOWN') })}</p>
        </div>
      )}
    </div>
  );
}
