import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { Activity, Bell, ClipboardCheck, Flag, LocateFixed, LogOut } from 'lucide-react';
import { LogOutDocument, MeDocument, UpdateProfileDocument, type Province, type UpdateProfileInput } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Avatar, PageHeader } from '../components/ui';
import { useApi, useSession } from '../lib/api-context';
import { currentPosition } from '../lib/geo';
import { PROVINCES } from '../lib/provinces';
import { formatDate } from '../lib/time';
import { useFormErrors } from '../lib/use-form';
import { FORMS } from '../lib/validate';

export function ProfilePage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const api = useApi();
  const navigate = useNavigate();
  const me = useQuery(MeDocument, { skip: !session });
  const [update, { loading, error, reset }] = useMutation(UpdateProfileDocument);
  const [logOut] = useMutation(LogOutDocument);
  const form = useFormErrors(FORMS.profile, error);
  const [saved, setSaved] = useState(false);
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [geoError, setGeoError] = useState<unknown>(null);
  if (!session) return <Navigate to="/login" replace />;
  const user = me.data?.me ?? session.user;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaved(false);
    reset();
    const f = new FormData(e.currentTarget);
    const nickname = String(f.get('nickname') ?? '').trim();
    if (!form.validate({ nickname, homeLatitude: lat, homeLongitude: lng })) return;
    const input: UpdateProfileInput = {};
    if (nickname !== user.nickname) input.nickname = nickname;
    const province = String(f.get('homeProvince'));
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

  const signOut = async () => {
    const refreshToken = session.refreshToken;
    api.session.clear();
    navigate('/');
    await logOut({ variables: { refreshToken } }).catch(() => undefined);
  };

  return (
    <div className="narrow">
      <PageHeader title={t('profile.title')} />
      <section className="card profile-head">
        <Avatar name={user.nickname} size={56} />
        <div>
          <p className="profile-name">
            {user.nickname} {user.role === 'ADMIN' && <span className="chip">{t('profile.admin')}</span>}
          </p>
          <p className="muted small">{user.email}</p>
          <p className="small">
            <strong data-testid="points">{user.points}</strong> {t('profile.pointsUnit')} ·{' '}
            {t('profile.joinedOn', { date: formatDate(user.createdAt, i18n.language) })}
          </p>
        </div>
      </section>
      <nav className="card menu" aria-label={t('profile.menu')}>
        <Link to="/notifications">
          <Bell aria-hidden="true" size={18} /> {t('nav.notifications')}
        </Link>
        {user.role === 'ADMIN' && (
          <>
            <Link to="/missions/new">
              <Flag aria-hidden="true" size={18} /> {t('missions.create')}
            </Link>
            <Link to="/missions/review">
              <ClipboardCheck aria-hidden="true" size={18} /> {t('missions.review')}
            </Link>
            <Link to="/status">
              <Activity aria-hidden="true" size={18} /> {t('status.title')}
            </Link>
          </>
        )}
      </nav>
      <form onSubmit={(e) => void submit(e)} noValidate className="card">
        <h2>{t('profile.edit')}</h2>
        <Field
          label={t('auth.nickname')}
          name="nickname"
          defaultValue={user.nickname}
          hint={t('auth.nicknameHint')}
          messages={form.messages('nickname')}
          key={user.nickname}
          autoComplete="nickname"
        />
        <fieldset>
          <legend>{t('profile.home')}</legend>
          <p className="muted small">{t('profile.homeHint')}</p>
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
          <button type="button" className="secondary" onClick={() => void locate()}>
            <LocateFixed aria-hidden="true" size={16} /> {t('profile.useMyLocation')}
          </button>
          {lat && lng && (
            <p className="muted small" role="status">
              {t('profile.locationSet')}
            </p>
          )}
          {(form.messages('homeLatitude').length > 0 || form.messages('homeLongitude').length > 0) && (
            <p className="field-error">{t('profile.locationInvalid')}</p>
          )}
          <ErrorMessage error={geoError} />
        </fieldset>
        <ErrorMessage error={error} shownFields={['nickname', 'homeLatitude', 'homeLongitude']} />
        <button type="submit" className="primary" disabled={loading}>
          {t('profile.save')}
        </button>
        {saved && (
          <p role="status" className="success">
            {t('profile.saved')}
          </p>
        )}
      </form>
      <button type="button" className="secondary wide" onClick={() => void signOut()}>
        <LogOut aria-hidden="true" size={18} /> {t('nav.logout')}
      </button>
    </div>
  );
}
