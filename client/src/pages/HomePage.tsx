import { useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ServerStatusDocument } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { useSession } from '../lib/api-context';

export function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  const status = useQuery(ServerStatusDocument);
  const s = status.data?.serverStatus;
  return (
    <section className="card">
      <h1>{t('home.welcome')}</h1>
      <p>{t('home.intro')}</p>
      {!session && (
        <p>
          <Link to="/login">{t('nav.login')}</Link> · <Link to="/signup">{t('nav.signup')}</Link>
        </p>
      )}
      <h2>{t('home.status')}</h2>
      <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />
      {s && (
        <ul className="status" data-testid="server-status">
          <li>API {s.version}</li>
          <li>MySQL: {s.database ? t('home.ok') : t('home.down')}</li>
          <li>Redis: {s.redis ? t('home.ok') : t('home.down')}</li>
          <li>Worker: {s.worker.alive ? t('home.ok') : t('home.down')}</li>
        </ul>
      )}
    </section>
  );
}
