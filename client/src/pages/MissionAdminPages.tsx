import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import {
  CreateMissionDocument,
  ReviewMissionSubmissionDocument,
  ReviewQueueDocument,
  type VerificationKind,
} from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { useApi, useSession } from '../lib/api-context';
import { authorizedImage } from '../lib/uploads';

const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const num = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === '' ? null : Number(v));

export function CreateMissionPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [create, { loading, error, data }] = useMutation(CreateMissionDocument);
  const [kind, setKind] = useState<VerificationKind>('LOCATION');
  if (session?.user.role !== 'ADMIN') return <Navigate to="/missions" replace />;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    await create({
      variables: {
        input: {
          title: String(f.get('title')),
          description: String(f.get('description')),
          startsAt: new Date(String(f.get('startsAt'))).toISOString(),
          endsAt: new Date(String(f.get('endsAt'))).toISOString(),
          rewardPoints: Number(f.get('rewardPoints')),
          capacity: num(f.get('capacity')),
          verification: {
            kind,
            latitude: num(f.get('latitude')),
            longitude: num(f.get('longitude')),
            radiusMeters: num(f.get('radiusMeters')),
            weatherCondition: kind === 'WEATHER' ? String(f.get('weatherCondition')) : null,
            code: kind === 'CODE' ? String(f.get('code')) : null,
          },
        },
      },
    }).catch(() => undefined);
  };
  const now = new Date();
  return (
    <section className="card narrow">
      <h1>{t('missions.create')}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('missions.missionTitle')} name="title" required error={error} />
        <div className="field">
          <label htmlFor="mission-description">{t('missions.description')}</label>
          <textarea id="mission-description" name="description" rows={3} />
        </div>
        <div className="row">
          <Field label={t('missions.startsAt')} name="startsAt" type="datetime-local" defaultValue={local(now)} error={error} />
          <Field
            label={t('missions.endsAt')}
            name="endsAt"
            type="datetime-local"
            defaultValue={local(new Date(now.getTime() + 7 * 86_400_000))}
            error={error}
          />
        </div>
        <div className="row">
          <Field label={t('missions.rewardPoints')} name="rewardPoints" type="number" min={1} defaultValue={100} error={error} />
          <Field label={t('missions.capacity')} name="capacity" type="number" min={1} error={error} />
        </div>
        <div className="field">
          <label htmlFor="mission-kind">{t('missions.kind')}</label>
          <select id="mission-kind" value={kind} onChange={(e) => setKind(e.target.value as VerificationKind)}>
            {(['LOCATION', 'WEATHER', 'CODE', 'PHOTO'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`missions.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        {kind !== 'CODE' && (
          <div className="row">
            <Field label={t('missions.latitude')} name="latitude" inputMode="decimal" defaultValue="37.5663" error={error} />
            <Field label={t('missions.longitude')} name="longitude" inputMode="decimal" defaultValue="126.9779" error={error} />
            <Field label={t('missions.radiusMeters')} name="radiusMeters" type="number" defaultValue={500} error={error} />
          </div>
        )}
        {kind === 'WEATHER' && (
          <Field
            label={t('missions.weatherCondition')}
            name="weatherCondition"
            defaultValue="CLEAR"
            hint="RAIN, SNOW, PRECIPITATION, CLEAR, TEMP_GTE:25, TEMP_LTE:0"
            error={error}
          />
        )}
        {kind === 'CODE' && <Field label={t('missions.secret')} name="code" autoComplete="off" error={error} />}
        <ErrorMessage error={error} />
        <button type="submit" disabled={loading}>
          {t('missions.create')}
        </button>
        {data && (
          <p role="status" className="ok">
            {t('missions.created')} <Link to={`/missions/${encodeURIComponent(data.createMission.id)}`}>{data.createMission.title}</Link>
          </p>
        )}
      </form>
    </section>
  );
}

function Photo({ path, alt }: { path: string; alt: string }) {
  const api = useApi();
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let url: string | null = null;
    authorizedImage(api.session, path).then((u) => setSrc((url = u)), setError);
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [api.session, path]);
  if (error) return <ErrorMessage error={error} />;
  return src ? <img src={src} alt={alt} className="preview" /> : null;
}

export function ReviewQueuePage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const queue = useQuery(ReviewQueueDocument, { variables: { first: 20 }, skip: session?.user.role !== 'ADMIN' });
  const [review, reviewing] = useMutation(ReviewMissionSubmissionDocument, { refetchQueries: [ReviewQueueDocument] });
  const [reasons, setReasons] = useState<Record<string, string>>({});
  if (session?.user.role !== 'ADMIN') return <Navigate to="/missions" replace />;
  const yn = (v: boolean | null | undefined) =>
    v === null || v === undefined ? t('missions.unknown') : v ? t('missions.yes') : t('missions.no');
  const items = queue.data?.missionSubmissions.edges.map((e) => e.node) ?? [];
  return (
    <section className="card">
      <h1>{t('missions.review')}</h1>
      <ErrorMessage error={queue.error ?? reviewing.error} onRetry={() => void queue.refetch()} />
      {queue.data && !items.length && <p className="muted">{t('missions.queueEmpty')}</p>}
      <ul className="list">
        {items.map((s) => (
          <li key={s.id} className="post">
            <h3>
              {s.mission.title} · {s.user.nickname}
            </h3>
            {s.photoUrl && <Photo path={s.photoUrl} alt={`${s.mission.title} · ${s.user.nickname}`} />}
            {s.photoCheck && (
              <p className="muted">
                {t('missions.exif')}: {yn(s.photoCheck.hasExif)} · {t('missions.takenAt')}:{' '}
                {s.photoCheck.takenAt ? new Date(s.photoCheck.takenAt).toLocaleString(i18n.language) : t('missions.unknown')} ·{' '}
                {t('missions.inWindow')}: {yn(s.photoCheck.takenWithinWindow)} · {t('missions.inRadius')}:{' '}
                {yn(s.photoCheck.takenWithinRadius)}
                {s.photoCheck.distanceKm !== null && ` (${s.photoCheck.distanceKm} km)`}
              </p>
            )}
            <Field
              label={t('missions.reason')}
              name={`reason-${s.id}`}
              value={reasons[s.id] ?? ''}
              onChange={(e) => setReasons({ ...reasons, [s.id]: e.target.value })}
            />
            <div className="tabs">
              <button
                type="button"
                disabled={reviewing.loading}
                onClick={() =>
                  void review({ variables: { id: s.id, approve: true, reason: reasons[s.id] || null } }).catch(() => undefined)
                }
              >
                {t('missions.approve')}
              </button>
              <button
                type="button"
                className="secondary"
                disabled={reviewing.loading}
                onClick={() =>
                  void review({ variables: { id: s.id, approve: false, reason: reasons[s.id] || null } }).catch(() => undefined)
                }
              >
                {t('missions.reject')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
