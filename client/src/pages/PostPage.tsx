import { useCallback, useState } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { FileQuestion, Share2 } from 'lucide-react';
import { PostDocument } from '../__generated__/graphql';
import { Comments } from '../components/Comments';
import { ErrorMessage } from '../components/ErrorMessage';
import { VoteButtons } from '../components/VoteButtons';
import { Avatar, Empty, PageHeader, Skeleton } from '../components/ui';
import { useSession } from '../lib/api-context';
import { formatDateTime, relativeTime } from '../lib/time';

function ShareButton({ title }: { title: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const share = async () => {
    const url = window.location.href;
    if (navigator.share) {
      await navigator.share({ title, url }).catch(() => undefined);
      return;
    }
    await navigator.clipboard?.writeText(url).catch(() => undefined);
    setCopied(true);
  };
  return (
    <>
      <button type="button" className="icon-button" aria-label={t('post.share')} onClick={() => void share()}>
        <Share2 aria-hidden="true" size={20} />
      </button>
      {copied && (
        <span role="status" className="toast">
          {t('post.copied')}
        </span>
      )}
    </>
  );
}

export function PostPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const session = useSession();
  const detail = useQuery(PostDocument, { variables: { id } });
  const [liveCount, setLiveCount] = useState<number | null>(null);
  const client = useApolloClient();
  // The count the comments show is the truth: the feed's card (same Post in the cache) follows it.
  const onCount = useCallback(
    (n: number) => {
      setLiveCount(n);
      client.cache.modify({ id: client.cache.identify({ __typename: 'Post', id }), fields: { commentCount: () => n } });
    },
    [client, id],
  );
  const post = detail.data?.post;
  if (detail.error) return <ErrorMessage error={detail.error} onRetry={() => void detail.refetch()} />;
  if (!post) {
    return detail.loading ? <Skeleton rows={1} /> : <Empty icon={FileQuestion} title={t('post.notFound')} />;
  }
  const count = liveCount ?? post.commentCount;
  return (
    <article className="post-page">
      <PageHeader title={post.title} back="/">
        <ShareButton title={post.title} />
      </PageHeader>
      <p className="meta author-line">
        <Avatar name={post.author?.nickname} size={32} />
        <strong>{post.author?.nickname ?? t('common.unknownUser')}</strong>
        <span className="chip">{t(`near.topics.${post.topic}`)}</span>
        <time dateTime={post.createdAt} title={formatDateTime(post.createdAt, i18n.language)}>
          {relativeTime(post.createdAt, t, i18n.language)}
        </time>
        <span>· {t('post.views', { count: post.viewCount })}</span>
      </p>
      <p className="post-body">{post.body}</p>
      <div className="reactions">
        <VoteButtons
          targetId={post.id}
          likeCount={post.likeCount}
          dislikeCount={post.dislikeCount}
          myVote={post.myVote}
          canVote={!!session}
        />
      </div>
      <section id="comments">
        <h2 id="comments-heading">{t('near.comments', { count })}</h2>
        <Comments targetId={post.id} canComment={!!session} onCount={onCount} />
      </section>
    </article>
  );
}
