import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LeaderboardDocument, MissionsDocument, type MissionStatus, type MissionSummaryFragment } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { useSession } from '../lib/api-context';

export function MissionMeta({ m }: { m: MissionSummaryFragment }) {
  const { t, i18n } = useTranslation();
  const fmt = (d: string) => new Date(d).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <p className="muted">
      {t(`missions.${m.status}`)} · {t(`missions.kinds.${m.verification.kind}`)} · {t('missions.reward', { points: m.rewardPoints })} ·{' '}
      <span data-testid="remaining">
        {m.remainingSlots === null ? t('missions.unlimited') : t('missions.slots', { count: m.remainingSlots })}
      </span>{' '}
      · {t('missions.period', { from: fmt(m.startsAt), to: fmt(m.endsAt) })}
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
      <section className="card">
        <h1>{t('missions.title')}</h1>
        {session?.user.role === 'ADMIN' && (
          <p className="tabs">
            <Link to="/missions/new">{t('missions.create')}</Link>
            <Link to="/missions/review">{t('missions.review')}</Link>
          </p>
        )}
        <div className="tabs" role="group">
          {(['OPEN', 'UPCOMING', 'CLOSED', null] as const).map((s) => (
            <button key={s ?? 'all'} type="button" className="secondary" aria-pressed={status === s} onClick={() => setStatus(s)}>
              {t(s ? `missions.${s}` : 'missions.all')}
            </button>
          ))}
        </div>
        <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
        {page && !page.edges.length && <p className="muted">{t('missions.none')}</p>}
        <ul className="list">
          {page?.edges.map(({ node: m }) => (
            <li key={m.id} className="post">
              <h3>
                <Link to={`/missions/${encodeURIComponent(m.id)}`}>{m.title}</Link>
              </h3>
              <MissionMeta m={m} />
            </li>
          ))}
        </ul>
        {page?.pageInfo.hasNextPage && (
          <button
            type="button"
            className="secondary"
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
      </section>
      <section className="card">
        <h2>{t('missions.leaderboard')}</h2>
        <ErrorMessage error={board.error} onRetry={() => void board.refetch()} />
        <ol className="list" data-testid="leaderboard">
          {board.data?.leaderboard.map((e) => (
            <li key={e.user.id}>
              {t('missions.rank', { rank: e.rank })} <strong>{e.user.nickname}</strong> {t('missions.points', { points: e.points })}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
