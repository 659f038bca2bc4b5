// KMA Lambert conformal conic grid (reference/kma.md §5) and base-time rules (§4.5).
const RE = 6371.00877,
  GRID = 5.0,
  SLAT1 = 30.0,
  SLAT2 = 60.0,
  OLON = 126.0,
  OLAT = 38.0,
  XO = 43,
  YO = 136;
const D = Math.PI / 180;
const re = RE / GRID,
  s1 = SLAT1 * D,
  s2 = SLAT2 * D,
  olon = OLON * D,
  olat = OLAT * D;
const sn = Math.log(Math.cos(s1) / Math.cos(s2)) / Math.log(Math.tan(Math.PI / 4 + s2 / 2) / Math.tan(Math.PI / 4 + s1 / 2));
const sf = (Math.pow(Math.tan(Math.PI / 4 + s1 / 2), sn) * Math.cos(s1)) / sn;
const ro = (re * sf) / Math.pow(Math.tan(Math.PI / 4 + olat / 2), sn);

/** Latitude/longitude → KMA grid cell (nx, ny). */
export function toGrid(lat: number, lon: number): { nx: number; ny: number } {
  const ra = (re * sf) / Math.pow(Math.tan(Math.PI / 4 + (lat * D) / 2), sn);
  let theta = lon * D - olon;
  if (theta > Math.PI) theta -= 2 * Math.PI;
  if (theta < -Math.PI) theta += 2 * Math.PI;
  theta *= sn;
  return { nx: Math.floor(ra * Math.sin(theta) + XO + 0.5), ny: Math.floor(ro - ra * Math.cos(theta) + YO + 0.5) };
}

/** Grid cell → latitude/longitude of its centre. */
export function fromGrid(nx: number, ny: number): { lat: number; lon: number } {
  const xn = nx - XO,
    yn = ro - ny + YO;
  const ra = Math.sign(sn) * Math.sqrt(xn * xn + yn * yn);
  const lat = 2 * Math.atan(Math.pow((re * sf) / ra, 1 / sn)) - Math.PI / 2;
  const theta = Math.abs(xn) <= 0 ? 0 : Math.abs(yn) <= 0 ? (Math.sign(xn) * Math.PI) / 2 : Math.atan2(xn, yn);
  return { lat: lat / D, lon: (theta / sn + olon) / D };
}

export const GRID_NX_MAX = 149;
export const GRID_NY_MAX = 253;

const pad = (n: number) => String(n).padStart(2, '0');

/** KST calendar day `YYYYMMDD` of an instant. */
export function kstDay(at: Date): string {
  const k = new Date(at.getTime() + 9 * 3600_000);
  return `${k.getUTCFullYear()}${pad(k.getUTCMonth() + 1)}${pad(k.getUTCDate())}`;
}

export interface BaseTime {
  baseDate: string;
  baseTime: string;
  /** The observation hour as an instant. */
  at: Date;
}

/**
 * The newest getUltraSrtNcst run usable at `now`: runs are on the hour (KST) and usable from about ten minutes past,
 * so 14:09 asks for 13:00 and 14:10 for 14:00 (crossing midnight moves the date too).
 */
export function ultraNcstBase(now: Date, hoursBack = 0): BaseTime {
  const usable = new Date(now.getTime() - 10 * 60_000 - hoursBack * 3600_000);
  const k = new Date(usable.getTime() + 9 * 3600_000);
  const hourKst = Date.UTC(k.getUTCFullYear(), k.getUTCMonth(), k.getUTCDate(), k.getUTCHours());
  const at = new Date(hourKst - 9 * 3600_000);
  return { baseDate: kstDay(at), baseTime: `${pad(k.getUTCHours())}00`, at };
}

/** `YYYYMMDDHHmm` (KST) → instant; null for unset values. */
export function fromKmaTime(v: number | string | null | undefined): Date | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  if (!/^\d{12}$/.test(s)) return null;
  const ms = Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12)) - 9 * 3600_000;
  return Number.isFinite(ms) ? new Date(ms) : null;
}

/** Instant → `YYYYMMDDHHmm` (KST). */
export function toKmaTime(at: Date): number {
  const k = new Date(at.getTime() + 9 * 3600_000);
  return Number(`${k.getUTCFullYear()}${pad(k.getUTCMonth() + 1)}${pad(k.getUTCDate())}${pad(k.getUTCHours())}${pad(k.getUTCMinutes())}`);
}
