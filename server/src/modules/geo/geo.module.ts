import type { Config } from '../../app/config.js';
import type { Logger } from '../../app/logger.js';
import { KakaoReverseGeocoder } from './kakao-reverse-geocoder.js';
import type { ReverseGeocoder } from './reverse-geocoder.js';

/** Places in Korea: provinces, point checks (plain functions), and the reverse geocoder when Kakao is configured. */
export function createGeoModule(deps: { config: Config; logger: Logger }) {
  const geocoder: ReverseGeocoder | null = deps.config.KAKAO_CLIENT_ID ? new KakaoReverseGeocoder(deps.config, deps.logger) : null;
  return { geocoder };
}
