import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { KakaoLoginUrlDocument, LogInDocument, LogInWithKakaoDocument, SignUpDocument } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { PageHeader, Skeleton } from '../components/ui';
import { useApi } from '../lib/api-context';
import { useFormErrors } from '../lib/use-form';
import { FORMS } from '../lib/validate';

const KAKAO_STATE = 'ww.kakao.state';
/** A login state lives about ten minutes on the server; older ones are fetched again before leaving. */
const STATE_FRESH_MS = 5 * 60_000;

/** Shown only when this server has Kakao login switched on (its login URL answers). */
function KakaoButton() {
  const { t } = useTranslation();
  const redirectUri = `${location.origin}/auth/kakao`;
  const url = useQuery(KakaoLoginUrlDocument, { variables: { redirectUri }, fetchPolicy: 'network-only' });
  const [fetchedAt] = useState(Date.now);
  if (!url.data) return null;
  const go = async () => {
    let next = url.data!.kakaoLoginUrl;
    if (Date.now() - fetchedAt > STATE_FRESH_MS) next = (await url.refetch()).data?.kakaoLoginUrl ?? next;
    sessionStorage.setItem(KAKAO_STATE, next.state);
    location.assign(next.url);
  };
  return (
    <>
      <div className="divider">
        <span>{t('auth.or')}</span>
      </div>
      <button type="button" className="kakao wide" onClick={() => void go()}>
        {t('auth.kakao')}
      </button>
    </>
  );
}

function useBack(): string {
  const from = (useLocation().state as { from?: string } | null)?.from;
  return from && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { session } = useApi();
  const navigate = useNavigate();
  const back = useBack();
  const [logIn, { loading, error, reset }] = useMutation(LogInDocument);
  const form = useFormErrors(FORMS.logIn, error);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const values = { email: String(f.get('email') ?? '').trim(), password: String(f.get('password') ?? '') };
    reset();
    if (!form.validate(values)) return;
    const { data } = await logIn({ variables: { input: values } }).catch(() => ({ data: undefined }));
    if (data) {
      session.set(data.logIn);
      navigate(back);
    }
  };
  return (
    <section className="narrow auth">
      <PageHeader title={t('auth.login')} />
      <form onSubmit={(e) => void submit(e)} noValidate className="card">
        <Field label={t('auth.email')} name="email" type="email" autoComplete="email" inputMode="email" messages={form.messages('email')} />
        <Field
          label={t('auth.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          messages={form.messages('password')}
        />
        <ErrorMessage error={error} shownFields={['email', 'password']} overrides={{ UNAUTHENTICATED: t('auth.wrongCredentials') }} />
        <button type="submit" className="primary wide" disabled={loading}>
          {loading ? t('auth.loggingIn') : t('auth.login')}
        </button>
        <KakaoButton />
      </form>
      <p className="center">
        {t('auth.noAccount')} <Link to="/signup">{t('auth.signup')}</Link>
      </p>
    </section>
  );
}

export function SignUpPage() {
  const { t } = useTranslation();
  const { session } = useApi();
  const navigate = useNavigate();
  const back = useBack();
  const [signUp, { loading, error, reset }] = useMutation(SignUpDocument);
  const form = useFormErrors(FORMS.signUp, error);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const input = {
      email: String(f.get('email') ?? '').trim(),
      password: String(f.get('password') ?? ''),
      nickname: String(f.get('nickname') ?? '').trim(),
    };
    reset();
    if (!form.validate(input)) return;
    const { data } = await signUp({ variables: { input } }).catch(() => ({ data: undefined }));
    if (data) {
      session.set(data.signUp);
      navigate(back);
    }
  };
  return (
    <section className="narrow auth">
      <PageHeader title={t('auth.signup')} />
      <form onSubmit={(e) => void submit(e)} noValidate className="card">
        <Field label={t('auth.email')} name="email" type="email" autoComplete="email" inputMode="email" messages={form.messages('email')} />
        <Field
          label={t('auth.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          hint={t('auth.passwordHint')}
          messages={form.messages('password')}
        />
        <Field
          label={t('auth.nickname')}
          name="nickname"
          autoComplete="nickname"
          hint={t('auth.nicknameHint')}
          maxLength={20}
          messages={form.messages('nickname')}
        />
        <ErrorMessage error={error} shownFields={['email', 'password', 'nickname']} />
        <button type="submit" className="primary wide" disabled={loading}>
          {t('auth.signup')}
        </button>
      </form>
      <p className="center">
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
    <section className="narrow">
      <PageHeader title={t('auth.kakao')} />
      {error ? (
        <>
          <ErrorMessage error={error} feature="kakao" />
          <Link to="/login">{t('auth.backToLogin')}</Link>
        </>
      ) : (
        <>
          <p>{t('auth.kakaoFinishing')}</p>
          <Skeleton rows={1} variant="line" />
        </>
      )}
    </section>
  );
}
