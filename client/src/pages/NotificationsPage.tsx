import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import {
  MarkNotificationsReadDocument as MarkReadDocument,
  NotificationsDocument,
  UnreadNotificationCountDocument as UnreadCountDocument,
} from '../__generated__/graphql';
import { useSession } from '../lib/api-context';

export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const list = useQuery(NotificationsDocument, { variables: { first: 50 }, skip: !session });
  const [mark, marking] = useMutation(MarkReadDocument, { refetchQueries: [NotificationsDocument, UnreadCountDocument] });
  if (!session) return <Navigate to="/login" replace />;
  const items = list.data?.notifications.edges.map((e) => e.node) ?? [];
  return (
    <section className="card">
      <h1>{t('nav.notifications')}</h1>
      <ErrorMessage error={list.error ?? marking.error} onRetry={() => void list.refetch()} />
      {items.length > 0 && (
        <button type="button" className="secondary" onClick={() => void mark({ variables: { all: true } }).catch(() => undefined)}>
          {t('notifications.markAll')}
        </button>
      )}
      {list.data && !items.length && <p className="muted">{t('notifications.empty')}</p>}
      <ul className="list">
        {items.map((n) => (
          <li key={n.id} className={n.readAt ? 'muted' : ''}>
            {t(`notifications.kinds.${n.kind}`, { actor: n.actor?.nickname ?? '', count: n.count })} ·{' '}
            {new Date(n.createdAt).toLocaleString(i18n.language)}{' '}
            {!n.readAt && (
              <button type="button" className="link" onClick={() => void mark({ variables: { ids: [n.id] } }).catch(() => undefined)}>
                {t('notifications.markRead')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
