import type { Province } from '../__generated__/graphql';

/** The 17 시·도 with names and a tile in their rough geographic place (column, row) on a 5x6 grid. */
export const PROVINCES: { code: Province; ko: string; en: string; col: number; row: number }[] = [
  { code: 'INCHEON', ko: '인천', en: 'Incheon', col: 1, row: 1 },
  { code: 'SEOUL', ko: '서울', en: 'Seoul', col: 2, row: 1 },
  { code: 'GANGWON', ko: '강원', en: 'Gangwon', col: 3, row: 1 },
  { code: 'GYEONGGI', ko: '경기', en: 'Gyeonggi', col: 2, row: 2 },
  { code: 'CHUNGBUK', ko: '충북', en: 'Chungbuk', col: 3, row: 2 },
  { code: 'CHUNGNAM', ko: '충남', en: 'Chungnam', col: 1, row: 3 },
  { code: 'SEJONG', ko: '세종', en: 'Sejong', col: 2, row: 3 },
  { code: 'DAEJEON', ko: '대전', en: 'Daejeon', col: 3, row: 3 },
  { code: 'GYEONGBUK', ko: '경북', en: 'Gyeongbuk', col: 4, row: 3 },
  { code: 'JEONBUK', ko: '전북', en: 'Jeonbuk', col: 2, row: 4 },
  { code: 'DAEGU', ko: '대구', en: 'Daegu', col: 4, row: 4 },
  { code: 'ULSAN', ko: '울산', en: 'Ulsan', col: 5, row: 4 },
  { code: 'GWANGJU', ko: '광주', en: 'Gwangju', col: 1, row: 5 },
  { code: 'JEONNAM', ko: '전남', en: 'Jeonnam', col: 2, row: 5 },
  { code: 'GYEONGNAM', ko: '경남', en: 'Gyeongnam', col: 3, row: 5 },
  { code: 'BUSAN', ko: '부산', en: 'Busan', col: 4, row: 5 },
  { code: 'JEJU', ko: '제주', en: 'Jeju', col: 1, row: 6 },
];

export function provinceName(code: Province | null | undefined, lang: string): string {
  const p = PROVINCES.find((x) => x.code === code);
  return p ? (lang === 'en' ? p.en : p.ko) : '';
}
