import { useEffect, useState } from 'react';
import { useMutation, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { ThumbsDown, ThumbsUp } from 'lucide-react';
import { VoteCountsChangedDocument, VoteDocument, type VoteValue } from '../__generated__/graphql';
import { ErrorMessage } from './ErrorMessage';

/** Like/dislike with counts that follow everyone's votes live (voteCountsChanged). */
export function VoteButtons({
  targetId,
  likeCount,
  dislikeCount,
  myVote,
  canVote,
}: {
  targetId: string;
  likeCount: number;
  dislikeCount: number;
  myVote: VoteValue | null;
  canVote: boolean;
}) {
  const { t } = useTranslation();
  const [counts, setCounts] = useState({ likeCount, dislikeCount });
  const [mine, setMine] = useState<VoteValue>(myVote ?? 'NONE');
  useEffect(() => setCounts({ likeCount, dislikeCount }), [likeCount, dislikeCount]);
  useEffect(() => setMine(myVote ?? 'NONE'), [myVote]);
  useSubscription(VoteCountsChangedDocument, {
    variables: { targetId },
    onData: ({ data }) => {
      const e = data.data?.voteCountsChanged;
      if (e && e.targetId === targetId) setCounts({ likeCount: e.likeCount, dislikeCount: e.dislikeCount });
    },
  });
  const [vote, { loading, error }] = useMutation(VoteDocument);
  const cast = async (value: 'LIKE' | 'DISLIKE') => {
    const next: VoteValue = mine === value ? 'NONE' : value;
    const { data } = await vote({ variables: { targetId, value: next } }).catch(() => ({ data: undefined }));
    if (data) {
      setCounts({ likeCount: data.vote.likeCount, dislikeCount: data.vote.dislikeCount });
      setMine(data.vote.myVote ?? 'NONE');
    }
  };
  return (
    <>
      <button
        type="button"
        className="reaction"
        aria-pressed={mine === 'LIKE'}
        disabled={!canVote || loading}
        onClick={() => void cast('LIKE')}
        aria-label={t('vote.like', { count: counts.likeCount })}
        title={canVote ? undefined : t('vote.signIn')}
      >
        <ThumbsUp aria-hidden="true" size={18} /> <span data-testid="like-count">{counts.likeCount}</span>
      </button>
      <button
        type="button"
        className="reaction"
        aria-pressed={mine === 'DISLIKE'}
        disabled={!canVote || loading}
        onClick={() => void cast('DISLIKE')}
        aria-label={t('vote.dislike', { count: counts.dislikeCount })}
        title={canVote ? undefined : t('vote.signIn')}
      >
        <ThumbsDown aria-hidden="true" size={18} /> <span data-testid="dislike-count">{counts.dislikeCount}</span>
      </button>
      <ErrorMessage error={error} />
    </>
  );
}
