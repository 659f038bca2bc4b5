import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Province } from '../geo/province';
import { KmaError, parseKmaBody, toWarningRow } from './kma.client';
import { fromGrid, fromKmaTime, toGrid, ultraNcstBase } from './kma.grid';
import { provinceOfZone } from './province-map';
import { decodeObservation } from './current-weather.service';
import { PrecipitationType } from './weather.types';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../test/fixtures/kma', name), 'utf8');

describe('KMA grid conversion (kma.md §5 test points)', () => {
  it.each([
    ['guide example', 37.488201, 126.92981, 59, 125],
    ['Seoul City Hall', 37.5665, 126.978, 60, 127],
    ['Busan City Hall', 35.1796, 129.0756, 98, 76],
    ['Daejeon City Hall', 36.3504, 127.3845, 67, 100],
    ['Jeju City', 33.4996, 126.5312, 53, 38],
    ['Incheon City Hall', 37.4563, 126.7052, 55, 124],
    ['Suwon', 37.2636, 127.0286, 61, 120],
    ['Gwangju City Hall', 35.1595, 126.8526, 58, 74],
    ['Daegu', 35.8714, 128.6014, 89, 91],
  ])('%s → (%d, %d)', (_name, lat, lng, nx, ny) => {
    expect(toGrid(lat, lng)).toEqual({ nx, ny });
  });

  it('inverts (59,125) back to the guide example', () => {
    const { lat, lon } = fromGrid(59, 125);
    expect(lat).toBeCloseTo(37.4882, 3);
    expect(lon).toBeCloseTo(126.9298, 3);
  });
});

describe('getUltraSrtNcst base time (KST, usable ten minutes past the hour)', () => {
  const at = (iso: string) => ultraNcstBase(new Date(iso));
  it('uses the current hour from HH:10 and the previous one before', () => {
    expect(at('2026-07-29T05:10:00Z')).toMatchObject({ baseDate: '20260729', baseTime: '1400' }); // 14:10 KST
    expect(at('2026-07-29T05:09:59Z')).toMatchObject({ baseDate: '20260729', baseTime: '1300' }); // 14:09 KST
  });
  it('crosses midnight in KST, not UTC', () => {
    expect(at('2026-07-28T15:05:00Z')).toMatchObject({ baseDate: '20260728', baseTime: '2300' }); // 00:05 KST on the 29th
    expect(at('2026-07-28T15:15:00Z')).toMatchObject({ baseDate: '20260729', baseTime: '0000' });
    expect(at('2025-12-31T15:00:00Z')).toMatchObject({ baseDate: '20251231', baseTime: '2300' }); // new year, 00:00 KST
  });
  it('one step back on request', () => {
    expect(ultraNcstBase(new Date('2026-07-29T05:10:00Z'), 1)).toMatchObject({ baseTime: '1300' });
  });
  it('reads KMA times as KST', () => {
    expect(fromKmaTime(202607281600)!.toISOString()).toBe('2026-07-28T07:00:00.000Z');
    expect(fromKmaTime(0)).toBeNull();
  });
});

describe('KMA answers map to typed results or errors', () => {
  it('parses the JSON envelope with an item array', () => {
    const page = parseKmaBody(200, fixture('kma-wrn-list.json'));
    expect(page.items).toHaveLength(6);
    const row = toWarningRow(page.items[0])!;
    expect(row).toMatchObject({ stnId: '109', tmFc: 202607281600, command: 7, warnStress: 1, endTime: null, cancelled: false });
  });
  it('accepts a single item given as an object, and empty items', () => {
    const one = JSON.stringify({ response: { header: { resultCode: '00' }, body: { items: { item: { stnId: '108' } }, totalCount: 1 } } });
    expect(parseKmaBody(200, one).items).toEqual([{ stnId: '108' }]);
    const empty = JSON.stringify({ response: { header: { resultCode: '00' }, body: { items: '' } } });
    expect(parseKmaBody(200, empty).items).toEqual([]);
  });
  it('treats 03 NO_DATA without a body as empty', () => {
    expect(parseKmaBody(200, fixture('kma-wrn-nodata.json'))).toEqual({ items: [], totalCount: 0 });
  });
  it('maps the XML gateway error (HTTP 200) to GATEWAY with its reason code, not retryable', () => {
    const err = (() => {
      try {
        parseKmaBody(200, fixture('kma-error-key.xml'));
      } catch (e) {
        return e as KmaError;
      }
    })()!;
    expect(err).toBeInstanceOf(KmaError);
    expect(err).toMatchObject({ kind: 'GATEWAY', code: '30' });
    expect(err.retryable).toBe(false);
  });
  it('maps quota, service errors, HTTP errors and garbage', () => {
    const quota =
      '<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR</errMsg><returnAuthMsg>x</returnAuthMsg><returnReasonCode>22</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>';
    expect(() => parseKmaBody(200, quota)).toThrow(expect.objectContaining({ kind: 'GATEWAY', code: '22' }));
    const svc = JSON.stringify({ response: { header: { resultCode: '99', resultMsg: '최대 조회 기간' } } });
    expect(() => parseKmaBody(200, svc)).toThrow(expect.objectContaining({ kind: 'SERVICE', code: '99' }));
    expect(() => parseKmaBody(502, '<html>Bad Gateway</html>')).toThrow(expect.objectContaining({ kind: 'HTTP' }));
    expect(() => parseKmaBody(500, '{}')).toThrow(expect.objectContaining({ kind: 'HTTP' }));
    expect(() => parseKmaBody(200, 'Unauthorized')).toThrow(expect.objectContaining({ kind: 'GARBAGE' }));
    expect(() => parseKmaBody(200, '{"foo":1}')).toThrow(expect.objectContaining({ kind: 'GARBAGE' }));
  });
});

describe('zone → province mapping (exception table, block, name)', () => {
  it.each([
    ['L1100200', '서울동북권', Province.SEOUL],
    ['L1012000', '성남시', Province.GYEONGGI],
    ['L1013400', '광주시', Province.GYEONGGI],
    ['L1050100', '광주', Province.GWANGJU],
    ['L1010800', '인천', Province.INCHEON],
    ['L1070600', '군위', Province.DAEGU],
    ['L1072500', '경주시', Province.GYEONGBUK],
    ['L1082500', '부산동부', Province.BUSAN],
    ['L1082900', '울산서부', Province.ULSAN],
    ['L1082300', '고성', Province.GYEONGNAM],
    ['L1091320', '제주시북부', Province.JEJU],
    ['L1170110', '세종북부', Province.SEJONG],
    ['S1151300', '강원남부앞바다', Province.GANGWON],
  ])('%s %s → %s', (code, name, province) => {
    expect(provinceOfZone(code, name)).toBe(province);
  });
  it('keeps open-sea zones without a province', () => {
    expect(provinceOfZone('S1322200', '남해서부동쪽먼바다')).toBeNull();
  });
});

describe('observation decoding', () => {
  it('decodes categories and units, KMA missing values are null', () => {
    const rows = JSON.parse(fixture('kma-ultra-ncst.json')).response.body.items.item;
    const obs = decodeObservation(rows, 60, 127, new Date(0));
    expect(obs).toMatchObject({
      temperatureC: 33.4,
      humidityPct: 58,
      precipitationMm1h: 0,
      precipitationType: PrecipitationType.NONE,
      gridX: 60,
      gridY: 127,
    });
    expect(obs.observedAt.toISOString()).toBe('2026-07-29T05:00:00.000Z');
    const missing = decodeObservation(
      [
        { baseDate: '20260729', baseTime: '1400', category: 'T1H', obsrValue: '-999' },
        { baseDate: '20260729', baseTime: '1400', category: 'PTY', obsrValue: '3' },
      ],
      1,
      1,
      new Date(0),
    );
    expect(missing.temperatureC).toBeNull();
    expect(missing.precipitationType).toBe(PrecipitationType.SNOW);
  });
});
