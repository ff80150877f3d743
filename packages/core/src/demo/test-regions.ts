import { PROVINCE_POPULATION } from './geography.js';
import type { DemoRegion } from './types.js';

const MUNICIPALITIES = new Set(['110000', '120000', '310000', '500000']);

/**
 * A synthetic stand-in for the GB/T 2260 region table, for tests of the pure generator (the
 * server seeds the real one). Real province codes and names; cities and counties follow the
 * code pattern (440100, 440106) with made-up names: districts (区) in the capital, counties
 * (县) elsewhere; municipalities list districts directly under the province.
 */
export function testRegions(): DemoRegion[] {
  const regions: DemoRegion[] = [{ code: 'CN', name: '中国', level: 'country', parentCode: null }];
  for (const p of PROVINCE_POPULATION) {
    regions.push({ code: p.code, name: `${p.short}省`, level: 'province', parentCode: 'CN' });
    const pp = p.code.slice(0, 2);
    if (MUNICIPALITIES.has(p.code)) {
      for (let k = 1; k <= 12; k++) {
        const code = `${pp}01${String(k).padStart(2, '0')}`;
        regions.push({ code, name: `${p.short}第${k}区`, level: 'county', parentCode: p.code });
      }
      continue;
    }
    const cities = 3 + Math.round(p.population / 20_000_000);
    for (let c = 1; c <= cities; c++) {
      const city = `${pp}${String(c).padStart(2, '0')}00`;
      regions.push({ code: city, name: `${p.short}${c}市`, level: 'city', parentCode: p.code });
      for (let k = 1; k <= 6; k++) {
        const code = `${city.slice(0, 4)}${String(k).padStart(2, '0')}`;
        const name = c === 1 && k <= 3 ? `${p.short}${c}市第${k}区` : `${p.short}${c}市${k}县`;
        regions.push({ code, name, level: 'county', parentCode: city });
      }
    }
  }
  return regions;
}
