import { useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { NotificationAddedDocument, UnreadCountDocument } from '../graphql/pending/notifications';

/** The unread count, live. Hidden (not an error banner in the header) when the API cannot answer. */
export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useQuery(UnreadCountDocument);
  useSubscription(NotificationAddedDocument, {
    skip: !!unread.error,
    onData: ({ client }) => {
      client.cache.updateQuery({ query: UnreadCountDocument }, (d) => (d ? { unreadNotificationCount: d.unreadNotificationCount + 1 } : d));
    },
  });
  if (unread.error) return null;
  const count = unread.data?.unreadNotificationCount ?? 0;
  return (
    <NavLink to="/notifications" aria-label={`${t('nav.notifications')} (${count})`} data-testid="bell">
      🔔{count > 0 && <span className="badge">{count}</span>}
    </NavLink>
  );
}
