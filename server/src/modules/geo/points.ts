import { badInput, type FieldErrors } from '../../app/errors.js';

/** The area we serve: South Korea with its islands (Jeju, Ulleungdo, Dokdo) and the border region. */
export const SERVICE_AREA = { minLat: 33.0, maxLat: 38.7, minLng: 124.5, maxLng: 132.0 } as const;
export const DEFAULT_RADIUS_KM = 5;
export const MAX_RADIUS_KM = 20;
const KM_PER_DEG_LAT = 111.32;

/** BAD_USER_INPUT unless both are finite numbers inside the service area. */
export function checkPoint(
  latitude: number,
  longitude: number,
  fields: FieldErrors = {},
  names = { lat: 'latitude', lng: 'longitude' },
): FieldErrors {
  if (typeof latitude !== 'number' || !Number.isFinite(latitude) || latitude < -90 || latitude > 90)
    fields[names.lat] = ['must be a latitude between -90 and 90'];
  else if (latitude < SERVICE_AREA.minLat || latitude > SERVICE_AREA.maxLat)
    fields[names.lat] = ['is outside the area we serve (South Korea)'];
  if (typeof longitude !== 'number' || !Number.isFinite(longitude) || longitude < -180 || longitude > 180)
    fields[names.lng] = ['must be a longitude between -180 and 180'];
  else if (longitude < SERVICE_AREA.minLng || longitude > SERVICE_AREA.maxLng)
    fields[names.lng] = ['is outside the area we serve (South Korea)'];
  return fields;
}

export function assertPoint(latitude: number, longitude: number): void {
  const fields = checkPoint(latitude, longitude);
  if (Object.keys(fields).length) throw badInput(fields);
}

export function checkRadius(radiusKm: number): number {
  if (typeof radiusKm !== 'number' || !Number.isFinite(radiusKm) || radiusKm <= 0 || radiusKm > MAX_RADIUS_KM) {
    throw badInput({ radiusKm: [`must be more than 0 and at most ${MAX_RADIUS_KM}`] });
  }
  return radiusKm;
}

/** `POINT(lng lat)` WKT: x is longitude, y latitude (SRID 0, planar storage; distances via ST_Distance_Sphere). */
export const pointWkt = (latitude: number, longitude: number) => `POINT(${longitude} ${latitude})`;

export interface Box {
  south: number;
  north: number;
  west: number;
  east: number;
}

/** A box that contains every point within `radiusKm` of the centre, with 1% slack; exact distance narrows it after. */
export function boundingBox(latitude: number, longitude: number, radiusKm: number): Box {
  const dLat = (radiusKm / KM_PER_DEG_LAT) * 1.01;
  const maxAbsLat = Math.min(89, Math.abs(latitude) + dLat);
  const dLng = (radiusKm / (KM_PER_DEG_LAT * Math.cos((maxAbsLat * Math.PI) / 180))) * 1.01;
  return { south: latitude - dLat, north: latitude + dLat, west: longitude - dLng, east: longitude + dLng };
}

/** The box as a WKT polygon, for the SPATIAL INDEX (MBRContains). */
export function boxWkt({ south: s, north: n, west: w, east: e }: Box): string {
  return `POLYGON((${w} ${s}, ${e} ${s}, ${e} ${n}, ${w} ${n}, ${w} ${s}))`;
}

/** Meters to km rounded to 0.1. */
export const roundKm = (meters: number) => Math.round(meters / 100) / 10;

/** Great-circle distance in meters (haversine, mean Earth radius). */
export function distanceMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}
