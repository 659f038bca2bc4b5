import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { MeDocument, UpdateProfileDocument, type Province, type UpdateProfileInput } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { useApi, useSession } from '../lib/api-context';
import { currentPosition } from '../lib/geo';
import { PROVINCES } from '../lib/provinces';

export function ProfilePage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const api = useApi();
  const me = useQuery(MeDocument, { skip: !session });
  const [update, { loading, error }] = useMutation(UpdateProfileDocument);
  const [saved, setSaved] = useState(false);
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [geoError, setGeoError] = useState<unknown>(null);
  if (!session) return <Navigate to="/login" replace />;
  const user = me.data?.me ?? session.user;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaved(false);
    const form = new FormData(e.currentTarget);
    const input: UpdateProfileInput = {};
    const nickname = String(form.get('nickname')).trim();
    if (nickname && nickname !== user.nickname) input.nickname = nickname;
    const province = String(form.get('homeProvince'));
    if (province && province !== user.homeProvince) input.homeProvince = province as Province;
    if (lat && lng) {
      input.homeLatitude = Number(lat);
      input.homeLongitude = Number(lng);
    }
    const { data } = await update({ variables: { input } }).catch(() => ({ data: undefined }));
    if (data) {
      api.session.setUser(data.updateProfile);
      setSaved(true);
    }
  };

  const locate = async () => {
    setGeoError(null);
    try {
      const p = await currentPosition();
      setLat(p.latitude.toFixed(5));
      setLng(p.longitude.toFixed(5));
    } catch (err) {
      setGeoError(err);
    }
  };

  return (
    <section className="card narrow">
      <h1>{t('profile.title')}</h1>
      <ErrorMessage error={me.error} onRetry={() => void me.refetch()} />
      <dl className="facts">
        <dt>{t('profile.email')}</dt>
        <dd>{user.email ?? '—'}</dd>
        <dt>{t('profile.points')}</dt>
        <dd data-testid="points">{user.points}</dd>
        <dt>{t('profile.role')}</dt>
        <dd>{user.role}</dd>
        <dt>{t('profile.joined')}</dt>
        <dd>{new Date(user.createdAt).toLocaleDateString(i18n.language)}</dd>
      </dl>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label={t('auth.nickname')}
          name="nickname"
          defaultValue={user.nickname}
          hint={t('auth.nicknameHint')}
          error={error}
          key={user.nickname}
        />
        <fieldset>
          <legend>{t('profile.home')}</legend>
          <p className="muted">{t('profile.homeHint')}</p>
          <div className="field">
            <label htmlFor="homeProvince">{t('profile.province')}</label>
            <select id="homeProvince" name="homeProvince" defaultValue={user.homeProvince ?? ''} key={user.homeProvince ?? ''}>
              <option value="">{t('profile.none')}</option>
              {PROVINCES.map((p) => (
                <option key={p.code} value={p.code}>
                  {i18n.language === 'en' ? p.en : p.ko}
                </option>
              ))}
            </select>
          </div>
          <div className="row">
            <Field
              label={t('profile.latitude')}
              name="homeLatitude"
              inputMode="decimal"
              value={lat}
              onChange={(e) => setLat(e.target.value)}
              error={error}
            />
            <Field
              label={t('profile.longitude')}
              name="homeLongitude"
              inputMode="decimal"
              value={lng}
              onChange={(e) => setLng(e.target.value)}
              error={error}
            />
          </div>
          <button type="button" className="secondary" onClick={() => void locate()}>
            {t('profile.useMyLocation')}
          </button>
          <ErrorMessage error={geoError} />
        </fieldset>
        <ErrorMessage error={error} />
        <button type="submit" disabled={loading}>
          {t('profile.save')}
        </button>
        {saved && (
          <p role="status" className="ok">
            {t('profile.saved')}
          </p>
        )}
      </form>
    </section>
  );
}
