/** Precipitation as KMA reports it (PTY of getUltraSrtNcst). */
export type PrecipitationType = 'NONE' | 'RAIN' | 'RAIN_SNOW' | 'SNOW' | 'DRIZZLE' | 'DRIZZLE_SNOW' | 'SNOW_FLURRY';

export interface WeatherObservation {
  /** Air temperature (T1H); null when KMA marks it missing. */
  temperatureC: number | null;
  precipitationType: PrecipitationType;
  /** Rain in the last hour (RN1), mm; null when missing. */
  rainfallMm: number | null;
  observedAt: Date;
}

/**
 * The current weather at a point, as the server sees it (never from the client); the weather module's
 * current-weather service fills it in modules/index.ts.
 */
export interface WeatherObserver {
  observe(latitude: number, longitude: number): Promise<WeatherObservation>;
}
