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
import { JobProgress } from '../components/JobProgress';
import { VoteButtons } from '../components/VoteButtons';
import { useApi, useSession } from '../lib/api-context';
import { getPath, show } from '../lib/json-path';

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
    <article className="resume" data-testid="resume-content">
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
  const [revise, { loading, error }] = useMutation(ReviseResumeSectionDocument);
  const [restore, restoring] = useMutation(RestoreResumeVersionDocument);
  const [job, setJob] = useState<{ id: string; path: string; from: number } | null>(null);
  const [diff, setDiff] = useState<{ path: string; before: unknown; after: unknown; from: number } | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const path = String(form.get('path')).trim();
    setDiff(null);
    const { data } = await revise({ variables: { id, path, instruction: String(form.get('instruction')) } }).catch(() => ({
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
    <section className="card">
      <h2>{t('resumes.revise')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="row">
          <Field label={t('resumes.path')} name="path" defaultValue="basics.summary" list="resume-paths" error={error} />
          <Field label={t('resumes.instruction')} name="instruction" required error={error} />
        </div>
        <datalist id="resume-paths">
          {['basics.summary', 'basics.label', 'work[0].highlights', 'projects[0].description', 'skills'].map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <ErrorMessage error={error} />
        <button type="submit" disabled={loading}>
          {t('resumes.reviseStart')}
        </button>
      </form>
      {job && <JobProgress key={job.id} jobId={job.id} onDone={(j) => void (j.status === 'SUCCEEDED' ? finished() : undefined)} />}
      {diff && (
        <div className="diff" data-testid="revise-diff">
          <div>
            <h3>{t('resumes.before')}</h3>
            <pre>{show(diff.before)}</pre>
          </div>
          <div>
            <h3>{t('resumes.after')}</h3>
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
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);

  if (detail.error) return <ErrorMessage error={detail.error} onRetry={() => void detail.refetch()} />;
  if (detail.loading && !detail.data) return <p>{t('common.loading')}</p>;
  const r = detail.data?.resume;
  if (!r) return <p className="card">{t('errors.NOT_FOUND')}</p>;
  const mine = session?.user.id === r.owner.id;
  const refresh = async () => {
    await detail.refetch();
  };

  const save = async () => {
    setSaved(false);
    let content: unknown;
    try {
      content = JSON.parse(editing ?? '');
    } catch (err) {
      setJsonError(t('resumes.invalidJson', { message: (err as Error).message }));
      return;
    }
    setJsonError(null);
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
    ).catch(setExportError);
  };

  return (
    <>
      <section className="card">
        <h1>{r.title}</h1>
        <p className="muted">
          {t('resumes.by', { name: r.owner.nickname })} · {t('resumes.version', { version: r.version })} ·{' '}
          {t('resumes.views', { count: r.viewCount })} · {t('resumes.generatedBy', { by: r.generatedBy })}
        </p>
        <div className="tabs">
          <button type="button" className="secondary" onClick={() => exportAs('json')}>
            {t('resumes.export')} JSON
          </button>
          <button type="button" className="secondary" onClick={() => exportAs('md')}>
            {t('resumes.export')} Markdown
          </button>
        </div>
        <ErrorMessage error={exportError} />
        {mine && (
          <div className="field">
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
        <ResumeView content={r.content} />
        <VoteButtons targetId={r.id} likeCount={r.likeCount} dislikeCount={r.dislikeCount} myVote={r.myVote} canVote={!!session} />
        <h2>{t('near.comments', { count: r.commentCount })}</h2>
        <Comments targetId={r.id} canComment={!!session} />
        {saved && (
          <p role="status" className="ok">
            {t('resumes.saved')}
          </p>
        )}
      </section>
      {mine && (
        <>
          <section className="card">
            <h2>{t('resumes.edit')}</h2>
            {editing === null ? (
              <button type="button" className="secondary" onClick={() => setEditing(JSON.stringify(r.content, null, 2))}>
                {t('resumes.edit')}
              </button>
            ) : (
              <div className="field">
                <label htmlFor="resume-json">JSON</label>
                <textarea
                  id="resume-json"
                  rows={16}
                  value={editing}
                  onChange={(e) => setEditing(e.target.value)}
                  spellCheck={false}
                  aria-invalid={!!jsonError || undefined}
                />
                {jsonError && (
                  <p className="field-error" role="alert">
                    {jsonError}
                  </p>
                )}
                <ErrorMessage error={updating.error} />
                <div className="tabs">
                  <button type="button" onClick={() => void save()} disabled={updating.loading}>
                    {t('resumes.save')}
                  </button>
                  <button type="button" className="secondary" onClick={() => setEditing(null)}>
                    {t('common.cancel')}
                  </button>
                </div>
              </div>
            )}
          </section>
          <Revise id={id} version={r.version} onFinished={refresh} />
          <section className="card">
            <h2>{t('resumes.versions')}</h2>
            <ul className="list">
              {[...(r.versions ?? [])]
                .sort((a, b) => b.version - a.version)
                .map((v) => (
                  <li key={v.version}>
                    v{v.version} · {v.generatedBy} · {new Date(v.createdAt).toLocaleString(i18n.language)}{' '}
                    {v.version === r.version ? (
                      <strong>({t('resumes.current')})</strong>
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
          <section className="card">
            <button
              type="button"
              className="secondary"
              disabled={removing.loading}
              onClick={() =>
                void remove({ variables: { id } })
                  .then(() => navigate('/resumes'))
                  .catch(() => undefined)
              }
            >
              {t('resumes.delete')}
            </button>
            <ErrorMessage error={removing.error} />
          </section>
        </>
      )}
    </>
  );
}
