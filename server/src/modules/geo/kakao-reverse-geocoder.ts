import type { Config } from '../../app/config.js';
import type { Logger } from '../../app/logger.js';
import { Province, PROVINCE_NAMES } from './province.js';
import type { ReverseGeocoder } from './reverse-geocoder.js';

/** `region_1depth_name` → Province: current names, the old names of 강원 and 전북, and the short forms. */
const BY_NAME = new Map<string, Province>([
  ...(Object.entries(PROVINCE_NAMES) as [Province, string][]).map(([p, name]) => [name, p] as [string, Province]),
  ['강원도', Province.GANGWON],
  ['전라북도', Province.JEONBUK],
  ['제주도', Province.JEJU],
  ['서울', Province.SEOUL],
  ['부산', Province.BUSAN],
  ['대구', Province.DAEGU],
  ['인천', Province.INCHEON],
  ['광주', Province.GWANGJU],
  ['대전', Province.DAEJEON],
  ['울산', Province.ULSAN],
  ['세종', Province.SEJONG],
  ['세종시', Province.SEJONG],
  ['경기', Province.GYEONGGI],
  ['강원', Province.GANGWON],
  ['충북', Province.CHUNGBUK],
  ['충남', Province.CHUNGNAM],
  ['전북', Province.JEONBUK],
  ['전남', Province.JEONNAM],
  ['경북', Province.GYEONGBUK],
  ['경남', Province.GYEONGNAM],
  ['제주', Province.JEJU],
]);

export function provinceFromRegionName(name: string | null | undefined): Province | null {
  return (name && BY_NAME.get(name.normalize('NFC').trim())) || null;
}

interface Coord2RegionAnswer {
  documents?: { region_type?: string; region_1depth_name?: string }[];
}

/**
 * Kakao Local `coord2regioncode`: the 시·도 of a point. A point at sea or abroad, or a Kakao failure (logged), gives
 * null, so `updateProfile` keeps the province it had rather than failing.
 */
export class KakaoReverseGeocoder implements ReverseGeocoder {
  constructor(
    private readonly config: Pick<Config, 'KAKAO_LOCAL_BASE_URL' | 'KAKAO_CLIENT_ID' | 'KAKAO_TIMEOUT_MS'>,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  async provinceAt(latitude: number, longitude: number): Promise<Province | null> {
    const url = new URL('/v2/local/geo/coord2regioncode.json', this.config.KAKAO_LOCAL_BASE_URL);
    url.searchParams.set('x', String(longitude));
    url.searchParams.set('y', String(latitude));
    try {
      const res = await fetch(url, {
        headers: { Authorization: `KakaoAK ${this.config.KAKAO_CLIENT_ID}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(this.config.KAKAO_TIMEOUT_MS),
      });
      if (!res.ok) {
        const body = await res.text().catch(() => '');
        this.logger.warn({ status: res.status, body: body.slice(0, 200) }, 'kakao coord2regioncode failed');
        return null;
      }
      const answer = (await res.json()) as Coord2RegionAnswer;
      const docs = answer.documents ?? [];
      const doc = docs.find((d) => d.region_type === 'B') ?? docs[0];
      return provinceFromRegionName(doc?.region_1depth_name);
    } catch (err) {
      this.logger.warn({ err }, 'kakao coord2regioncode failed');
      return null;
    }
  }
}
