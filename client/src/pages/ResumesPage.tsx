import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FileText, Sparkles } from 'lucide-react';
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
import { Empty, PageHeader, Skeleton } from '../components/ui';
import { useSession } from '../lib/api-context';
import { relativeTime } from '../lib/time';
import { useFormErrors } from '../lib/use-form';
import { FORMS } from '../lib/validate';

function ResumeList({ items, empty }: { items: ResumeSummaryFragment[]; empty: string }) {
  const { t, i18n } = useTranslation();
  if (!items.length) return <Empty icon={FileText} title={empty} />;
  return (
    <ul className="cards">
      {items.map((r) => (
        <li key={r.id} className="resume-card">
          <Link to={`/resumes/${encodeURIComponent(r.id)}`}>
            <h3 className="post-title">{r.title}</h3>
            <p className="meta">
              <span>{t('resumes.by', { name: r.owner.nickname })}</span> · <span className="chip">{t(`resumes.${r.visibility}`)}</span> ·{' '}
              {t('resumes.views', { count: r.viewCount })} ·{' '}
              <time dateTime={r.updatedAt}>{relativeTime(r.updatedAt, t, i18n.language)}</time>
            </p>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function GenerateForm() {
  const { t } = useTranslation();
  const [generate, { loading, error, reset }] = useMutation(GenerateResumeDocument);
  const form = useFormErrors(FORMS.generateResume, error, { feature: 'github' });
  const [jobId, setJobId] = useState<string | null>(null);
  const [resumeId, setResumeId] = useState<string | null>(null);
  const mine = useQuery(MyResumesDocument, { variables: { first: 20 } });
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const values = { githubUsername: String(f.get('githubUsername') ?? ''), targetRole: String(f.get('targetRole') ?? '') };
    reset();
    if (!form.validate(values)) return;
    setResumeId(null);
    const { data } = await generate({
      variables: {
        input: {
          githubUsername: values.githubUsername.trim(),
          targetRole: values.targetRole.trim(),
          language: String(f.get('language')) as ResumeLanguage,
        },
      },
    }).catch(() => ({ data: undefined }));
    if (data) setJobId(data.generateResume.id);
  };
  const usage = mine.data?.myUsage;
  return (
    <>
      <section className="card" aria-labelledby="generate-heading">
        <h2 id="generate-heading">
          <Sparkles aria-hidden="true" size={18} /> {t('resumes.generate')}
        </h2>
        <p className="muted small">{t('resumes.generateHint')}</p>
        {usage && <p className="muted small">{t('resumes.usage', { used: usage.llmJobsUsed, limit: usage.llmJobsLimit })}</p>}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className="row">
            <Field
              label={t('resumes.githubUsername')}
              name="githubUsername"
              autoComplete="off"
              autoCapitalize="off"
              messages={form.messages('githubUsername')}
            />
            <Field label={t('resumes.targetRole')} name="targetRole" maxLength={100} messages={form.messages('targetRole')} />
          </div>
          <div className="field">
            <label htmlFor="resume-language">{t('resumes.language')}</label>
            <select id="resume-language" name="language" defaultValue="KO">
              <option value="KO">{t('resumes.korean')}</option>
              <option value="EN">{t('resumes.english')}</option>
            </select>
          </div>
          <ErrorMessage error={error} shownFields={['githubUsername', 'targetRole']} feature="github" />
          <button type="submit" className="primary" disabled={loading}>
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
            <Link to={`/resumes/${encodeURIComponent(resumeId)}`} className="primary-link">
              {t('resumes.open')}
            </Link>
          </p>
        )}
      </section>
      <section aria-labelledby="mine-heading">
        <h2 id="mine-heading">{t('resumes.mine')}</h2>
        <ErrorMessage error={mine.error} onRetry={() => void mine.refetch()} />
        {!mine.data && !mine.error && <Skeleton rows={2} />}
        {mine.data && <ResumeList items={mine.data.myResumes.edges.map((e) => e.node)} empty={t('resumes.emptyMine')} />}
      </section>
    </>
  );
}

function PublicFeed() {
  const { t } = useTranslation();
  const [orderBy, setOrderBy] = useState<ResumeOrder>('RECENT');
  const feed = useQuery(PublicResumesDocument, { variables: { first: 20, orderBy } });
  const page = feed.data?.publicResumes;
  return (
    <section aria-labelledby="public-heading">
      <h2 id="public-heading">{t('resumes.public')}</h2>
      <div className="segmented" role="group" aria-label={t('resumes.order')}>
        {(['RECENT', 'POPULAR'] as const).map((o) => (
          <button key={o} type="button" aria-pressed={orderBy === o} onClick={() => setOrderBy(o)}>
            {t(o === 'RECENT' ? 'resumes.recent' : 'resumes.popular')}
          </button>
        ))}
      </div>
      <ErrorMessage error={feed.error} onRetry={() => void feed.refetch()} />
      {!page && !feed.error && <Skeleton rows={2} />}
      {page && <ResumeList items={page.edges.map((e) => e.node)} empty={t('resumes.empty')} />}
      {page?.pageInfo.hasNextPage && (
        <button
          type="button"
          className="secondary wide"
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
      <PageHeader title={t('resumes.title')} />
      {session ? (
        <GenerateForm />
      ) : (
        <p className="notice">
          <Link to="/login">{t('resumes.signIn')}</Link>
        </p>
      )}
      <PublicFeed />
    </>
  );
}
