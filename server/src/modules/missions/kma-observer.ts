import { unavailable } from '../../app/errors.js';
import type { PrecipitationType, WeatherObservation, WeatherObserver } from './weather-observer.js';

const PTY: Record<string, PrecipitationType> = {
  '0': 'NONE',
  '1': 'RAIN',
  '2': 'RAIN_SNOW',
  '3': 'SNOW',
  '4': 'RAIN', // 소나기 (short-range forecasts only)
  '5': 'DRIZZLE',
  '6': 'DRIZZLE_SNOW',
  '7': 'SNOW_FLURRY',
};

// KMA Lambert conformal conic grid (reference/kma.md §5).
const RE = 6371.00877, GRID = 5.0, SLAT1 = 30.0, SLAT2 = 60.0, OLON = 126.0, OLAT = 38.0, XO = 43, YO = 136;
const D = Math.PI / 180;
const re = RE / GRID, s1 = SLAT1 * D, s2 = SLAT2 * D, olon = OLON * D, olat = OLAT * D;
const sn = Math.log(Math.cos(s1) / Math.cos(s2)) / Math.log(Math.tan(Math.PI / 4 + s2 / 2) / Math.tan(Math.PI / 4 + s1 / 2));
const sf = (Math.pow(Math.tan(Math.PI / 4 + s1 / 2), sn) * Math.cos(s1)) / sn;
const ro = (re * sf) / Math.pow(Math.tan(Math.PI / 4 + olat / 2), sn);

export function toGrid(lat: number, lon: number): { nx: number; ny: number } {
  const ra = (re * sf) / Math.pow(Math.tan(Math.PI / 4 + (lat * D) / 2), sn);
  let theta = lon * D - olon;
  if (theta > Math.PI) theta -= 2 * Math.PI;
  if (theta < -Math.PI) theta += 2 * Math.PI;
  theta *= sn;
  return { nx: Math.floor(ra * Math.sin(theta) + XO + 0.5), ny: Math.floor(ro - ra * Math.cos(theta) + YO + 0.5) };
}

/** `YYYYMMDD`, `HH00` in KST for a given instant. */
function kstBase(at: Date): { date: string; time: string; instant: Date } {
  const kst = new Date(at.getTime() + 9 * 3600_000);
  const date = `${kst.getUTCFullYear()}${String(kst.getUTCMonth() + 1).padStart(2, '0')}${String(kst.getUTCDate()).padStart(2, '0')}`;
  const hour = kst.getUTCHours();
  const instant = new Date(Date.UTC(kst.getUTCFullYear(), kst.getUTCMonth(), kst.getUTCDate(), hour) - 9 * 3600_000);
  return { date, time: `${String(hour).padStart(2, '0')}00`, instant };
}

const numberOrNull = (v: unknown) => {
  const n = Number(v);
  return v === undefined || v === null || v === '' || !Number.isFinite(n) || n >= 900 || n <= -900 ? null : n;
};

/**
 * Current observation (getUltraSrtNcst) straight from KMA, for when no weather module provides one. Cached per grid
 * cell and base time, as KMA publishes one observation per cell per hour.
 */
export class KmaWeatherObserver implements WeatherObserver {
  private readonly cache = new Map<string, { at: number; value: Promise<WeatherObservation> }>();

  constructor(
    private readonly config: { KMA_BASE_URL?: string; KMA_SERVICE_KEY?: string },
    private readonly clock: () => Date = () => new Date(),
    private readonly timeoutMs = 5000,
  ) {}

  async observe(latitude: number, longitude: number): Promise<WeatherObservation> {
    if (!this.config.KMA_SERVICE_KEY) throw unavailable('Weather observations are not configured.');
    const { nx, ny } = toGrid(latitude, longitude);
    // Observations of hour HH are available from about HH:10.
    const base = kstBase(new Date(this.clock().getTime() - 10 * 60_000));
    const key = `${nx}:${ny}:${base.date}${base.time}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 5 * 60_000) return hit.value;
    const value = this.fetch(nx, ny, base).then(
      async (obs) => obs ?? (await this.fetch(nx, ny, kstBase(new Date(base.instant.getTime() - 3600_000)))) ?? Promise.reject(unavailable('No weather observation is available there now.')),
    );
    this.cache.set(key, { at: Date.now(), value });
    value.catch(() => this.cache.delete(key));
    if (this.cache.size > 5000) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }

  private async fetch(nx: number, ny: number, base: { date: string; time: string; instant: Date }): Promise<WeatherObservation | null> {
    const url = new URL(`${(this.config.KMA_BASE_URL ?? 'https://apis.data.go.kr/1360000').replace(/\/$/, '')}/VilageFcstInfoService_2.0/getUltraSrtNcst`);
    url.search = new URLSearchParams({
      serviceKey: this.config.KMA_SERVICE_KEY!,
      pageNo: '1',
      numOfRows: '10',
      dataType: 'JSON',
      base_date: base.date,
      base_time: base.time,
      nx: String(nx),
      ny: String(ny),
    }).toString();
    let text: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
      text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      throw unavailable('The weather service is not reachable; try again later.', err);
    }
    let body: any;
    try {
      body = JSON.parse(text);
    } catch (err) {
      // Gateway errors (bad key, quota) come as XML whatever dataType says.
      throw unavailable('The weather service refused the request; try again later.', err);
    }
    const code = String(body?.response?.header?.resultCode ?? '');
    if (code === '03') return null;
    if (code !== '00' && code !== '0') throw unavailable('The weather service refused the request; try again later.');
    const raw = body?.response?.body?.items?.item;
    const items: { category: string; obsrValue: string }[] = Array.isArray(raw) ? raw : raw ? [raw] : [];
    if (!items.length) return null;
    const get = (c: string) => items.find((i) => i.category === c)?.obsrValue;
    return {
      temperatureC: numberOrNull(get('T1H')),
      precipitationType: PTY[String(get('PTY') ?? '0')] ?? 'NONE',
      rainfallMm: numberOrNull(get('RN1')),
      observedAt: base.instant,
    };
  }
}
