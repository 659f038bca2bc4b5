import { useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import {
  AlertsAndRoomsDocument,
  WeatherAlertIssuedDocument,
  WeatherOverviewDocument,
  type AlertFieldsFragment as WeatherAlertItem,
  type RoomFieldsFragment as ChatRoomItem,
} from '../__generated__/graphql';
import { PROVINCES, provinceName } from '../lib/provinces';
import { PlacePicker, usePlace } from './NearPage';

function levelOf(alerts: WeatherAlertItem[]): 'WARNING' | 'ADVISORY' | null {
  if (alerts.some((a) => a.level === 'WARNING')) return 'WARNING';
  return alerts.length ? 'ADVISORY' : null;
}

/** One tile per 시·도 in its rough place, coloured by the highest active level. */
export function AlertTiles({ alerts }: { alerts: WeatherAlertItem[] }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="tiles" role="list" aria-label={t('weather.map')}>
      {PROVINCES.map((p) => {
        const here = alerts.filter((a) => a.province === p.code && !a.cancelled);
        const level = levelOf(here);
        const label = `${provinceName(p.code, i18n.language)}${level ? `: ${here.map((a) => `${t(`weather.kinds.${a.kind}`, { defaultValue: a.kind })} ${t(`weather.${a.level}`)}`).join(', ')}` : ''}`;
        return (
          <div
            key={p.code}
            role="listitem"
            className={`tile ${level ?? ''}`}
            style={{ gridColumn: p.col, gridRow: p.row }}
            title={label}
            aria-label={label}
            data-province={p.code}
            data-level={level ?? 'NONE'}
          >
            {provinceName(p.code, i18n.language)}
          </div>
        );
      })}
    </div>
  );
}

function RoomList({ rooms }: { rooms: ChatRoomItem[] }) {
  const { i18n } = useTranslation();
  return (
    <ul className="list">
      {rooms.map((r) => (
        <li key={r.id}>
          <Link to={`/weather/rooms/${encodeURIComponent(r.id)}`}>{r.title}</Link>{' '}
          <span className="muted">
            {provinceName(r.province, i18n.language)} · {new Date(r.openedAt).toLocaleString(i18n.language)}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function WeatherPage() {
  const { t, i18n } = useTranslation();
  const placeState = usePlace();
  const { place } = placeState;
  const now = useQuery(WeatherOverviewDocument, {
    variables: { latitude: place?.latitude ?? 0, longitude: place?.longitude ?? 0 },
    skip: !place,
  });
  const overview = useQuery(AlertsAndRoomsDocument);
  useSubscription(WeatherAlertIssuedDocument, { onData: () => void overview.refetch() });
  const w = now.data?.currentWeather;
  const alerts = overview.data?.weatherAlerts ?? [];
  return (
    <>
      <section className="card">
        <h1>{t('weather.now')}</h1>
        <PlacePicker state={placeState} />
        <ErrorMessage error={now.error} onRetry={() => void now.refetch()} />
        {w && (
          <dl className="facts" data-testid="current-weather">
            <dt>{t('weather.temperature')}</dt>
            <dd>{w.temperatureC ?? '—'} °C</dd>
            <dt>{t('weather.humidity')}</dt>
            <dd>{w.humidityPct ?? '—'} %</dd>
            <dt>{t('weather.rain')}</dt>
            <dd>{w.precipitationMm1h ?? 0} mm</dd>
            <dt>{t('weather.wind')}</dt>
            <dd>
              {w.windSpeedMs ?? '—'} m/s {w.windDirectionDeg !== null ? `(${w.windDirectionDeg}°)` : ''}
            </dd>
            <dd className="muted">{t('weather.observedAt', { time: new Date(w.observedAt).toLocaleString(i18n.language) })}</dd>
          </dl>
        )}
      </section>
      <section className="card">
        <h2>{t('weather.alerts')}</h2>
        <ErrorMessage error={overview.error} onRetry={() => void overview.refetch()} />
        <AlertTiles alerts={alerts} />
        {overview.data && !alerts.length && <p className="muted">{t('weather.noAlerts')}</p>}
        <h2>{t('chat.rooms')}</h2>
        {overview.data && (overview.data.open.length ? <RoomList rooms={overview.data.open} /> : <p className="muted">{t('chat.none')}</p>)}
        {!!overview.data?.archived.length && (
          <details>
            <summary>{t('chat.archivedRooms')}</summary>
            <RoomList rooms={overview.data.archived} />
          </details>
        )}
      </section>
    </>
  );
}
