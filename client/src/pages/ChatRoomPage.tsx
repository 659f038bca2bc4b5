import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import { MessageList } from '../components/MessageList';
import {
  ChatMessageAddedDocument,
  ChatRoomDocument,
  SendMessageDocument,
  type MessageFieldsFragment as ChatMessageItem,
} from '../__generated__/graphql';
import { useSession } from '../lib/api-context';
import { provinceName } from '../lib/provinces';

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
  if (!r) return <p>{room.loading ? t('common.loading') : t('errors.NOT_FOUND')}</p>;
  const archived = r.status === 'ARCHIVED';
  return (
    <section className="card chat">
      <header>
        <h1>{r.title}</h1>
        <p className="muted">{provinceName(r.province, i18n.language)}</p>
        {r.activeAlerts.length > 0 && (
          <div className="pinned" role="note" aria-label={t('chat.pinned')}>
            <strong>{t('chat.pinned')}</strong>
            <ul>
              {r.activeAlerts.map((a) => (
                <li key={a.id}>
                  {a.areaName} {t(`weather.kinds.${a.kind}`, { defaultValue: a.kind })} {t(`weather.${a.level}`)} ·{' '}
                  {new Date(a.issuedAt).toLocaleString(i18n.language)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </header>
      <MessageList
        label={t('chat.log')}
        messages={messages}
        hasOlder={!!pageInfo?.hasMore}
        loadingOlder={loadingOlder}
        onLoadOlder={() => void loadOlder()}
        renderMessage={(m) => (
          <div className={`message ${m.author?.id === session?.user.id ? 'mine' : ''}`}>
            <strong>{m.author?.nickname ?? '—'}</strong>{' '}
            <span className="muted">{new Date(m.createdAt).toLocaleTimeString(i18n.language)}</span>
            <div>{m.body}</div>
          </div>
        )}
      />
      <ErrorMessage error={olderError} />
      {archived ? (
        <p className="muted" role="status">
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
          />
          <button type="submit" disabled={sending.loading || !draft.trim()}>
            {t('chat.send')}
          </button>
          <ErrorMessage error={sending.error} />
        </form>
      ) : null}
    </section>
  );
}
