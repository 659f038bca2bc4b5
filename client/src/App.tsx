import { Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Route, Routes, useLocation } from 'react-router';
import { CloudSun, FileText, Flag, Home, Languages, LogIn, User } from 'lucide-react';
import { ErrorBoundary } from './components/ErrorBoundary';
import { NotificationBell } from './components/NotificationBell';
import { Avatar, Skeleton } from './components/ui';
import { useSession } from './lib/api-context';
import { routes } from './routes';

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <button type="button" className="icon-button lang" onClick={() => void i18n.changeLanguage(i18n.language === 'ko' ? 'en' : 'ko')}>
      <Languages aria-hidden="true" size={18} />
      <span>{t('app.language')}</span>
      <span className="sr-only"> ({t('app.languageLabel')})</span>
    </button>
  );
}

function Account() {
  const { t } = useTranslation();
  const session = useSession();
  if (!session) {
    return (
      <Link to="/login" className="pill">
        {t('nav.login')}
      </Link>
    );
  }
  return (
    <>
      <NotificationBell />
      <NavLink to="/profile" data-testid="me" className="me">
        <Avatar name={session.user.nickname} size={30} />
        <span className="me-name">{session.user.nickname}</span>
        <span className="sr-only"> ({t('nav.profile')})</span>
      </NavLink>
    </>
  );
}

function TabBar() {
  const { t } = useTranslation();
  const session = useSession();
  const tabs = [
    { to: '/', label: t('nav.near'), Icon: Home, end: true },
    { to: '/weather', label: t('nav.weather'), Icon: CloudSun },
    { to: '/missions', label: t('nav.missions'), Icon: Flag },
    { to: '/resumes', label: t('nav.resumes'), Icon: FileText },
    session ? { to: '/profile', label: t('nav.me'), Icon: User } : { to: '/login', label: t('nav.login'), Icon: LogIn },
  ];
  return (
    <nav aria-label={t('nav.label')} className="tabbar">
      {tabs.map(({ to, label, Icon, end }) => (
        <NavLink key={to} to={to} end={end}>
          <Icon aria-hidden="true" size={22} />
          <span>{label}</span>
        </NavLink>
      ))}
    </nav>
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
    window.scrollTo(0, 0);
  }, [location.pathname]);
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <Link to="/" className="brand" aria-label={t('app.name')}>
          <CloudSun aria-hidden="true" size={24} />
          <span>{t('app.name')}</span>
        </Link>
        <TabBar />
        <div className="account">
          <LanguageSwitch />
          <Account />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary key={location.pathname}>
          <Suspense fallback={<Skeleton rows={3} />}>
            <Routes>
              {routes.map(({ path, Component }) => (
                <Route key={path} path={path} element={<Component />} />
              ))}
            </Routes>
          </Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}
