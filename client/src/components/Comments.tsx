import { type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { AddCommentDocument, CommentsDocument } from '../__generated__/graphql';
import { ErrorMessage } from './ErrorMessage';
import { Field } from './Field';

/** Comments on a post or a resume, oldest first, with a form for signed-in readers. */
export function Comments({ targetId, canComment }: { targetId: string; canComment: boolean }) {
  const { t, i18n } = useTranslation();
  const list = useQuery(CommentsDocument, { variables: { targetId, first: 50 } });
  const [add, { loading, error }] = useMutation(AddCommentDocument);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const body = String(new FormData(form).get('body')).trim();
    const { data } = await add({ variables: { targetId, body } }).catch(() => ({ data: undefined }));
    if (data) {
      form.reset();
      await list.refetch();
    }
  };
  return (
    <div className="comments">
      <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
      <ul className="list">
        {list.data?.comments.edges.map(({ node: c }) => (
          <li key={c.id}>
            <strong>{c.author?.nickname ?? '—'}</strong>{' '}
            <span className="muted">{new Date(c.createdAt).toLocaleString(i18n.language)}</span>
            <p>{c.deleted ? '—' : c.body}</p>
          </li>
        ))}
      </ul>
      {canComment && (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Field label={t('near.comment')} name="body" required error={error} />
          <ErrorMessage error={error} />
          <button type="submit" disabled={loading}>
            {t('near.addComment')}
          </button>
        </form>
      )}
    </div>
  );
}
