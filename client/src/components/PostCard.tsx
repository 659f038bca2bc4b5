import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { MessageCircle } from 'lucide-react';
import type { PostFieldsFragment as PostItem } from '../__generated__/graphql';
import { relativeTime } from '../lib/time';
import { VoteButtons } from './VoteButtons';

/** A feed card: the whole card opens the post; reactions work in place. */
export function PostCard({ post, signedIn }: { post: PostItem; signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const href = `/posts/${encodeURIComponent(post.id)}`;
  return (
    <li className="post-card" data-testid="post">
      <Link to={href} className="post-link">
        <h2 className="post-title">{post.title}</h2>
        <p className="post-excerpt">{post.body}</p>
        <p className="meta">
          <span className="chip">{t(`near.topics.${post.topic}`)}</span>
          {post.author?.nickname ?? t('common.unknownUser')}
          {post.distanceKm !== null && <> · {t('near.km', { km: post.distanceKm.toFixed(1) })}</>} ·{' '}
          <time dateTime={post.createdAt}>{relativeTime(post.createdAt, t, i18n.language)}</time>
        </p>
      </Link>
      <div className="reactions">
        <VoteButtons
          targetId={post.id}
          likeCount={post.likeCount}
          dislikeCount={post.dislikeCount}
          myVote={post.myVote}
          canVote={signedIn}
        />
        <Link to={`${href}#comments`} className="reaction" aria-label={t('near.comments', { count: post.commentCount })}>
          <MessageCircle aria-hidden="true" size={18} />
          <span data-testid="comment-count">{post.commentCount}</span>
        </Link>
      </div>
    </li>
  );
}
