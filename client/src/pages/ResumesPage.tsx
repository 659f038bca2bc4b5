import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  GenerateResumeDocument,
  MyResumesDocument,
  PublicResumesDocument,
  type ResumeLanguage,
  type ResumeOrder,
  type ResumeSummaryFragment,
} from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { JobProgress } from '../components/JobProgress';
import { useSession } from '../lib/api-context';

function ResumeList({ items, emptyText }: { items: ResumeSummaryFragment[]; emptyText: string }) {
  const { t, i18n } = useTranslation();
  if (!items.length) return <p className="muted">{emptyText}</p>;
  return (
    <ul className="list">
      {items.map((r) => (
        <li key={r.id} className="post">
          <h3>
            <Link to={`/resumes/${encodeURIComponent(r.id)}`}>{r.title}</Link>
          </h3>
          <p className="muted">
            {t('resumes.by', { name: r.owner.nickname })} · {t(`resumes.${r.visibility}`)} · {t('resumes.version', { version: r.version })}{' '}
            · {t('resumes.views', { count: r.viewCount })} · {new Date(r.updatedAt).toLocaleString(i18n.language)}
          </p>
        </li>
      ))}
    </ul>
  );
}

function GenerateForm() {
  const { t } = useTranslation();
  const [generate, { loading, error }] = useMutation(GenerateResumeDocument);
  const [jobId, setJobId] = useState<string | null>(null);
  const [resumeId, setResumeId] = useState<string | null>(null);
  const mine = useQuery(MyResumesDocument, { variables: { first: 20 } });
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setResumeId(null);
    const { data } = await generate({
      variables: {
        input: {
          githubUsername: String(form.get('githubUsername')).trim(),
          targetRole: String(form.get('targetRole')).trim(),
          language: String(form.get('language')) as ResumeLanguage,
        },
      },
    }).catch(() => ({ data: undefined }));
    if (data) setJobId(data.generateResume.id);
  };
  const usage = mine.data?.myUsage;
  return (
    <section className="card">
      <h2>{t('resumes.generate')}</h2>
      {usage && <p className="muted">{t('resumes.usage', { used: usage.llmJobsUsed, limit: usage.llmJobsLimit })}</p>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="row">
          <Field label={t('resumes.githubUsername')} name="githubUsername" autoComplete="off" required error={error} />
          <Field label={t('resumes.targetRole')} name="targetRole" required error={error} />
        </div>
        <div className="field">
          <label htmlFor="resume-language">{t('resumes.language')}</label>
          <select id="resume-language" name="language" defaultValue="KO">
            <option value="KO">{t('resumes.korean')}</option>
            <option value="EN">{t('resumes.english')}</option>
          </select>
        </div>
        <ErrorMessage error={error} />
        <button type="submit" disabled={loading}>
          {t('resumes.start')}
        </button>
      </form>
      {jobId && (
        <JobProgress
          key={jobId}
          jobId={jobId}
          onDone={(job) => {
            if (job.resume) setResumeId(job.resume.id);
            void mine.refetch();
          }}
        />
      )}
      {resumeId && (
        <p>
          <Link to={`/resumes/${encodeURIComponent(resumeId)}`}>{t('resumes.open')}</Link>
        </p>
      )}
      <h2>{t('resumes.mine')}</h2>
      <ErrorMessage error={mine.error} onRetry={() => void mine.refetch()} />
      {mine.data && <ResumeList items={mine.data.myResumes.edges.map((e) => e.node)} emptyText={t('resumes.empty')} />}
    </section>
  );
}

function PublicFeed() {
  const { t } = useTranslation();
  const [orderBy, setOrderBy] = useState<ResumeOrder>('RECENT');
  const feed = useQuery(PublicResumesDocument, { variables: { first: 20, orderBy } });
  const page = feed.data?.publicResumes;
  return (
    <section className="card">
      <h2>{t('resumes.public')}</h2>
      <div className="tabs" role="group">
        {(['RECENT', 'POPULAR'] as const).map((o) => (
          <button key={o} type="button" className="secondary" aria-pressed={orderBy === o} onClick={() => setOrderBy(o)}>
            {t(o === 'RECENT' ? 'resumes.recent' : 'resumes.popular')}
          </button>
        ))}
      </div>
      <ErrorMessage error={feed.error} onRetry={() => void feed.refetch()} />
      {page && <ResumeList items={page.edges.map((e) => e.node)} emptyText={t('resumes.empty')} />}
      {page?.pageInfo.hasNextPage && (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void feed.fetchMore({
              variables: { after: page.pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) => ({
                publicResumes: {
                  ...fetchMoreResult.publicResumes,
                  edges: [...prev.publicResumes.edges, ...fetchMoreResult.publicResumes.edges],
                },
              }),
            })
          }
        >
          {t('common.more')}
        </button>
      )}
    </section>
  );
}

export function ResumesPage() {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <>
      <h1>{t('resumes.title')}</h1>
      {session ? (
        <GenerateForm />
      ) : (
        <p className="card">
          <Link to="/login">{t('nav.login')}</Link>
        </p>
      )}
      <PublicFeed />
    </>
  );
}
