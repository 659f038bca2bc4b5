import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { KakaoLoginUrlDocument, LogInDocument, LogInWithKakaoDocument, SignUpDocument } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { useApi } from '../lib/api-context';

const KAKAO_STATE = 'ww.kakao.state';

function KakaoButton() {
  const { t } = useTranslation();
  const client = useApolloClient();
  const [error, setError] = useState<unknown>(null);
  const start = async () => {
    setError(null);
    try {
      const { data } = await client.query({
        query: KakaoLoginUrlDocument,
        variables: { redirectUri: `${location.origin}/auth/kakao` },
        fetchPolicy: 'network-only',
      });
      sessionStorage.setItem(KAKAO_STATE, data!.kakaoLoginUrl.state);
      location.assign(data!.kakaoLoginUrl.url);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <button type="button" className="kakao" onClick={() => void start()}>
        {t('auth.kakao')}
      </button>
      <ErrorMessage error={error} />
    </>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const { session } = useApi();
  const navigate = useNavigate();
  const [logIn, { loading, error }] = useMutation(LogInDocument);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const { data } = await logIn({
      variables: { input: { email: String(form.get('email')), password: String(form.get('password')) } },
    }).catch(() => ({ data: undefined }));
    if (data) {
      session.set(data.logIn);
      navigate('/');
    }
  };
  return (
    <section className="card narrow">
      <h1>{t('auth.login')}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('auth.email')} name="email" type="email" autoComplete="email" required error={error} />
        <Field label={t('auth.password')} name="password" type="password" autoComplete="current-password" required error={error} />
        <ErrorMessage error={error} />
        <button type="submit" disabled={loading}>
          {loading ? t('auth.loggingIn') : t('auth.login')}
        </button>
      </form>
      <KakaoButton />
      <p>
        {t('auth.noAccount')} <Link to="/signup">{t('auth.signup')}</Link>
      </p>
    </section>
  );
}

export function SignUpPage() {
  const { t } = useTranslation();
  const { session } = useApi();
  const navigate = useNavigate();
  const [signUp, { loading, error }] = useMutation(SignUpDocument);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = { email: String(form.get('email')), password: String(form.get('password')), nickname: String(form.get('nickname')) };
    const { data } = await signUp({ variables: { input } }).catch(() => ({ data: undefined }));
    if (data) {
      session.set(data.signUp);
      navigate('/');
    }
  };
  return (
    <section className="card narrow">
      <h1>{t('auth.signup')}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('auth.email')} name="email" type="email" autoComplete="email" required error={error} />
        <Field
          label={t('auth.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          hint={t('auth.passwordHint')}
          required
          error={error}
        />
        <Field label={t('auth.nickname')} name="nickname" autoComplete="nickname" hint={t('auth.nicknameHint')} required error={error} />
        <ErrorMessage error={error} />
        <button type="submit" disabled={loading}>
          {t('auth.signup')}
        </button>
      </form>
      <p>
        {t('auth.haveAccount')} <Link to="/login">{t('auth.login')}</Link>
      </p>
    </section>
  );
}

export function KakaoCallbackPage() {
  const { t } = useTranslation();
  const { session } = useApi();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [logIn, { error }] = useMutation(LogInWithKakaoDocument);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const code = params.get('code') ?? '';
    const state = params.get('state') ?? sessionStorage.getItem(KAKAO_STATE) ?? '';
    sessionStorage.removeItem(KAKAO_STATE);
    void logIn({ variables: { code, state } })
      .then(({ data }) => {
        if (data) {
          session.set(data.logInWithKakao);
          navigate('/', { replace: true });
        }
      })
      .catch(() => undefined);
  }, [params, logIn, session, navigate]);
  return (
    <section className="card narrow">
      <h1>{t('auth.kakao')}</h1>
      {error ? <ErrorMessage error={error} /> : <p>{t('auth.kakaoFinishing')}</p>}
    </section>
  );
}
