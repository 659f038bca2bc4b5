import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { PrecipitationType, WeatherObservation } from './weather-observer.js';

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number },
) => Promise<Buffer>;

// ---- weather conditions -------------------------------------------------------------------------------------------

const RAINY: PrecipitationType[] = ['RAIN', 'RAIN_SNOW', 'DRIZZLE', 'DRIZZLE_SNOW'];
const SNOWY: PrecipitationType[] = ['SNOW', 'RAIN_SNOW', 'DRIZZLE_SNOW', 'SNOW_FLURRY'];

export type WeatherCondition = { kind: 'RAIN' | 'SNOW' | 'PRECIPITATION' | 'CLEAR' } | { kind: 'TEMP_GTE' | 'TEMP_LTE'; value: number };

/**
 * `RAIN`, `SNOW`, `PRECIPITATION` (either), `CLEAR` (no precipitation), `TEMP_GTE:<°C>` or `TEMP_LTE:<°C>`.
 * Returns null when the text is none of these.
 */
export function parseWeatherCondition(text: string): WeatherCondition | null {
  const t = text.trim().toUpperCase();
  if (t === 'RAIN' || t === 'SNOW' || t === 'PRECIPITATION' || t === 'CLEAR') return { kind: t };
  const m = /^(TEMP_GTE|TEMP_LTE):(-?\d{1,2}(?:\.\d)?)$/.exec(t);
  return m ? { kind: m[1] as 'TEMP_GTE' | 'TEMP_LTE', value: Number(m[2]) } : null;
}

export function normalizeWeatherCondition(text: string): string | null {
  const c = parseWeatherCondition(text);
  if (!c) return null;
  return 'value' in c ? `${c.kind}:${c.value}` : c.kind;
}

/** Null when the observation matches, else the reason shown to the user. */
export function weatherMismatch(condition: WeatherCondition, obs: WeatherObservation): string | null {
  const p = obs.precipitationType;
  switch (condition.kind) {
    case 'RAIN':
      return RAINY.includes(p) ? null : `It is not raining there now (observed: ${p}).`;
    case 'SNOW':
      return SNOWY.includes(p) ? null : `It is not snowing there now (observed: ${p}).`;
    case 'PRECIPITATION':
      return p !== 'NONE' ? null : 'There is no precipitation there now.';
    case 'CLEAR':
      return p === 'NONE' ? null : `It is not dry there now (observed: ${p}).`;
    case 'TEMP_GTE':
      if (obs.temperatureC === null) return 'The temperature there is not available now.';
      return obs.temperatureC >= condition.value ? null : `It is ${obs.temperatureC} °C there, below ${condition.value} °C.`;
    case 'TEMP_LTE':
      if (obs.temperatureC === null) return 'The temperature there is not available now.';
      return obs.temperatureC <= condition.value ? null : `It is ${obs.temperatureC} °C there, above ${condition.value} °C.`;
  }
}

// ---- secret codes -------------------------------------------------------------------------------------------------

const SCRYPT = { N: 4096, r: 8, p: 1 };

/** Codes compare after trimming and Unicode NFC; case matters. */
export const normalizeCode = (code: string) => code.trim().normalize('NFC');

export async function hashCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(normalizeCode(code), salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Constant-time comparison of a candidate code with a stored hash. */
export async function codeMatches(candidate: string, stored: string): Promise<boolean> {
  const [scheme, n, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64url');
  const actual = await scrypt(normalizeCode(candidate), Buffer.from(saltText, 'base64url'), expected.length, { ...SCRYPT, N: Number(n) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// ---- windows ------------------------------------------------------------------------------------------------------

export interface Window {
  startsAt: Date;
  endsAt: Date;
  closedAt: Date | null;
}

/** [startsAt, endsAt): the start instant is open, the end instant is closed. */
export function windowStatus(w: Window, now: Date): 'UPCOMING' | 'OPEN' | 'CLOSED' {
  if (w.closedAt || now.getTime() >= w.endsAt.getTime()) return 'CLOSED';
  if (now.getTime() < w.startsAt.getTime()) return 'UPCOMING';
  return 'OPEN';
}
