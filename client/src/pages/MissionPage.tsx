import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import {
  CloseMissionDocument,
  MissionDetailDocument,
  MissionUpdatedDocument,
  StartMissionDocument,
  SubmitMissionProofDocument,
  type MissionProofInput,
} from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { useApi, useSession } from '../lib/api-context';
import { currentPosition, type LatLng } from '../lib/geo';
import { uploadImage } from '../lib/uploads';
import { MissionMeta } from './MissionsPage';

function ProofForm({ kind, attemptId, onDone }: { kind: string; attemptId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [submit, { loading, error }] = useMutation(SubmitMissionProofDocument);
  const [position, setPosition] = useState<LatLng | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [localError, setLocalError] = useState<unknown>(null);
  const [uploading, setUploading] = useState(false);
  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);
  const locate = () => {
    setLocalError(null);
    currentPosition().then(setPosition, setLocalError);
  };
  const send = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setLocalError(null);
    const proof: MissionProofInput = {};
    if (position) {
      proof.latitude = position.latitude;
      proof.longitude = position.longitude;
    }
    if (kind === 'CODE') proof.code = String(new FormData(e.currentTarget).get('code') ?? '');
    if (kind === 'PHOTO') {
      if (!file) return setLocalError(new Error(t('missions.photo')));
      setUploading(true);
      try {
        proof.uploadId = await uploadImage(api.session, file);
      } catch (err) {
        setLocalError(err);
        return;
      } finally {
        setUploading(false);
      }
    }
    const { data } = await submit({ variables: { attemptId, proof } }).catch(() => ({ data: undefined }));
    if (data) onDone();
  };
  return (
    <form onSubmit={(e) => void send(e)} noValidate>
      {(kind === 'LOCATION' || kind === 'WEATHER' || kind === 'PHOTO') && (
        <div className="field">
          <span>{t('missions.location')}</span>
          <button type="button" className="secondary" onClick={locate}>
            {t('missions.locate')}
          </button>
          {position && (
            <span className="ok" role="status">
              {t('missions.located', { lat: position.latitude.toFixed(4), lng: position.longitude.toFixed(4) })}
            </span>
          )}
        </div>
      )}
      {kind === 'CODE' && <Field label={t('missions.code')} name="code" autoComplete="off" required error={error} />}
      {kind === 'PHOTO' && (
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
      )}
      <ErrorMessage error={localError ?? error} />
      <button type="submit" disabled={loading || uploading}>
        {uploading ? t('missions.uploading') : t('missions.submit')}
      </button>
    </form>
  );
}

export function MissionPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const session = useSession();
  const detail = useQuery(MissionDetailDocument, { variables: { id } });
  // Remaining slots and status follow every approval live (the cache merges the Mission by id).
  useSubscription(MissionUpdatedDocument, { variables: { missionId: id } });
  const [start, starting] = useMutation(StartMissionDocument);
  const [close, closing] = useMutation(CloseMissionDocument);
  const [attempt, setAttempt] = useState<{ id: string; expiresAt: string } | null>(null);
  if (detail.error) return <ErrorMessage error={detail.error} onRetry={() => void detail.refetch()} />;
  const m = detail.data?.mission;
  if (!m) return <p>{detail.loading ? t('common.loading') : t('errors.NOT_FOUND')}</p>;
  const mine = m.mySubmission;
  const canStart = !!session && m.status === 'OPEN' && (!mine || mine.status === 'REJECTED') && !attempt;
  return (
    <section className="card">
      <h1>{m.title}</h1>
      <MissionMeta m={m} />
      <p>{m.description}</p>
      {m.verification.weatherCondition && <p className="muted">{m.verification.weatherCondition}</p>}
      {mine && (
        <div
          className={mine.status === 'REJECTED' ? 'error' : mine.status === 'APPROVED' ? 'success' : 'pinned'}
          role="status"
          data-testid="my-submission"
          data-status={mine.status}
        >
          <p>{t('missions.yourResult', { status: t(`missions.result.${mine.status}`) })}</p>
          {mine.rewardPoints !== null && <p>{t('missions.earned', { points: mine.rewardPoints })}</p>}
          {mine.reason && <p>{mine.reason}</p>}
        </div>
      )}
      {canStart && (
        <button
          type="button"
          disabled={starting.loading}
          onClick={() =>
            void start({ variables: { missionId: id } })
              .then(({ data }) => data && setAttempt(data.startMission))
              .catch(() => undefined)
          }
        >
          {t('missions.start')}
        </button>
      )}
      <ErrorMessage error={starting.error} />
      {attempt && (
        <>
          <p className="muted">{t('missions.expires', { time: new Date(attempt.expiresAt).toLocaleTimeString(i18n.language) })}</p>
          <ProofForm
            kind={m.verification.kind}
            attemptId={attempt.id}
            onDone={() => {
              setAttempt(null);
              void detail.refetch();
            }}
          />
        </>
      )}
      {session?.user.role === 'ADMIN' && m.status !== 'CLOSED' && (
        <p>
          <button
            type="button"
            className="secondary"
            disabled={closing.loading}
            onClick={() => void close({ variables: { id } }).catch(() => undefined)}
          >
            {t('missions.close')}
          </button>
          <ErrorMessage error={closing.error} />
        </p>
      )}
    </section>
  );
}
