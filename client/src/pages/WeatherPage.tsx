import { useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  ArrowUp,
  Cloud,
  CloudDrizzle,
  CloudRain,
  CloudSnow,
  Droplets,
  MessagesSquare,
  ShieldCheck,
  Sun,
  Umbrella,
  Wind,
} from 'lucide-react';
import {
  AlertsAndRoomsDocument,
  WeatherAlertIssuedDocument,
  WeatherOverviewDocument,
  type AlertFieldsFragment as WeatherAlertItem,
  type PrecipitationType,
  type Province,
  type RoomFieldsFragment as ChatRoomItem,
  type WeatherOverviewQuery,
} from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { PlacePicker } from '../components/PlacePicker';
import { Empty, Skeleton } from '../components/ui';
import { usePlace } from '../lib/place';
import { PROVINCES, provinceName } from '../lib/provinces';
import { formatDateTime, formatTime, relativeTime } from '../lib/time';

type Level = 'WARNING' | 'ADVISORY';

function strongest(alerts: WeatherAlertItem[]): Level | null {
  if (alerts.some((a) => a.level === 'WARNING')) return 'WARNING';
  return alerts.length ? 'ADVISORY' : null;
}

function WeatherIcon({ type, size }: { type: PrecipitationType; size: number }) {
  const Icon =
    {
      NONE: Sun,
      RAIN: CloudRain,
      DRIZZLE: CloudDrizzle,
      RAIN_SNOW: CloudSnow,
      SNOW: CloudSnow,
      SNOW_FLURRY: CloudSnow,
      DRIZZLE_SNOW: CloudDrizzle,
    }[type] ?? Cloud;
  return <Icon aria-hidden="true" size={size} strokeWidth={1.5} />;
}

function CurrentWeather({ w }: { w: WeatherOverviewQuery['currentWeather'] }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="now" data-testid="current-weather">
      <div className="now-main">
        <WeatherIcon type={w.precipitationType} size={56} />
        <p className="temp">
          {w.temperatureC === null ? '—' : Math.round(w.temperatureC)}
          <span className="unit">°C</span>
        </p>
        <p className="sky">{t(`weather.sky.${w.precipitationType}`)}</p>
      </div>
      <dl className="now-facts">
        <div>
          <dt>
            <Umbrella aria-hidden="true" size={16} /> {t('weather.rain')}
          </dt>
          <dd>{t('weather.mm', { value: w.precipitationMm1h ?? 0 })}</dd>
        </div>
        <div>
          <dt>
            <Wind aria-hidden="true" size={16} /> {t('weather.wind')}
          </dt>
          <dd>
            {w.windSpeedMs === null ? '—' : t('weather.ms', { value: w.windSpeedMs })}
            {w.windDirectionDeg !== null && (
              <ArrowUp
                aria-hidden="true"
                size={14}
                style={{ transform: `rotate(${w.windDirectionDeg + 180}deg)` }}
                className="wind-arrow"
              />
            )}
          </dd>
        </div>
        <div>
          <dt>
            <Droplets aria-hidden="true" size={16} /> {t('weather.humidity')}
          </dt>
          <dd>{w.humidityPct === null ? '—' : `${Math.round(w.humidityPct)}%`}</dd>
        </div>
      </dl>
      <p className="muted small">
        {t('weather.observedAt', { time: formatTime(w.observedAt, i18n.language) })}
        {w.stale && <span className="chip warn">{t('weather.stale')}</span>}
      </p>
    </div>
  );
}

/** One tile per 시·도 in its rough place, coloured by the strongest active warning; a province with a room links to it. */
export function AlertTiles({ alerts, rooms }: { alerts: WeatherAlertItem[]; rooms: ChatRoomItem[] }) {
  const { t, i18n } = useTranslation();
  const roomOf = (p: Province) => rooms.find((r) => r.province === p);
  return (
    <ul className="tiles" aria-label={t('weather.map')}>
      {PROVINCES.map((p) => {
        const here = alerts.filter((a) => a.province === p.code && !a.cancelled);
        const level = strongest(here);
        const room = roomOf(p.code);
        const name = provinceName(p.code, i18n.language);
        const state = level ? t(`weather.${level}`) : room ? t('weather.roomOpen') : '';
        // Visible words first, details for screen readers after them (a link's name starts with what it shows).
        const details = level
          ? [...new Set(here.map((a) => `${t(`weather.kinds.${a.kind}`)} ${t(`weather.${a.level}`)}`))].join(', ')
          : t('weather.calm');
        const body = (
          <>
            <span className="tile-name">{name}</span>
            {state && <span className="tile-state">{state}</span>}
            <span className="sr-only"> ({details})</span>
          </>
        );
        return (
          <li
            key={p.code}
            className={`tile ${level ?? (room ? 'ROOM' : '')}`}
            style={{ gridColumn: p.col, gridRow: p.row }}
            data-province={p.code}
            data-level={level ?? 'NONE'}
          >
            {room ? <Link to={`/weather/rooms/${encodeURIComponent(room.id)}`}>{body}</Link> : <span>{body}</span>}
          </li>
        );
      })}
    </ul>
  );
}

function RoomList({ rooms, alerts }: { rooms: ChatRoomItem[]; alerts: WeatherAlertItem[] }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="rooms">
      {rooms.map((r) => {
        const here = alerts.filter((a) => a.province === r.province && !a.cancelled);
        const level = strongest(here);
        return (
          <li key={r.id}>
            <Link to={`/weather/rooms/${encodeURIComponent(r.id)}`} className={`room-card ${level ?? ''}`}>
              <MessagesSquare aria-hidden="true" size={22} />
              <span className="room-text">
                <strong>{r.title}</strong>
                <span className="muted small">
                  {here.length
                    ? [...new Set(here.map((a) => `${t(`weather.kinds.${a.kind}`)} ${t(`weather.${a.level}`)}`))].join(', ')
                    : r.status === 'OPEN'
                      ? t('weather.lifted')
                      : t('chat.archivedAt', { time: formatDateTime(r.archivedAt ?? r.openedAt, i18n.language) })}{' '}
                  · {relativeTime(r.openedAt, t, i18n.language)}
                </span>
              </span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

export function WeatherPage() {
  const { t } = useTranslation();
  const placeState = usePlace();
  const { place } = placeState;
  const now = useQuery(WeatherOverviewDocument, {
    variables: { latitude: place.latitude, longitude: place.longitude },
    skip: !placeState.ready,
  });
  const overview = useQuery(AlertsAndRoomsDocument);
  useSubscription(WeatherAlertIssuedDocument, { onData: () => void overview.refetch() });
  const w = now.data?.currentWeather;
  const alerts = (overview.data?.weatherAlerts ?? []).filter((a) => !a.cancelled);
  const open = overview.data?.open ?? [];
  return (
    <>
      <div className="page-header feed-header">
        <h1>{t('weather.title')}</h1>
        <PlacePicker state={placeState} />
      </div>
      <section className="card" aria-labelledby="now-heading">
        <h2 id="now-heading" className="sr-only">
          {t('weather.now')}
        </h2>
        <ErrorMessage error={now.error} onRetry={() => void now.refetch()} feature="weather" />
        {!w && !now.error && <Skeleton rows={1} />}
        {w && <CurrentWeather w={w} />}
      </section>
      <section className="card" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">{t('weather.alerts')}</h2>
        <ErrorMessage error={overview.error} onRetry={() => void overview.refetch()} />
        {!overview.data && !overview.error && <Skeleton rows={1} variant="line" />}
        {overview.data && (
          <>
            <AlertTiles alerts={alerts} rooms={open} />
            <p className="legend muted small">
              <span className="dot WARNING" /> {t('weather.WARNING')} <span className="dot ADVISORY" /> {t('weather.ADVISORY')}{' '}
              <span className="dot ROOM" /> {t('weather.roomOpen')}
            </p>
            {!alerts.length && (
              <p className="muted" role="status">
                <ShieldCheck aria-hidden="true" size={16} /> {open.length ? t('weather.noAlertsRoomsOpen') : t('weather.noAlerts')}
              </p>
            )}
          </>
        )}
      </section>
      <section className="card" aria-labelledby="rooms-heading">
        <h2 id="rooms-heading">{t('chat.rooms')}</h2>
        {overview.data &&
          (open.length ? (
            <RoomList rooms={open} alerts={alerts} />
          ) : (
            <Empty icon={MessagesSquare} title={t('chat.none')} text={t('chat.noneHint')} />
          ))}
        {!!overview.data?.archived.length && (
          <details>
            <summary>{t('chat.archivedRooms', { count: overview.data.archived.length })}</summary>
            <RoomList rooms={overview.data.archived} alerts={[]} />
          </details>
        )}
      </section>
    </>
  );
}
