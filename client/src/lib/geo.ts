import { ClientError } from './errors';

export interface LatLng {
  latitude: number;
  longitude: number;
}

/** Seoul City Hall: where the map starts when the reader has not shared a location. */
export const DEFAULT_PLACE: LatLng = { latitude: 37.5663, longitude: 126.9779 };

/** The browser's position; refusals and timeouts become sentences of the catalogue, never the browser's own words. */
export function currentPosition(timeoutMs = 8000): Promise<LatLng> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new ClientError('geo.unavailable', {}, false));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
      (err) =>
        reject(new ClientError(err.code === err.PERMISSION_DENIED ? 'geo.denied' : 'geo.failed', {}, err.code !== err.PERMISSION_DENIED)),
      { timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

/** Whether the reader already allowed location (then asking shows no prompt). */
export async function locationAllowed(): Promise<boolean> {
  try {
    const status = await navigator.permissions?.query({ name: 'geolocation' });
    return status?.state === 'granted';
  } catch {
    return false;
  }
}

/** Great-circle distance in metres. */
export function distanceMeters(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLng = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
