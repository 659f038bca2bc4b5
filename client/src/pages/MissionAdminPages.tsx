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
import { formatDateTime } from '../lib/time';
import { useFormErrors } from '../lib/use-form';
import { FORMS } from '../lib/validate';
import { Empty, PageHeader, Skeleton } from '../components/ui';
import { Inbox } from 'lucide-react';
import { authorizedImage } from '../lib/uploads';

const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const SHOWN = [
  'title',
  'description',
  'startsAt',
  'endsAt',
  'rewardPoints',
  'capacity',
  'verification.latitude',
  'verification.longitude',
  'verification.radiusMeters',
  'verification.weatherCondition',
  'verification.code',
];
const num = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === '' ? null : Number(v));

export function CreateMissionPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [create, { loading, error, data, reset }] = useMutation(CreateMissionDocument);
  const form = useFormErrors(FORMS.mission, error);
  const [kind, setKind] = useState<VerificationKind>('LOCATION');
  if (session?.user.role !== 'ADMIN') return <Navigate to="/missions" replace />;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    reset();
    const values = {
      title: String(f.get('title') ?? ''),
      rewardPoints: String(f.get('rewardPoints') ?? ''),
      capacity: String(f.get('capacity') ?? ''),
    };
    if (!form.validate(values)) return;
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
    <section className="narrow">
      <PageHeader title={t('missions.create')} back="/missions" />
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('missions.missionTitle')} name="title" required messages={form.messages('title')} />
        <Field label={t('missions.description')} name="description" multiline rows={3} messages={form.messages('description')} />
        <div className="row">
          <Field
            label={t('missions.startsAt')}
            name="startsAt"
            type="datetime-local"
            defaultValue={local(now)}
            messages={form.messages('startsAt')}
          />
          <Field
            label={t('missions.endsAt')}
            name="endsAt"
            type="datetime-local"
            defaultValue={local(new Date(now.getTime() + 7 * 86_400_000))}
            messages={form.messages('endsAt')}
          />
        </div>
        <div className="row">
          <Field
            label={t('missions.rewardPoints')}
            name="rewardPoints"
            type="number"
            min={1}
            defaultValue={100}
            messages={form.messages('rewardPoints')}
          />
          <Field label={t('missions.capacity')} name="capacity" type="number" min={1} messages={form.messages('capacity')} />
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
            <Field
              label={t('missions.latitude')}
              name="latitude"
              inputMode="decimal"
              defaultValue="37.5663"
              messages={form.messages('verification.latitude')}
            />
            <Field
              label={t('missions.longitude')}
              name="longitude"
              inputMode="decimal"
              defaultValue="126.9779"
              messages={form.messages('verification.longitude')}
            />
            <Field
              label={t('missions.radiusMeters')}
              name="radiusMeters"
              type="number"
              defaultValue={500}
              messages={form.messages('verification.radiusMeters')}
            />
          </div>
        )}
        {kind === 'WEATHER' && (
          <Field
            label={t('missions.weatherCondition')}
            name="weatherCondition"
            defaultValue="CLEAR"
            hint={t('missions.conditionHint')}
            messages={form.messages('verification.weatherCondition')}
          />
        )}
        {kind === 'CODE' && (
          <Field label={t('missions.secret')} name="code" autoComplete="off" messages={form.messages('verification.code')} />
        )}
        <ErrorMessage error={error} shownFields={SHOWN} />
        <button type="submit" className="primary" disabled={loading}>
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
    <section>
      <PageHeader title={t('missions.review')} back="/missions" />
      <ErrorMessage error={queue.error ?? reviewing.error} onRetry={() => void queue.refetch()} />
      {!queue.data && !queue.error && <Skeleton rows={2} />}
      {queue.data && !items.length && <Empty icon={Inbox} title={t('missions.queueEmpty')} />}
      <ul className="list">
        {items.map((s) => (
          <li key={s.id} className="card review-item">
            <h3>
              {s.mission.title} · {s.user.nickname}
            </h3>
            {s.photoUrl && <Photo path={s.photoUrl} alt={`${s.mission.title} · ${s.user.nickname}`} />}
            {s.photoCheck && (
              <p className="muted">
                {t('missions.exif')}: {yn(s.photoCheck.hasExif)} · {t('missions.takenAt')}:{' '}
                {s.photoCheck.takenAt ? formatDateTime(s.photoCheck.takenAt, i18n.language) : t('missions.unknown')} ·{' '}
                {t('missions.inWindow')}: {yn(s.photoCheck.takenWithinWindow)} · {t('missions.inRadius')}:{' '}
                {yn(s.photoCheck.takenWithinRadius)}
                {s.photoCheck.distanceKm !== null && ` (${t('near.km', { km: s.photoCheck.distanceKm.toFixed(1) })})`}
              </p>
            )}
            <Field
              label={t('missions.reason')}
              name={`reason-${s.id}`}
              maxLength={300}
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
