import { useState, type FormEvent } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  DeleteResumeDocument,
  RestoreResumeVersionDocument,
  ResumeDetailDocument,
  ResumeVersionContentDocument,
  ReviseResumeSectionDocument,
  SetResumeVisibilityDocument,
  UpdateResumeDocument,
  type Visibility,
} from '../__generated__/graphql';
import { Comments } from '../components/Comments';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Avatar, Empty, PageHeader, Skeleton } from '../components/ui';
import { Download, FileQuestion, Settings2 } from 'lucide-react';
import { ClientError } from '../lib/errors';
import { formatDate, formatDateTime } from '../lib/time';
import { useFormErrors } from '../lib/use-form';
import { FORMS } from '../lib/validate';
import { JobProgress } from '../components/JobProgress';
import { VoteButtons } from '../components/VoteButtons';
import { useApi, useSession } from '../lib/api-context';
import { getPath, show } from '../lib/json-path';

const SECTIONS = ['basics.summary', 'basics.label', 'work[0].highlights', 'projects[0].description', 'skills'];

type Doc = {
  basics?: { name?: string; label?: string; summary?: string };
  work?: { name?: string; position?: string; summary?: string; highlights?: string[] }[];
  projects?: { name?: string; description?: string; highlights?: string[]; url?: string }[];
  skills?: { name?: string; keywords?: string[] }[];
};

function ResumeView({ content }: { content: unknown }) {
  const { t } = useTranslation();
  const doc = (content ?? {}) as Doc;
  return (
    <article className="resume document" data-testid="resume-content">
      {doc.basics && (
        <header>
          <h2>{doc.basics.name}</h2>
          {doc.basics.label && <p className="muted">{doc.basics.label}</p>}
          {doc.basics.summary && <p>{doc.basics.summary}</p>}
        </header>
      )}
      {!!doc.work?.length && (
        <section>
          <h3>{t('resumes.work')}</h3>
          {doc.work.map((w, i) => (
            <div key={i}>
              <strong>{[w.position, w.name].filter(Boolean).join(' · ')}</strong>
              {w.summary && <p>{w.summary}</p>}
              <ul>
                {w.highlights?.map((h, j) => (
                  <li key={j}>{h}</li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
      {!!doc.projects?.length && (
        <section>
          <h3>{t('resumes.projects')}</h3>
          {doc.projects.map((p, i) => (
            <div key={i}>
              <strong>{p.name}</strong>
              {p.description && <p>{p.description}</p>}
              <ul>
                {p.highlights?.map((h, j) => (
                  <li key={j}>{h}</li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
      {!!doc.skills?.length && (
        <section>
          <h3>{t('resumes.skills')}</h3>
          <ul>
            {doc.skills.map((s, i) => (
              <li key={i}>
                <strong>{s.name}</strong>: {s.keywords?.join(', ')}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}

async function download(url: string, token: string | null, filename: string) {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const href = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href, download: filename });
  a.click();
  URL.revokeObjectURL(href);
}

function Revise({ id, version, onFinished }: { id: string; version: number; onFinished: () => Promise<void> }) {
  const { t } = useTranslation();
  const client = useApolloClient();
  const [revise, { loading, error, reset }] = useMutation(ReviseResumeSectionDocument);
  const checks = useFormErrors(FORMS.revise, error, { feature: 'ai' });
  const [restore, restoring] = useMutation(RestoreResumeVersionDocument);
  const [job, setJob] = useState<{ id: string; path: string; from: number } | null>(null);
  const [diff, setDiff] = useState<{ path: string; before: unknown; after: unknown; from: number } | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const path = String(form.get('path'));
    const instruction = String(form.get('instruction') ?? '');
    setDiff(null);
    reset();
    if (!checks.validate({ instruction })) return;
    const { data } = await revise({ variables: { id, path, instruction: instruction.trim() } }).catch(() => ({
      data: undefined,
    }));
    if (data) setJob({ id: data.reviseResumeSection.id, path, from: version });
  };
  const finished = async () => {
    if (!job) return;
    await onFinished();
    const { data } = await client.query({ query: ResumeVersionContentDocument, variables: { id }, fetchPolicy: 'network-only' });
    const versions = data?.resume?.versions ?? [];
    const before = versions.find((v) => v.version === job.from)?.content;
    const latest = versions.reduce((a, b) => (b.version > a.version ? b : a), versions[0]);
    if (latest && latest.version !== job.from)
      setDiff({ path: job.path, before: getPath(before, job.path), after: getPath(latest.content, job.path), from: job.from });
  };
  return (
    <section className="tool">
      <h3>{t('resumes.revise')}</h3>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="revise-section">{t('resumes.section')}</label>
          <select id="revise-section" name="path" defaultValue="basics.summary">
            {SECTIONS.map((p) => (
              <option key={p} value={p}>
                {t(`resumes.sections.${p.replace(/\W+/g, '_')}`)}
              </option>
            ))}
          </select>
        </div>
        <Field
          label={t('resumes.instruction')}
          name="instruction"
          maxLength={1000}
          hint={t('resumes.instructionHint')}
          messages={checks.messages('instruction')}
        />
        <ErrorMessage error={error} shownFields={['instruction']} feature="ai" />
        <button type="submit" disabled={loading}>
          {t('resumes.reviseStart')}
        </button>
      </form>
      {job && <JobProgress key={job.id} jobId={job.id} onDone={(j) => void (j.status === 'SUCCEEDED' ? finished() : undefined)} />}
      {diff && (
        <div className="diff" data-testid="revise-diff">
          <div>
            <h4>{t('resumes.before')}</h4>
            <pre>{show(diff.before)}</pre>
          </div>
          <div>
            <h4>{t('resumes.after')}</h4>
            <pre>{show(diff.after)}</pre>
          </div>
          <div className="tabs">
            <button type="button" onClick={() => setDiff(null)}>
              {t('resumes.keep')}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={restoring.loading}
              onClick={() =>
                void restore({ variables: { id, version: diff.from } })
                  .then(() => onFinished())
                  .then(() => setDiff(null))
                  .catch(() => undefined)
              }
            >
              {t('resumes.undo')}
            </button>
          </div>
          <ErrorMessage error={restoring.error} />
        </div>
      )}
    </section>
  );
}

/** Who or what wrote a version, in words: never `template` or a model id. */
function authorOf(generatedBy: string, t: (k: string) => string): string {
  if (generatedBy === 'template') return t('resumes.madeBy.template');
  if (generatedBy === 'user') return t('resumes.madeBy.user');
  if (generatedBy.startsWith('restore:')) return t('resumes.madeBy.restore');
  return t('resumes.madeBy.ai');
}

export function ResumePage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const session = useSession();
  const api = useApi();
  const navigate = useNavigate();
  const detail = useQuery(ResumeDetailDocument, { variables: { id } });
  const [update, updating] = useMutation(UpdateResumeDocument);
  const [setVisibility, visibility] = useMutation(SetResumeVisibilityDocument);
  const [restore, restoring] = useMutation(RestoreResumeVersionDocument);
  const [remove, removing] = useMutation(DeleteResumeDocument);
  const [editing, setEditing] = useState<string | null>(null);
  const [jsonError, setJsonError] = useState(false);
  const [saved, setSaved] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const [liveCount, setLiveCount] = useState<number | null>(null);

  if (detail.error) return <ErrorMessage error={detail.error} onRetry={() => void detail.refetch()} />;
  if (detail.loading && !detail.data) return <Skeleton rows={2} />;
  const r = detail.data?.resume;
  if (!r) return <Empty icon={FileQuestion} title={t('resumes.notFound')} />;
  const mine = session?.user.id === r.owner.id;
  const refresh = async () => {
    await detail.refetch();
  };

  const save = async () => {
    setSaved(false);
    let content: unknown;
    try {
      content = JSON.parse(editing ?? '');
    } catch {
      setJsonError(true);
      return;
    }
    setJsonError(false);
    const { data } = await update({ variables: { id, content } }).catch(() => ({ data: undefined }));
    if (data) {
      setEditing(null);
      setSaved(true);
      await refresh();
    }
  };

  const exportAs = (kind: 'json' | 'md') => {
    setExportError(null);
    download(
      `/resumes/${encodeURIComponent(id)}/export.${kind}`,
      api.session.get()?.accessToken ?? null,
      `resume-v${r.version}.${kind}`,
    ).catch(() => setExportError(new ClientError('resumes.exportFailed')));
  };

  return (
    <>
      <PageHeader title={r.title} back="/resumes">
        <button type="button" className="pill" onClick={() => exportAs('md')}>
          <Download aria-hidden="true" size={16} /> {t('resumes.exportMarkdown')}
        </button>
      </PageHeader>
      <p className="meta author-line">
        <Avatar name={r.owner.nickname} size={24} /> {t('resumes.by', { name: r.owner.nickname })} · {authorOf(r.generatedBy, t)} ·{' '}
        {t('resumes.views', { count: r.viewCount })} · {t('resumes.updated', { time: formatDate(r.updatedAt, i18n.language) })}
      </p>
      <ErrorMessage error={exportError} />
      {mine && (
        <div className="field inline">
          <label htmlFor="visibility">{t('resumes.visibility')}</label>
          <select
            id="visibility"
            value={r.visibility}
            onChange={(e) => void setVisibility({ variables: { id, visibility: e.target.value as Visibility } }).catch(() => undefined)}
          >
            {(['PRIVATE', 'UNLISTED', 'PUBLIC'] as const).map((v) => (
              <option key={v} value={v}>
                {t(`resumes.${v}`)}
              </option>
            ))}
          </select>
          <ErrorMessage error={visibility.error} />
        </div>
      )}
      {saved && (
        <p role="status" className="success">
          {t('resumes.saved')}
        </p>
      )}
      <ResumeView content={r.content} />
      <div className="reactions">
        <VoteButtons targetId={r.id} likeCount={r.likeCount} dislikeCount={r.dislikeCount} myVote={r.myVote} canVote={!!session} />
      </div>
      <section>
        <h2 id="resume-comments">{t('near.comments', { count: liveCount ?? r.commentCount })}</h2>
        <Comments targetId={r.id} canComment={!!session} onCount={setLiveCount} />
      </section>
      {mine && (
        <details className="card advanced">
          <summary>
            <Settings2 aria-hidden="true" size={18} /> {t('resumes.advanced')}
          </summary>
          <Revise id={id} version={r.version} onFinished={refresh} />
          <section className="tool">
            <h3>{t('resumes.edit')}</h3>
            {editing === null ? (
              <div className="tabs">
                <button type="button" className="secondary" onClick={() => setEditing(JSON.stringify(r.content, null, 2))}>
                  {t('resumes.edit')}
                </button>
                <button type="button" className="secondary" onClick={() => exportAs('json')}>
                  {t('resumes.exportJson')}
                </button>
              </div>
            ) : (
              <div className="field">
                <label htmlFor="resume-json">{t('resumes.jsonLabel')}</label>
                <textarea
                  id="resume-json"
                  rows={16}
                  value={editing}
                  onChange={(e) => setEditing(e.target.value)}
                  spellCheck={false}
                  aria-invalid={jsonError || undefined}
                />
                {jsonError && (
                  <p className="field-error" role="alert">
                    {t('resumes.invalidJson')}
                  </p>
                )}
                <ErrorMessage error={updating.error} />
                <div className="tabs">
                  <button type="button" className="primary" onClick={() => void save()} disabled={updating.loading}>
                    {t('resumes.save')}
                  </button>
                  <button type="button" className="secondary" onClick={() => setEditing(null)}>
                    {t('common.cancel')}
                  </button>
                </div>
              </div>
            )}
          </section>
          <section className="tool">
            <h3>{t('resumes.versions')}</h3>
            <ul className="versions">
              {[...(r.versions ?? [])]
                .sort((a, b) => b.version - a.version)
                .map((v) => (
                  <li key={v.version}>
                    <span>
                      {t('resumes.version', { version: v.version })} · {authorOf(v.generatedBy, t)} ·{' '}
                      {formatDateTime(v.createdAt, i18n.language)}
                    </span>
                    {v.version === r.version ? (
                      <strong className="chip">{t('resumes.current')}</strong>
                    ) : (
                      <button
                        type="button"
                        className="link"
                        disabled={restoring.loading}
                        onClick={() =>
                          void restore({ variables: { id, version: v.version } })
                            .then(refresh)
                            .catch(() => undefined)
                        }
                      >
                        {t('resumes.restore')}
                      </button>
                    )}
                  </li>
                ))}
            </ul>
            <ErrorMessage error={restoring.error} />
          </section>
          <section className="tool">
            <button
              type="button"
              className="danger"
              disabled={removing.loading}
              onClick={() =>
                window.confirm(t('resumes.deleteConfirm')) &&
                void remove({ variables: { id } })
                  .then(() => navigate('/resumes'))
                  .catch(() => undefined)
              }
            >
              {t('resumes.delete')}
            </button>
            <ErrorMessage error={removing.error} />
          </section>
        </details>
      )}
    </>
  );
}
