import { useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { Bell } from 'lucide-react';
import { NotificationAddedDocument, UnreadNotificationCountDocument as UnreadCountDocument } from '../__generated__/graphql';

/** The unread count, live. Hidden (not an error banner in the header) when the API cannot answer. */
export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useQuery(UnreadCountDocument);
  useSubscription(NotificationAddedDocument, {
    skip: !!unread.error,
    // A grouped like grows an existing notification: the server's count is the truth.
    onData: () => void unread.refetch(),
  });
  if (unread.error) return null;
  const count = unread.data?.unreadNotificationCount ?? 0;
  return (
    <NavLink to="/notifications" className="icon-button bell" data-testid="bell">
      <Bell aria-hidden="true" size={20} />
      <span className="sr-only">{t('nav.notifications')}</span>
      {count > 0 && (
        <span className="badge">
          {count > 99 ? '99+' : count}
          <span className="sr-only"> {t('notifications.unreadSuffix')}</span>
        </span>
      )}
    </NavLink>
  );
}
