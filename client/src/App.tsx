import { useEffect, useRef } from 'react';
import { useMutation } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { LogOutDocument } from './__generated__/graphql';
import { ErrorBoundary } from './components/ErrorBoundary';
import { NotificationBell } from './components/NotificationBell';
import { useApi, useSession } from './lib/api-context';
import { routes } from './routes';

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <button
      type="button"
      className="link"
      aria-label={t('app.languageLabel')}
      onClick={() => void i18n.changeLanguage(i18n.language === 'ko' ? 'en' : 'ko')}
    >
      {t('app.language')}
    </button>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const api = useApi();
  const navigate = useNavigate();
  const [logOut] = useMutation(LogOutDocument);
  if (!session) {
    return (
      <>
        <NavLink to="/login">{t('nav.login')}</NavLink>
        <NavLink to="/signup">{t('nav.signup')}</NavLink>
      </>
    );
  }
  const signOut = async () => {
    const refreshToken = session.refreshToken;
    api.session.clear();
    navigate('/');
    await logOut({ variables: { refreshToken } }).catch(() => undefined);
  };
  return (
    <>
      <NotificationBell />
      <NavLink to="/profile" data-testid="me">
        {session.user.nickname}
      </NavLink>
      <button type="button" className="link" onClick={() => void signOut()}>
        {t('nav.logout')}
      </button>
    </>
  );
}

export function App() {
  const { t } = useTranslation();
  const location = useLocation();
  const firstRender = useRef(true);
  useEffect(() => {
    // After a navigation, keyboard and screen-reader users continue from the new content.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <NavLink to="/" className="brand">
          ☁ {t('app.name')}
        </NavLink>
        <nav aria-label="main" className="nav">
          {routes
            .filter((r) => r.nav)
            .map((r) => (
              <NavLink key={r.path} to={r.path} end={r.path === '/'}>
                {t(r.nav!)}
              </NavLink>
            ))}
        </nav>
        <div className="account">
          <UserMenu />
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary key={location.pathname}>
          <Routes>
            {routes.map((r) => (
              <Route key={r.path} path={r.path} element={r.element} />
            ))}
          </Routes>
        </ErrorBoundary>
      </main>
    </>
  );
}
