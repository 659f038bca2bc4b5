import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { MessagesSquare, SendHorizontal, TriangleAlert } from 'lucide-react';
import { ErrorMessage } from '../components/ErrorMessage';
import { MessageList } from '../components/MessageList';
import { Avatar, Empty, PageHeader, Skeleton } from '../components/ui';
import {
  ChatMessageAddedDocument,
  ChatRoomDocument,
  SendMessageDocument,
  type MessageFieldsFragment as ChatMessageItem,
} from '../__generated__/graphql';
import { useSession } from '../lib/api-context';
import { provinceName } from '../lib/provinces';
import { formatTime, relativeTime } from '../lib/time';

const PAGE = 50;

export function ChatRoomPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const session = useSession();
  const room = useQuery(ChatRoomDocument, { variables: { id, first: PAGE } });
  const [older, setOlder] = useState<ChatMessageItem[]>([]);
  const [live, setLive] = useState<ChatMessageItem[]>([]);
  const [cursor, setCursor] = useState<{ hasMore: boolean; before: string | null } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);
  const [send, sending] = useMutation(SendMessageDocument);
  const [draft, setDraft] = useState('');

  useSubscription(ChatMessageAddedDocument, {
    variables: { roomId: id },
    onData: ({ data }) => {
      const m = data.data?.chatMessageAdded;
      if (m) setLive((ms) => [...ms, m]);
    },
  });

  const r = room.data?.chatRoom;
  const firstPage = r?.messages;
  const pageInfo = cursor ?? (firstPage ? { hasMore: firstPage.pageInfo.hasNextPage, before: firstPage.pageInfo.endCursor } : null);
  // Oldest first on screen; one copy of each message whatever way it arrived (page, event, own send).
  const messages = useMemo(() => {
    const byId = new Map<string, ChatMessageItem>();
    for (const m of [...older, ...(firstPage?.edges.map((e) => e.node) ?? []), ...live]) byId.set(m.id, m);
    return [...byId.values()].sort((a, b) => a.seq - b.seq);
  }, [older, firstPage, live]);

  const loadOlder = async () => {
    if (!pageInfo?.hasMore || loadingOlder) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const res = await room.fetchMore({ variables: { first: PAGE, before: pageInfo.before }, updateQuery: (prev) => prev });
      const page = res.data?.chatRoom?.messages;
      if (page) {
        setOlder((o) => [...page.edges.map((e) => e.node), ...o]);
        setCursor({ hasMore: page.pageInfo.hasNextPage, before: page.pageInfo.endCursor });
      }
    } catch (err) {
      setOlderError(err);
    } finally {
      setLoadingOlder(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = draft.trim();
    if (!body) return;
    const { data } = await send({ variables: { roomId: id, body, clientMessageId: crypto.randomUUID() } }).catch(() => ({
      data: undefined,
    }));
    if (data) {
      setLive((ms) => [...ms, data.sendMessage]);
      setDraft('');
    }
  };

  if (room.error) return <ErrorMessage error={room.error} onRetry={() => void room.refetch()} />;
  if (!r) return room.loading ? <Skeleton rows={4} variant="bubble" /> : <Empty icon={MessagesSquare} title={t('chat.notFound')} />;
  const archived = r.status === 'ARCHIVED';
  const me = session?.user.id;
  return (
    <section className="chat">
      <PageHeader title={r.title} back="/weather" />
      <p className="muted small chat-sub">{provinceName(r.province, i18n.language)}</p>
      {r.activeAlerts.length > 0 && (
        <div className="pinned" role="note" aria-label={t('chat.pinned')}>
          <TriangleAlert aria-hidden="true" size={18} />
          <ul>
            {r.activeAlerts.map((a) => (
              <li key={a.id}>
                <strong>
                  {a.areaName} {t(`weather.kinds.${a.kind}`)} {t(`weather.${a.level}`)}
                </strong>{' '}
                <span className="muted small">{relativeTime(a.issuedAt, t, i18n.language)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {messages.length === 0 && <Empty icon={MessagesSquare} title={t('chat.empty')} text={archived ? undefined : t('chat.emptyHint')} />}
      <MessageList
        label={t('chat.log')}
        messages={messages}
        hasOlder={!!pageInfo?.hasMore}
        loadingOlder={loadingOlder}
        onLoadOlder={() => void loadOlder()}
        renderMessage={(m) => {
          const mine = !!me && m.author?.id === me;
          return (
            <div className={`bubble-row ${mine ? 'mine' : ''}`}>
              {!mine && <Avatar name={m.author?.nickname} size={28} />}
              <div className="bubble-col">
                {!mine && <span className="bubble-name">{m.author?.nickname ?? t('common.unknownUser')}</span>}
                <div className="bubble">{m.body}</div>
              </div>
              <time className="bubble-time" dateTime={m.createdAt}>
                {formatTime(m.createdAt, i18n.language)}
              </time>
            </div>
          );
        }}
      />
      <ErrorMessage error={olderError} />
      {archived ? (
        <p className="notice" role="status">
          {t('chat.archived')}
        </p>
      ) : session ? (
        <form onSubmit={(e) => void submit(e)} className="send">
          <label htmlFor="chat-input" className="sr-only">
            {t('chat.placeholder')}
          </label>
          <input
            id="chat-input"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={t('chat.placeholder')}
            maxLength={1000}
            autoComplete="off"
            enterKeyHint="send"
          />
          <button type="submit" className="send-button" aria-label={t('chat.send')} disabled={sending.loading || !draft.trim()}>
            <SendHorizontal aria-hidden="true" size={20} />
          </button>
          <ErrorMessage error={sending.error} />
        </form>
      ) : (
        <p className="notice join">
          <Link to="/login" className="primary-link">
            {t('chat.signIn')}
          </Link>
        </p>
      )}
    </section>
  );
}
