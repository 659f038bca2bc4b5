import { registerEnumType } from 'type-graphql';

/** The 17 first-level divisions of Korea (시·도). Other modules import this enum; its values are stored as is. */
export enum Province {
  SEOUL = 'SEOUL',
  BUSAN = 'BUSAN',
  DAEGU = 'DAEGU',
  INCHEON = 'INCHEON',
  GWANGJU = 'GWANGJU',
  DAEJEON = 'DAEJEON',
  ULSAN = 'ULSAN',
  SEJONG = 'SEJONG',
  GYEONGGI = 'GYEONGGI',
  GANGWON = 'GANGWON',
  CHUNGBUK = 'CHUNGBUK',
  CHUNGNAM = 'CHUNGNAM',
  JEONBUK = 'JEONBUK',
  JEONNAM = 'JEONNAM',
  GYEONGBUK = 'GYEONGBUK',
  GYEONGNAM = 'GYEONGNAM',
  JEJU = 'JEJU',
}

/** Korean names, for display and for matching reverse-geocoder answers. */
export const PROVINCE_NAMES: Readonly<Record<Province, string>> = {
  SEOUL: '서울특별시',
  BUSAN: '부산광역시',
  DAEGU: '대구광역시',
  INCHEON: '인천광역시',
  GWANGJU: '광주광역시',
  DAEJEON: '대전광역시',
  ULSAN: '울산광역시',
  SEJONG: '세종특별자치시',
  GYEONGGI: '경기도',
  GANGWON: '강원특별자치도',
  CHUNGBUK: '충청북도',
  CHUNGNAM: '충청남도',
  JEONBUK: '전북특별자치도',
  JEONNAM: '전라남도',
  GYEONGBUK: '경상북도',
  GYEONGNAM: '경상남도',
  JEJU: '제주특별자치도',
};

export const isProvince = (value: unknown): value is Province =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(PROVINCE_NAMES, value);

registerEnumType(Province, {
  name: 'Province',
  description: 'A first-level division of Korea (시·도).',
  valuesConfig: Object.fromEntries(Object.entries(PROVINCE_NAMES).map(([k, name]) => [k, { description: name }])),
});
