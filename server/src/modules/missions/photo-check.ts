import exifr from 'exifr';
import type { PhotoCheckData } from './mission.entity.js';
import { distanceMeters, roundKm } from '../geo/points.js';

/** EXIF date-times carry no zone unless OffsetTimeOriginal says so; photos here are taken in Korea (KST). */
const DEFAULT_OFFSET = '+09:00';

function parseExifDate(text: unknown, offset: unknown): Date | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text.trim());
  if (!m) return null;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : DEFAULT_OFFSET;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * What the photo's EXIF says about when and where it was taken, compared with the mission window and point.
 * Shown to the reviewer; never decides on its own (EXIF is easy to forge or strip).
 */
export async function checkPhoto(
  file: Buffer,
  mission: { startsAt: Date; endsAt: Date; latitude: number | null; longitude: number | null; radiusMeters: number | null },
): Promise<PhotoCheckData> {
  let tags: Record<string, unknown> | undefined;
  try {
    // Only EXIF proper: exifr otherwise reports a PNG's IHDR header (size, bit depth) as tags of every screenshot.
    tags = await exifr.parse(file, {
      tiff: true,
      exif: true,
      gps: true,
      ihdr: false,
      jfif: false,
      icc: false,
      iptc: false,
      xmp: false,
      reviveValues: false,
      translateValues: false,
    });
  } catch {
    tags = undefined;
  }
  const result: PhotoCheckData = { hasExif: false, takenAt: null, takenWithinWindow: null, distanceKm: null, takenWithinRadius: null };
  if (!tags || Object.keys(tags).length === 0) return result;
  result.hasExif = true;
  const takenAt = parseExifDate(tags.DateTimeOriginal ?? tags.CreateDate ?? tags.DateTime, tags.OffsetTimeOriginal ?? tags.OffsetTime);
  if (takenAt) {
    result.takenAt = takenAt.toISOString();
    result.takenWithinWindow = takenAt >= mission.startsAt && takenAt < mission.endsAt;
  }
  let gps: { latitude?: number; longitude?: number } | undefined;
  try {
    gps = await exifr.gps(file);
  } catch {
    gps = undefined;
  }
  if (gps && Number.isFinite(gps.latitude) && Number.isFinite(gps.longitude) && mission.latitude !== null && mission.longitude !== null) {
    const meters = distanceMeters(gps.latitude!, gps.longitude!, mission.latitude, mission.longitude);
    result.distanceKm = roundKm(meters);
    result.takenWithinRadius = mission.radiusMeters === null ? null : meters <= mission.radiusMeters;
  }
  return result;
}
