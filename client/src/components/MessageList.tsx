import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ListMessage {
  id: string;
}

/**
 * A chat log, oldest at the top. Scrolling to the top (or the button, for keyboards) loads older messages without
 * moving what the reader is looking at; new messages scroll into view only when the reader is already at the
 * bottom, otherwise a "new messages" button appears.
 */
export function MessageList<M extends ListMessage>({
  messages,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  renderMessage,
  label,
}: {
  messages: M[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  renderMessage: (m: M) => ReactNode;
  label: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLOListElement>(null);
  const before = useRef({
    firstId: undefined as string | undefined,
    lastId: undefined as string | undefined,
    scrollHeight: 0,
    atBottom: true,
  });
  const [unseen, setUnseen] = useState(0);

  const atBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight < 40;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const prev = before.current;
    const firstId = messages[0]?.id;
    const lastId = messages.at(-1)?.id;
    if (prev.lastId === undefined) {
      el.scrollTop = el.scrollHeight; // first page: start at the newest
    } else if (firstId !== prev.firstId && lastId === prev.lastId) {
      el.scrollTop += el.scrollHeight - prev.scrollHeight; // older page prepended: keep the view still
    } else if (lastId !== prev.lastId) {
      if (prev.atBottom) el.scrollTop = el.scrollHeight;
      else setUnseen((n) => n + 1);
    }
    before.current = { firstId, lastId, scrollHeight: el.scrollHeight, atBottom: atBottom(el) };
  }, [messages]);

  const onScroll = () => {
    const el = ref.current!;
    before.current.atBottom = atBottom(el);
    before.current.scrollHeight = el.scrollHeight;
    if (before.current.atBottom && unseen) setUnseen(0);
    if (el.scrollTop < 40 && hasOlder && !loadingOlder) onLoadOlder();
  };

  const toBottom = () => {
    const el = ref.current!;
    el.scrollTop = el.scrollHeight;
    before.current.atBottom = true;
    setUnseen(0);
  };

  return (
    <div className="message-log">
      {hasOlder && (
        <button type="button" className="link" onClick={onLoadOlder} disabled={loadingOlder}>
          {loadingOlder ? t('common.loading') : t('chat.older')}
        </button>
      )}
      <ol className="messages" ref={ref} onScroll={onScroll} aria-label={label} aria-live="polite" tabIndex={0} data-testid="messages">
        {messages.map((m) => (
          <li key={m.id}>{renderMessage(m)}</li>
        ))}
      </ol>
      {unseen > 0 && (
        <button type="button" className="secondary new-messages" onClick={toBottom}>
          {t('chat.newMessages', { count: unseen })}
        </button>
      )}
    </div>
  );
}
