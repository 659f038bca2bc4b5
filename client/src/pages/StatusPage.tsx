import { useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { CircleCheck, CircleX } from 'lucide-react';
import { ServerStatusDocument } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { PageHeader, Skeleton } from '../components/ui';

export function StatusPage() {
  const { t } = useTranslation();
  const status = useQuery(ServerStatusDocument);
  const s = status.data?.serverStatus;
  const row = (label: string, ok: boolean) => (
    <li>
      {ok ? (
        <CircleCheck aria-hidden="true" size={18} className="ok-icon" />
      ) : (
        <CircleX aria-hidden="true" size={18} className="bad-icon" />
      )}
      {label}: {ok ? t('status.ok') : t('status.down')}
    </li>
  );
  return (
    <>
      <PageHeader title={t('status.title')} back="/profile" />
      <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />
      {!s && !status.error && <Skeleton rows={1} variant="line" />}
      {s && (
        <ul className="card status" data-testid="server-status">
          <li>{t('status.version', { version: s.version })}</li>
          {row('MySQL', s.database)}
          {row('Redis', s.redis)}
          {row(t('status.worker'), s.worker.alive)}
        </ul>
      )}
    </>
  );
}
