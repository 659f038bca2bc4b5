import { useEffect, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { MessageCircle } from 'lucide-react';
import { AddCommentDocument, CommentsDocument } from '../__generated__/graphql';
import { relativeTime } from '../lib/time';
import { useRefetchOnFocus } from '../lib/use-refetch-on-focus';
import { useFormErrors } from '../lib/use-form';
import { FORMS } from '../lib/validate';
import { ErrorMessage } from './ErrorMessage';
import { Field } from './Field';
import { Avatar, Empty, Skeleton } from './ui';

/** How often others' comments are looked for while the page is open (the API has no comment subscription yet). */
const POLL_MS = 5000;

/**
 * Comments on a post or a resume, oldest first, kept fresh while open: polled every few seconds and refetched when
 * the reader comes back to the tab. `onCount` reports the number shown, so the heading follows without a reload.
 */
export function Comments({ targetId, canComment, onCount }: { targetId: string; canComment: boolean; onCount?: (n: number) => void }) {
  const { t, i18n } = useTranslation();
  const list = useQuery(CommentsDocument, { variables: { targetId, first: 100 }, pollInterval: POLL_MS });
  const [add, { loading, error, reset }] = useMutation(AddCommentDocument);
  const form = useFormErrors(FORMS.comment, error);
  useRefetchOnFocus(() => list.refetch());
  const items = list.data?.comments.edges.map((e) => e.node) ?? [];
  const shown = items.filter((c) => !c.deleted).length;
  useEffect(() => {
    if (list.data && !list.data.comments.pageInfo.hasNextPage) onCount?.(shown);
  }, [list.data, shown, onCount]);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const el = e.currentTarget;
    const body = String(new FormData(el).get('body') ?? '');
    reset();
    if (!form.validate({ body })) return;
    const { data } = await add({ variables: { targetId, body: body.trim() } }).catch(() => ({ data: undefined }));
    if (data) {
      el.reset();
      await list.refetch();
    }
  };
  return (
    <div className="comments">
      <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
      {!list.data && !list.error && <Skeleton rows={2} variant="line" />}
      {list.data && items.length === 0 && <Empty icon={MessageCircle} title={t('comments.empty')} />}
      <ul className="comment-list" aria-live="polite">
        {items.map((c) => (
          <li key={c.id} className="comment">
            <Avatar name={c.author?.nickname} size={28} />
            <div>
              <p className="meta">
                <strong>{c.author?.nickname ?? t('common.unknownUser')}</strong> ·{' '}
                <time dateTime={c.createdAt}>{relativeTime(c.createdAt, t, i18n.language)}</time>
              </p>
              <p className="comment-body">{c.deleted ? <span className="muted">{t('comments.deleted')}</span> : c.body}</p>
            </div>
          </li>
        ))}
      </ul>
      {canComment ? (
        <form onSubmit={(e) => void submit(e)} noValidate className="comment-form">
          <Field label={t('comments.label')} name="body" multiline rows={2} maxLength={2000} messages={form.messages('body')} />
          <ErrorMessage error={error} shownFields={['body']} />
          <button type="submit" className="primary" disabled={loading}>
            {t('comments.add')}
          </button>
        </form>
      ) : (
        <p className="notice">
          <Link to="/login">{t('comments.signIn')}</Link>
        </p>
      )}
    </div>
  );
}
