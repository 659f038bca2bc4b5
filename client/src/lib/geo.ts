export interface LatLng {
  latitude: number;
  longitude: number;
}

/** Seoul City Hall: where the map starts when the browser will not say where the reader is. */
export const DEFAULT_PLACE: LatLng = { latitude: 37.5663, longitude: 126.9779 };

export function currentPosition(timeoutMs = 8000): Promise<LatLng> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('Geolocation is not available in this browser.'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
      (err) => reject(new Error(err.message || 'Location permission denied.')),
      { timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
