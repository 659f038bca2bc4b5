import { badInput, unavailable } from '../../app/errors.js';
import type { Infra } from '../../app/infra.js';
import { KmaError, type KmaObservationRow, type KmaSource } from './kma.client.js';
import { fromKmaTime, GRID_NX_MAX, GRID_NY_MAX, toGrid, ultraNcstBase } from './kma.grid.js';
import { PrecipitationType, WeatherObservation } from './weather.types.js';
import type { WeatherStore } from './weather.store.js';

const PTY: Record<string, PrecipitationType> = {
  '0': PrecipitationType.NONE,
  '1': PrecipitationType.RAIN,
  '2': PrecipitationType.RAIN_SNOW,
  '3': PrecipitationType.SNOW,
  '4': PrecipitationType.RAIN,
  '5': PrecipitationType.DRIZZLE,
  '6': PrecipitationType.DRIZZLE_SNOW,
  '7': PrecipitationType.SNOW_FLURRY,
};

/** ≥ +900 / ≤ −900 are KMA's "missing". */
const value = (v: string | undefined): number | null => {
  if (v === undefined || v === null || v.trim() === '' || v.trim() === '-') return null;
  const n = Number(v);
  return !Number.isFinite(n) || n >= 900 || n <= -900 ? null : n;
};

/** RN1 in observations is numeric mm; tolerate the forecast-style strings too ("강수없음", "1mm 미만", "6.2mm"). */
const rainfall = (v: string | undefined): number | null => {
  if (v === undefined) return null;
  const s = v.trim();
  if (s === '강수없음' || s === '-' || s === '') return 0;
  const m = /^([\d.]+)/.exec(s);
  if (!m) return null;
  if (/미만/.test(s)) return 0.5;
  return value(m[1]);
};

interface CachedObservation {
  fetchedAt: number;
  obs: Omit<WeatherObservation, 'observedAt' | 'stale'> & { observedAt: string };
}

const FRESH_MS = 10 * 60_000;
/** How old an observation may be to be served when KMA is down. */
const STALE_MAX_MS = 3 * 3600_000;

export function decodeObservation(rows: KmaObservationRow[], nx: number, ny: number, fallbackAt: Date): WeatherObservation {
  const get = (c: string) => rows.find((r) => r.category === c)?.obsrValue;
  const first = rows[0];
  const at = first ? fromKmaTime(`${first.baseDate}${first.baseTime}`) : null;
  const rain = rainfall(get('RN1'));
  const o = new WeatherObservation();
  o.observedAt = at ?? fallbackAt;
  o.temperatureC = value(get('T1H'));
  o.humidityPct = value(get('REH'));
  o.precipitationMm1h = rain;
  o.rainfallMm = rain;
  o.precipitationType = PTY[String(value(get('PTY')) ?? 0)] ?? PrecipitationType.NONE;
  o.windSpeedMs = value(get('WSD'));
  o.windDirectionDeg = value(get('VEC'));
  o.gridX = nx;
  o.gridY = ny;
  o.stale = false;
  return o;
}

/**
 * Current weather at a point (getUltraSrtNcst), cached per grid cell in Redis for 10 minutes. When KMA fails, the
 * last observation of the cell (up to 3 hours old) is served with `stale: true`; without one, SERVICE_UNAVAILABLE.
 * The missions module calls `observe` for WEATHER verification (it satisfies its WeatherObserver interface).
 */
export class CurrentWeatherService {
  constructor(
    private readonly infra: Pick<Infra, 'logger'>,
    private readonly store: WeatherStore,
    private readonly client: KmaSource | null,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async observe(latitude: number, longitude: number): Promise<WeatherObservation> {
    if (
      !Number.isFinite(latitude) ||
      !Number.isFinite(longitude) ||
      latitude < -90 ||
      latitude > 90 ||
      longitude < -180 ||
      longitude > 180
    ) {
      throw badInput({ latitude: ['must be a valid coordinate'] });
    }
    const { nx, ny } = toGrid(latitude, longitude);
    if (nx < 1 || ny < 1 || nx > GRID_NX_MAX || ny > GRID_NY_MAX) {
      throw badInput({ latitude: ['is outside the KMA grid (Korea)'], longitude: ['is outside the KMA grid (Korea)'] });
    }
    const now = this.clock();
    const cached = await this.store.cachedObservation<CachedObservation>(nx, ny);
    if (cached && Date.now() - cached.fetchedAt < FRESH_MS) return this.revive(cached, false);
    if (!this.client) {
      if (cached) return this.revive(cached, true);
      throw unavailable('Weather observations are not configured.');
    }
    try {
      let rows = await this.client.observations(...this.base(now, 0), nx, ny);
      // The newest run may be late: fall back one hour on NO_DATA.
      if (rows.length === 0) rows = await this.client.observations(...this.base(now, 1), nx, ny);
      if (rows.length === 0) throw new KmaError('SERVICE', 'KMA has no observation for this cell', '03');
      const obs = Object.assign(decodeObservation(rows, nx, ny, ultraNcstBase(now).at), { demo: !!this.client.demo });
      const entry: CachedObservation = { fetchedAt: Date.now(), obs: { ...obs, observedAt: obs.observedAt.toISOString() } };
      await this.store.cacheObservation(nx, ny, entry, STALE_MAX_MS);
      return obs;
    } catch (err) {
      if (!(err instanceof KmaError)) throw err;
      this.infra.logger.warn({ err: err.message, kind: err.kind, nx, ny }, 'KMA observation failed');
      if (cached && now.getTime() - Date.parse(cached.obs.observedAt) < STALE_MAX_MS + 3600_000) return this.revive(cached, true);
      throw unavailable('The weather service is not reachable; try again later.', err);
    }
  }

  private base(now: Date, hoursBack: number): [string, string] {
    const b = ultraNcstBase(now, hoursBack);
    return [b.baseDate, b.baseTime];
  }

  private revive(c: CachedObservation, stale: boolean): WeatherObservation {
    return Object.assign(new WeatherObservation(), c.obs, { observedAt: new Date(c.obs.observedAt), stale });
  }
}
