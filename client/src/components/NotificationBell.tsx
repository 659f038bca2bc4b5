import { useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { NotificationAddedDocument, UnreadNotificationCountDocument as UnreadCountDocument } from '../__generated__/graphql';

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
      <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false" style={{ verticalAlign: 'middle' }}>
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
        />
      </svg>
      {count > 0 && <span className="badge">{count}</span>}
    </NavLink>
  );
}
