import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Camera, CircleCheck, Flag, KeyRound, LocateFixed, MapPin } from 'lucide-react';
import {
  CloseMissionDocument,
  MissionDetailDocument,
  MissionUpdatedDocument,
  StartMissionDocument,
  SubmitMissionProofDocument,
  type MissionDetailQuery,
  type MissionProofInput,
} from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Empty, PageHeader, Skeleton } from '../components/ui';
import { useApi, useSession } from '../lib/api-context';
import { ClientError } from '../lib/errors';
import { currentPosition } from '../lib/geo';
import { formatDateTime } from '../lib/time';
import { uploadImage } from '../lib/uploads';
import { useFormErrors } from '../lib/use-form';
import { FORMS } from '../lib/validate';
import { MissionMeta } from './MissionsPage';

type Mission = NonNullable<MissionDetailQuery['mission']>;
type Step = 'locating' | 'starting' | 'uploading' | 'sending' | null;

const HANGUL = /[\uac00-\ud7a3]/;

/** A reviewer's note is shown as written; the server's own English reasons are not (it has no reason codes yet). */
function reasonText(reason: string | null, lang: string): string | null {
  if (!reason) return null;
  return lang === 'ko' && !HANGUL.test(reason) ? null : reason;
}

/** One tap: start an attempt, gather the proof this mission needs, send it. */
function Prove({ m, onDone }: { m: Mission; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [start] = useMutation(StartMissionDocument);
  const [submit] = useMutation(SubmitMissionProofDocument);
  const [step, setStep] = useState<Step>(null);
  const [error, setError] = useState<unknown>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const form = useFormErrors(FORMS.missionCode, error);
  const kind = m.verification.kind;
  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const run = async (extra: MissionProofInput = {}) => {
    setError(null);
    try {
      const proof: MissionProofInput = { ...extra };
      if (kind === 'LOCATION' || kind === 'WEATHER' || (kind === 'PHOTO' && m.verification.hasPoint)) {
        setStep('locating');
        const p = await currentPosition().catch((err) => {
          if (kind === 'PHOTO') return null; // the photo's own EXIF place is what the reviewer checks
          throw err;
        });
        if (p) Object.assign(proof, { latitude: p.latitude, longitude: p.longitude });
      }
      if (kind === 'PHOTO') {
        if (!file) throw new ClientError('missions.photoNeeded', {}, false);
        setStep('uploading');
        proof.uploadId = await uploadImage(api.session, file);
      }
      setStep('starting');
      const started = await start({ variables: { missionId: m.id } });
      setStep('sending');
      await submit({ variables: { attemptId: started.data!.startMission.id, proof } });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setStep(null);
    }
  };

  const busy = step !== null;
  const label = busy ? t(`missions.steps.${step}`) : null;
  if (kind === 'CODE') {
    const sendCode = (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const code = String(new FormData(e.currentTarget).get('code') ?? '');
      if (form.validate({ code })) void run({ code: code.trim() });
    };
    return (
      <form onSubmit={sendCode} noValidate className="prove">
        <Field label={t('missions.code')} name="code" autoComplete="off" messages={form.messages('code')} />
        <ErrorMessage error={error} shownFields={['code']} />
        <button type="submit" className="primary wide" disabled={busy}>
          <KeyRound aria-hidden="true" size={18} /> {label ?? t('missions.submit')}
        </button>
      </form>
    );
  }
  if (kind === 'PHOTO') {
    return (
      <div className="prove">
        <div className="field">
          <label htmlFor="proof-photo">{t('missions.photo')}</label>
          <input
            id="proof-photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          {preview && <img src={preview} alt={t('missions.preview')} className="preview" />}
        </div>
        <ErrorMessage error={error} />
        <button type="button" className="primary wide" disabled={busy || !file} onClick={() => void run()}>
          <Camera aria-hidden="true" size={18} /> {label ?? t('missions.submit')}
        </button>
      </div>
    );
  }
  return (
    <div className="prove">
      <ErrorMessage error={error} onRetry={() => void run()} />
      <button type="button" className="primary wide" disabled={busy} onClick={() => void run()}>
        <LocateFixed aria-hidden="true" size={18} /> {label ?? t('missions.locateAndSubmit')}
      </button>
    </div>
  );
}

export function MissionPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const session = useSession();
  const detail = useQuery(MissionDetailDocument, { variables: { id } });
  // Remaining slots and status follow every approval live (the cache merges the Mission by id).
  useSubscription(MissionUpdatedDocument, { variables: { missionId: id } });
  const [close, closing] = useMutation(CloseMissionDocument);
  if (detail.error) return <ErrorMessage error={detail.error} onRetry={() => void detail.refetch()} />;
  const m = detail.data?.mission;
  if (!m) return detail.loading ? <Skeleton rows={1} /> : <Empty icon={Flag} title={t('missions.notFound')} />;
  const mine = m.mySubmission;
  const canProve = !!session && m.status === 'OPEN' && (!mine || mine.status === 'REJECTED');
  const reason = reasonText(mine?.reason ?? null, i18n.language);
  return (
    <article className="mission-page">
      <PageHeader title={m.title} back="/missions" />
      <MissionMeta m={m} />
      <p className="post-body">{m.description}</p>
      <p className="muted">
        {t('missions.window', { from: formatDateTime(m.startsAt, i18n.language), to: formatDateTime(m.endsAt, i18n.language) })}
      </p>
      {m.verification.hasPoint && m.verification.radiusMeters !== null && (
        <p className="hint-line">
          <MapPin aria-hidden="true" size={16} /> {t('missions.radius', { meters: m.verification.radiusMeters })}
        </p>
      )}
      {m.verification.weatherCondition && (
        <p className="hint-line">
          {t('missions.condition', {
            condition: t(`missions.conditions.${m.verification.weatherCondition.split(':')[0]}`, {
              value: m.verification.weatherCondition.split(':')[1],
            }),
          })}
        </p>
      )}
      {mine && (
        <div
          className={mine.status === 'REJECTED' ? 'notice' : mine.status === 'APPROVED' ? 'success' : 'pinned'}
          role="status"
          data-testid="my-submission"
          data-status={mine.status}
        >
          <p>
            {mine.status === 'APPROVED' && <CircleCheck aria-hidden="true" size={18} />} {t(`missions.result.${mine.status}`)}
          </p>
          {mine.rewardPoints !== null && <p>{t('missions.earned', { points: mine.rewardPoints })}</p>}
          {mine.status === 'REJECTED' && <p>{reason ?? t('missions.rejectedHint')}</p>}
        </div>
      )}
      {canProve && <Prove m={m} onDone={() => void detail.refetch()} />}
      {!session && m.status === 'OPEN' && (
        <p className="notice">
          <Link to="/login">{t('missions.signIn')}</Link>
        </p>
      )}
      {session?.user.role === 'ADMIN' && m.status !== 'CLOSED' && (
        <div className="admin-row">
          <button
            type="button"
            className="secondary"
            disabled={closing.loading}
            onClick={() => void close({ variables: { id } }).catch(() => undefined)}
          >
            {t('missions.close')}
          </button>
          <ErrorMessage error={closing.error} />
        </div>
      )}
    </article>
  );
}
