import { jpegWithExif, plainJpeg } from '../../../test/factories/image.factory';
import { codeMatches, hashCode, normalizeWeatherCondition, parseWeatherCondition, weatherMismatch, windowStatus } from './mission.rules';
import { checkPhoto } from './photo-check';

const obs = (precipitationType: any, temperatureC: number | null = 10) => ({
  precipitationType,
  temperatureC,
  rainfallMm: 0,
  observedAt: new Date(),
});

describe('mission rules', () => {
  it('parses and matches weather conditions', () => {
    expect(normalizeWeatherCondition(' rain ')).toBe('RAIN');
    expect(normalizeWeatherCondition('TEMP_GTE:30')).toBe('TEMP_GTE:30');
    expect(normalizeWeatherCondition('temp_lte:-5.5')).toBe('TEMP_LTE:-5.5');
    expect(normalizeWeatherCondition('SUNNY')).toBeNull();
    expect(normalizeWeatherCondition('TEMP_GTE:abc')).toBeNull();
    const rain = parseWeatherCondition('RAIN')!;
    expect(weatherMismatch(rain, obs('RAIN'))).toBeNull();
    expect(weatherMismatch(rain, obs('DRIZZLE'))).toBeNull();
    expect(weatherMismatch(rain, obs('NONE'))).toMatch(/not raining/);
    expect(weatherMismatch(parseWeatherCondition('SNOW')!, obs('RAIN_SNOW'))).toBeNull();
    expect(weatherMismatch(parseWeatherCondition('SNOW')!, obs('RAIN'))).toMatch(/not snowing/);
    expect(weatherMismatch(parseWeatherCondition('CLEAR')!, obs('NONE'))).toBeNull();
    expect(weatherMismatch(parseWeatherCondition('TEMP_GTE:30')!, obs('NONE', 30))).toBeNull();
    expect(weatherMismatch(parseWeatherCondition('TEMP_GTE:30')!, obs('NONE', 29.9))).toMatch(/below/);
    expect(weatherMismatch(parseWeatherCondition('TEMP_LTE:0')!, obs('NONE', null))).toMatch(/not available/);
  });

  it('hashes codes and compares them in constant time', async () => {
    const stored = await hashCode(' RAIN-2026 ');
    expect(stored).not.toContain('RAIN');
    expect(await codeMatches('RAIN-2026', stored)).toBe(true);
    expect(await codeMatches('rain-2026', stored)).toBe(false);
    expect(await codeMatches('', stored)).toBe(false);
    expect(await codeMatches('RAIN-2026', 'garbage')).toBe(false);
  });

  it('treats the start instant as open and the end instant as closed', () => {
    const w = { startsAt: new Date('2026-01-01T00:00:00Z'), endsAt: new Date('2026-01-02T00:00:00Z'), closedAt: null };
    expect(windowStatus(w, new Date('2025-12-31T23:59:59.999Z'))).toBe('UPCOMING');
    expect(windowStatus(w, new Date('2026-01-01T00:00:00Z'))).toBe('OPEN');
    expect(windowStatus(w, new Date('2026-01-01T23:59:59.999Z'))).toBe('OPEN');
    expect(windowStatus(w, new Date('2026-01-02T00:00:00Z'))).toBe('CLOSED');
    expect(windowStatus({ ...w, closedAt: new Date() }, new Date('2026-01-01T12:00:00Z'))).toBe('CLOSED');
  });
});

describe('photo EXIF check', () => {
  const mission = {
    startsAt: new Date('2026-11-26T04:00:00Z'),
    endsAt: new Date('2026-11-26T06:00:00Z'),
    latitude: 37.5665,
    longitude: 126.978,
    radiusMeters: 500,
  };

  it('reports no EXIF for a PNG that only has its image header', async () => {
    const chunk = (type: string, data: Buffer) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      return Buffer.concat([length, Buffer.from(type), data, Buffer.alloc(4)]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(1, 0);
    ihdr.writeUInt32BE(1, 4);
    ihdr[8] = 8;
    ihdr[9] = 2;
    const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IEND', Buffer.alloc(0))]);
    expect(await checkPhoto(png, mission)).toEqual({
      hasExif: false,
      takenAt: null,
      takenWithinWindow: null,
      distanceKm: null,
      takenWithinRadius: null,
    });
  });

  it('reads time (KST unless an offset is given) and place', async () => {
    const inside = await checkPhoto(jpegWithExif({ takenAt: '2026:11:26 14:00:00', latitude: 37.567, longitude: 126.979 }), mission);
    expect(inside).toEqual({
      hasExif: true,
      takenAt: '2026-11-26T05:00:00.000Z',
      takenWithinWindow: true,
      distanceKm: 0.1,
      takenWithinRadius: true,
    });
    const elsewhere = await checkPhoto(
      jpegWithExif({ takenAt: '2026:11:26 14:00:00', offset: '+00:00', latitude: 35.1796, longitude: 129.0756 }),
      mission,
    );
    expect(elsewhere).toMatchObject({ takenAt: '2026-11-26T14:00:00.000Z', takenWithinWindow: false, takenWithinRadius: false });
    expect(elsewhere.distanceKm).toBeGreaterThan(300);
  });

  it('says nothing when the photo has no EXIF', async () => {
    expect(await checkPhoto(plainJpeg(), mission)).toEqual({
      hasExif: false,
      takenAt: null,
      takenWithinWindow: null,
      distanceKm: null,
      takenWithinRadius: null,
    });
  });
});
