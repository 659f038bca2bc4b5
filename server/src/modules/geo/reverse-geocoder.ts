import type { Province } from './province.js';

/**
 * Turns a home location into its province. `updateProfile` uses it when one is configured (a Kakao Local
 * `coord2regioncode` implementation may be plugged in `createServices`); without one the user picks the province.
 */
export interface ReverseGeocoder {
  /** The province containing the point; null when the point is outside Korea or unknown. */
  provinceAt(latitude: number, longitude: number): Promise<Province | null>;
}
