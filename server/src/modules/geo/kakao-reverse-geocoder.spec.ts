import { Province } from './province';
import { provinceFromRegionName } from './kakao-reverse-geocoder';

describe('provinceFromRegionName', () => {
  it('maps current, old and short 시·도 names', () => {
    expect(provinceFromRegionName('서울특별시')).toBe(Province.SEOUL);
    expect(provinceFromRegionName('강원특별자치도')).toBe(Province.GANGWON);
    expect(provinceFromRegionName('강원도')).toBe(Province.GANGWON);
    expect(provinceFromRegionName('전북특별자치도')).toBe(Province.JEONBUK);
    expect(provinceFromRegionName('전라북도')).toBe(Province.JEONBUK);
    expect(provinceFromRegionName('충청남도')).toBe(Province.CHUNGNAM);
    expect(provinceFromRegionName('세종특별자치시')).toBe(Province.SEJONG);
    expect(provinceFromRegionName(' 경기도 ')).toBe(Province.GYEONGGI);
  });

  it('gives null for anything else', () => {
    expect(provinceFromRegionName('')).toBeNull();
    expect(provinceFromRegionName(undefined)).toBeNull();
    expect(provinceFromRegionName('Tokyo')).toBeNull();
  });
});
