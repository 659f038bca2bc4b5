import { boundingBox, boxWkt, checkPoint, checkRadius, distanceMeters, roundKm, SERVICE_AREA } from './points';

const R = 6370986;
function destination(lat: number, lng: number, km: number, bearingDeg: number) {
  const rad = Math.PI / 180;
  const d = (km * 1000) / R;
  const [p1, l1, b] = [lat * rad, lng * rad, bearingDeg * rad];
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = l1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { lat: p2 / rad, lng: l2 / rad };
}

function parseBox(wkt: string) {
  const nums = wkt.match(/-?\d+(\.\d+)?/g)!.map(Number);
  const xs = nums.filter((_, i) => i % 2 === 0);
  const ys = nums.filter((_, i) => i % 2 === 1);
  return { w: Math.min(...xs), e: Math.max(...xs), s: Math.min(...ys), n: Math.max(...ys) };
}

describe('geo', () => {
  it('the bounding box holds the whole circle anywhere in the service area, for every radius', () => {
    for (const lat of [SERVICE_AREA.minLat, 35, 37.5665, SERVICE_AREA.maxLat]) {
      for (const radius of [0.1, 1, 5, 20]) {
        const box = parseBox(boxWkt(boundingBox(lat, 127, radius)));
        for (let bearing = 0; bearing < 360; bearing += 5) {
          const p = destination(lat, 127, radius, bearing);
          expect(p.lng).toBeGreaterThanOrEqual(box.w);
          expect(p.lng).toBeLessThanOrEqual(box.e);
          expect(p.lat).toBeGreaterThanOrEqual(box.s);
          expect(p.lat).toBeLessThanOrEqual(box.n);
        }
        // and is not much bigger than it (the index must stay selective)
        expect(box.n - box.s).toBeLessThan(((2 * radius) / 111.2) * 1.05);
      }
    }
  });

  it('accepts only finite points in South Korea', () => {
    expect(checkPoint(37.5, 127)).toEqual({});
    expect(checkPoint(33.25, 126.56)).toEqual({}); // Seogwipo
    expect(checkPoint(37.24, 131.87)).toEqual({}); // Dokdo
    expect(Object.keys(checkPoint(NaN, 127))).toEqual(['latitude']);
    expect(Object.keys(checkPoint(37, Infinity))).toEqual(['longitude']);
    expect(Object.keys(checkPoint(39.03, 125.75))).toEqual(['latitude']); // Pyongyang
    expect(Object.keys(checkPoint(35.68, 139.69))).toEqual(['longitude']); // Tokyo
    expect(Object.keys(checkPoint(127, 37.5))).toEqual(['latitude', 'longitude']); // swapped
  });

  it('bounds the radius and rounds distances to 0.1 km', () => {
    expect(checkRadius(20)).toBe(20);
    expect(() => checkRadius(20.01)).toThrow();
    expect(() => checkRadius(0)).toThrow();
    expect(() => checkRadius(NaN)).toThrow();
    expect(roundKm(4949)).toBe(4.9);
    expect(roundKm(4951)).toBe(5);
    expect(roundKm(0)).toBe(0);
  });

  it('measures distances on the globe', () => {
    // Seoul City Hall to Gwanghwamun Square: about 1 km
    const d = distanceMeters(37.5665, 126.978, 37.5759, 126.9768);
    expect(d).toBeGreaterThan(1000);
    expect(d).toBeLessThan(1100);
    expect(distanceMeters(37.5, 127, 37.5, 127)).toBe(0);
  });
});
