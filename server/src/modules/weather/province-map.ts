import { Province } from '../geo/province.js';

/**
 * 특보구역 code/name → one of the 17 provinces (reference/kma.md §3.6): exception table first, then the code block,
 * then the name. Sea zones (S…) are attached to the coastal province their name starts with when it names one
 * (e.g. 강원남부앞바다 → GANGWON), otherwise kept without a province (and without a room).
 */
const EXCEPTIONS: Record<string, Province> = {
  L1010100: Province.SEOUL,
  L1010800: Province.INCHEON,
  L1010900: Province.INCHEON,
  L1013600: Province.INCHEON,
  L1014000: Province.INCHEON,
  L1014100: Province.INCHEON,
  L1014200: Province.INCHEON,
  L1014300: Province.INCHEON,
  L1030100: Province.DAEJEON,
  L1031800: Province.SEJONG,
  L1050100: Province.GWANGJU,
  L1070100: Province.DAEGU,
  L1070600: Province.DAEGU, // 군위 (old code), part of 대구 since 2023-07-01
  L1070200: Province.DAEGU, // 군위 (new code)
  L1080100: Province.BUSAN,
  L1082500: Province.BUSAN,
  L1082600: Province.BUSAN,
  L1082700: Province.BUSAN,
  L1080300: Province.ULSAN,
  L1082800: Province.ULSAN,
  L1082900: Province.ULSAN,
  L1600000: Province.GYEONGBUK,
  L1072100: Province.GYEONGBUK,
};

const BLOCKS: Record<string, Province> = {
  L101: Province.GYEONGGI,
  L102: Province.GANGWON,
  L103: Province.CHUNGNAM,
  L104: Province.CHUNGBUK,
  L105: Province.JEONNAM,
  L106: Province.JEONBUK,
  L107: Province.GYEONGBUK,
  L108: Province.GYEONGNAM,
  L109: Province.JEJU,
  L110: Province.SEOUL,
  L111: Province.INCHEON,
  L112: Province.DAEJEON,
  L113: Province.GWANGJU,
  L114: Province.DAEGU,
  L115: Province.BUSAN,
  L116: Province.ULSAN,
  L117: Province.SEJONG,
};

// Longest, most specific prefixes first; 광주/고성 are never matched bare (경기 광주시, 강원/경남 고성).
const NAMES: [RegExp, Province][] = [
  [/^서울/, Province.SEOUL],
  [/^부산/, Province.BUSAN],
  [/^대구/, Province.DAEGU],
  [/^인천/, Province.INCHEON],
  [/^광주광역시/, Province.GWANGJU],
  [/^대전/, Province.DAEJEON],
  [/^울산/, Province.ULSAN],
  [/^세종/, Province.SEJONG],
  [/^경기/, Province.GYEONGGI],
  [/^강원/, Province.GANGWON],
  [/^(충청북도|충북)/, Province.CHUNGBUK],
  [/^(충청남도|충남)/, Province.CHUNGNAM],
  [/^(전라북도|전북)/, Province.JEONBUK],
  [/^(전라남도|전남)/, Province.JEONNAM],
  [/^(경상북도|경북)/, Province.GYEONGBUK],
  [/^(경상남도|경남)/, Province.GYEONGNAM],
  [/^제주/, Province.JEJU],
];

export function provinceByName(name: string): Province | null {
  const head = name.trim().split('(')[0];
  for (const [re, p] of NAMES) if (re.test(head)) return p;
  return null;
}

export function provinceOfZone(areaCode: string, areaName: string): Province | null {
  const code = areaCode.trim().toUpperCase();
  if (code.startsWith('S')) return provinceByName(areaName);
  const exact = EXCEPTIONS[code];
  if (exact) return exact;
  const block = BLOCKS[code.slice(0, 4)];
  if (block) return block;
  return provinceByName(areaName);
}
