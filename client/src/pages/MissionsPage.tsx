import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CircleCheck, Flag, Trophy } from 'lucide-react';
import { LeaderboardDocument, MissionsDocument, type MissionStatus, type MissionSummaryFragment } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Avatar, Empty, PageHeader, Skeleton } from '../components/ui';
import { useSession } from '../lib/api-context';
import { formatDate, formatDateTime } from '../lib/time';

export function MissionMeta({ m }: { m: MissionSummaryFragment }) {
  const { t, i18n } = useTranslation();
  return (
    <p className="meta">
      <span className={`chip status-${m.status}`}>{t(`missions.${m.status}`)}</span>
      <span>{t(`missions.kinds.${m.verification.kind}`)}</span> · <strong>{t('missions.reward', { points: m.rewardPoints })}</strong> ·{' '}
      <span data-testid="remaining">
        {m.remainingSlots === null ? t('missions.unlimited') : t('missions.slots', { count: m.remainingSlots })}
      </span>{' '}
      ·{' '}
      <span>
        {m.status === 'UPCOMING'
          ? t('missions.startsOn', { time: formatDateTime(m.startsAt, i18n.language) })
          : t('missions.until', { time: formatDate(m.endsAt, i18n.language) })}
      </span>
    </p>
  );
}

export function MissionsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [status, setStatus] = useState<MissionStatus | null>('OPEN');
  const list = useQuery(MissionsDocument, { variables: { status, first: 20 } });
  const board = useQuery(LeaderboardDocument, { variables: { first: 10 } });
  const page = list.data?.missions;
  return (
    <>
      <PageHeader title={t('missions.title')}>
        {session?.user.role === 'ADMIN' && (
          <>
            <Link to="/missions/new" className="pill">
              {t('missions.create')}
            </Link>
            <Link to="/missions/review" className="pill">
              {t('missions.review')}
            </Link>
          </>
        )}
      </PageHeader>
      <div className="segmented" role="group" aria-label={t('missions.filter')}>
        {(['OPEN', 'UPCOMING', 'CLOSED', null] as const).map((s) => (
          <button key={s ?? 'all'} type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>
            {t(s ? `missions.${s}` : 'missions.all')}
          </button>
        ))}
      </div>
      <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
      {!page && !list.error && <Skeleton rows={3} />}
      {page && !page.edges.length && <Empty icon={Flag} title={t('missions.none')} text={t('missions.noneHint')} />}
      <ul className="cards">
        {page?.edges.map(({ node: m }) => {
          const done = m.mySubmission?.status === 'APPROVED';
          return (
            <li key={m.id} className={`mission-card ${done ? 'done' : ''}`}>
              <Link to={`/missions/${encodeURIComponent(m.id)}`}>
                <h2 className="post-title">
                  {done && <CircleCheck aria-hidden="true" size={18} className="ok-icon" />}
                  {m.title}
                  {done && <span className="chip ok">{t('missions.done')}</span>}
                  {m.mySubmission?.status === 'PENDING_REVIEW' && <span className="chip">{t('missions.pending')}</span>}
                </h2>
                <MissionMeta m={m} />
              </Link>
            </li>
          );
        })}
      </ul>
      {page?.pageInfo.hasNextPage && (
        <button
          type="button"
          className="secondary wide"
          onClick={() =>
            void list.fetchMore({
              variables: { after: page.pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) => ({
                missions: { ...fetchMoreResult.missions, edges: [...prev.missions.edges, ...fetchMoreResult.missions.edges] },
              }),
            })
          }
        >
          {t('common.more')}
        </button>
      )}
      <section className="card" aria-labelledby="board-heading">
        <h2 id="board-heading">
          <Trophy aria-hidden="true" size={18} /> {t('missions.leaderboard')}
        </h2>
        <ErrorMessage error={board.error} onRetry={() => void board.refetch()} />
        {!board.data && !board.error && <Skeleton rows={3} variant="line" />}
        {board.data && !board.data.leaderboard.length && (
          <Empty icon={Trophy} title={t('missions.boardEmpty')} text={t('missions.boardEmptyHint')} />
        )}
        <ol className="board" data-testid="leaderboard">
          {board.data?.leaderboard.map((e) => (
            <li key={e.user.id}>
              <span className="rank">{t('missions.rank', { rank: e.rank })}</span>
              <Avatar name={e.user.nickname} size={26} />
              <strong>{e.user.nickname}</strong>
              <span className="points">{t('missions.points', { points: e.points })}</span>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
