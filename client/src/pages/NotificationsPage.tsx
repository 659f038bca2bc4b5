import { useEffect, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { BellOff } from 'lucide-react';
import {
  MarkNotificationsReadDocument as MarkReadDocument,
  NotificationsDocument,
  UnreadNotificationCountDocument as UnreadCountDocument,
  type NotificationFieldsFragment,
} from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Avatar, Empty, PageHeader, Skeleton } from '../components/ui';
import { useSession } from '../lib/api-context';
import { provinceName } from '../lib/provinces';
import { relativeTime } from '../lib/time';

const snippet = (s: string, n = 40) => ([...s].length > n ? `${[...s].slice(0, n).join('')}…` : s);

/** Where a notification leads: its post, resume, mission or alert room (a comment's page via its target). */
export function hrefOf(n: NotificationFieldsFragment): string | null {
  const target = n.target;
  switch (target?.__typename) {
    case 'Post':
      return `/posts/${encodeURIComponent(target.id)}`;
    case 'Resume':
      return `/resumes/${encodeURIComponent(target.id)}`;
    case 'Comment':
      return `/go/${encodeURIComponent(target.targetId)}#comments`;
    case 'MissionSubmission':
      return `/missions/${encodeURIComponent(target.mission.id)}`;
    case 'WeatherAlert':
      return target.province ? `/weather/province/${target.province}` : '/weather';
    default:
      return null;
  }
}

/** The sentence of a notification, with its subject's title and the particles that fit it. */
export function useNotificationText() {
  const { t, i18n } = useTranslation();
  return (n: NotificationFieldsFragment) => notificationText(n, t, i18n.language);
}

export function notificationText(n: NotificationFieldsFragment, t: TFunction, lang: string): string {
  const actor = n.actor?.nickname ?? t('common.unknownUser');
  const target = n.target;
  const others = Math.max(0, n.count - 1);
  switch (n.kind) {
    case 'LIKE': {
      const title =
        target?.__typename === 'Post' || target?.__typename === 'Resume'
          ? snippet(target.title)
          : target?.__typename === 'Comment'
            ? snippet(target.body)
            : null;
      const what = target?.__typename === 'Comment' ? 'comment' : target?.__typename === 'Resume' ? 'resume' : 'post';
      if (!title) return t(others ? 'notifications.likeManyNoTitle' : 'notifications.likeOneNoTitle', { actor, count: others });
      return t(others ? `notifications.likeMany.${what}` : `notifications.likeOne.${what}`, { actor, count: others, title });
    }
    case 'COMMENT':
    case 'REPLY': {
      const body = target?.__typename === 'Comment' ? snippet(target.body) : '';
      return t(`notifications.${n.kind === 'COMMENT' ? 'comment' : 'reply'}`, { actor, body });
    }
    case 'MISSION_REVIEWED': {
      if (target?.__typename !== 'MissionSubmission') return t('notifications.missionReviewedNoTitle');
      const title = snippet(target.mission.title);
      return t(target.status === 'APPROVED' ? 'notifications.missionApproved' : 'notifications.missionRejected', { title });
    }
    case 'RESUME_READY':
      return target?.__typename === 'Resume'
        ? t('notifications.resumeReady', { title: snippet(target.title) })
        : t('notifications.resumeReadyNoTitle');
    case 'WEATHER_ALERT': {
      if (target?.__typename !== 'WeatherAlert') return t('notifications.weatherAlertNoTitle');
      const alert = `${t(`weather.kinds.${target.kind}`)} ${t(`weather.${target.level}`)}`;
      return t('notifications.weatherAlert', { place: provinceName(target.province, lang) || target.areaName, alert });
    }
    default:
      return t('notifications.generic');
  }
}

export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const list = useQuery(NotificationsDocument, { variables: { first: 50 }, skip: !session });
  const [mark, marking] = useMutation(MarkReadDocument, { refetchQueries: [NotificationsDocument, UnreadCountDocument] });
  const text = useNotificationText();
  // Opening the list is reading it: what was unread is marked read at once (the badge clears) and stays
  // highlighted as new for this visit.
  const [fresh, setFresh] = useState<Set<string> | null>(null);
  useEffect(() => {
    if (!list.data || fresh) return;
    const unread = list.data.notifications.edges
      .map((e) => e.node)
      .filter((n) => !n.readAt)
      .map((n) => n.id);
    setFresh(new Set(unread));
    if (unread.length) void mark({ variables: { ids: unread } }).catch(() => undefined);
  }, [list.data, fresh, mark]);
  if (!session) return <Navigate to="/login" replace />;
  const items = list.data?.notifications.edges.map((e) => e.node) ?? [];
  const isNew = (n: NotificationFieldsFragment) => !n.readAt || !!fresh?.has(n.id);
  const open = (n: NotificationFieldsFragment, href: string | null) => {
    if (!n.readAt) void mark({ variables: { ids: [n.id] } }).catch(() => undefined);
    if (href) navigate(href);
  };
  return (
    <>
      <PageHeader title={t('nav.notifications')}>
        {items.some((n) => !n.readAt) && (
          <button type="button" className="pill" onClick={() => void mark({ variables: { all: true } }).catch(() => undefined)}>
            {t('notifications.markAll')}
          </button>
        )}
      </PageHeader>
      <ErrorMessage error={list.error ?? marking.error} onRetry={() => void list.refetch()} />
      {!list.data && !list.error && <Skeleton rows={4} variant="line" />}
      {list.data && !items.length && <Empty icon={BellOff} title={t('notifications.empty')} text={t('notifications.emptyHint')} />}
      <ul className="notifications">
        {items.map((n) => {
          const href = hrefOf(n);
          const body = (
            <>
              <Avatar name={n.actor?.nickname ?? t('app.name')} size={36} />
              <span className="n-text">
                <span>{text(n)}</span>
                <time className="muted small" dateTime={n.createdAt}>
                  {relativeTime(n.createdAt, t, i18n.language)}
                </time>
              </span>
              {isNew(n) && <span className="unread-dot" aria-label={t('notifications.unread')} role="img" />}
            </>
          );
          return (
            <li key={n.id} className={isNew(n) ? 'unread' : 'read'} data-testid="notification">
              {href ? (
                <Link
                  to={href}
                  onClick={(e) => {
                    e.preventDefault();
                    open(n, href);
                  }}
                >
                  {body}
                </Link>
              ) : (
                <button type="button" className="plain" onClick={() => open(n, null)}>
                  {body}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
