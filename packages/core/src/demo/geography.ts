import { DomainError } from '../domain-error.js';
import { cumulate, hashString, pickWeighted, randomFor, STREAM } from './random.js';
import type { DemoRegion } from './types.js';

/**
 * The 31 mainland provincial units with their GB/T 2260 codes, short names and resident
 * population at the 2020 census (第七次全国人口普查, persons). Dealers are spread in
 * proportion to population.
 */
// prettier-ignore
export const PROVINCE_POPULATION: readonly { code: string; short: string; population: number }[] = [
  { code: '110000', short: '北京', population: 21_893_095 }, { code: '120000', short: '天津', population: 13_866_009 },
  { code: '130000', short: '河北', population: 74_610_235 }, { code: '140000', short: '山西', population: 34_915_616 },
  { code: '150000', short: '内蒙古', population: 24_049_155 }, { code: '210000', short: '辽宁', population: 42_591_407 },
  { code: '220000', short: '吉林', population: 24_073_453 }, { code: '230000', short: '黑龙江', population: 31_850_088 },
  { code: '310000', short: '上海', population: 24_870_895 }, { code: '320000', short: '江苏', population: 84_748_016 },
  { code: '330000', short: '浙江', population: 64_567_588 }, { code: '340000', short: '安徽', population: 61_027_171 },
  { code: '350000', short: '福建', population: 41_540_086 }, { code: '360000', short: '江西', population: 45_188_635 },
  { code: '370000', short: '山东', population: 101_527_453 }, { code: '410000', short: '河南', population: 99_365_519 },
  { code: '420000', short: '湖北', population: 57_752_557 }, { code: '430000', short: '湖南', population: 66_444_864 },
  { code: '440000', short: '广东', population: 126_012_510 }, { code: '450000', short: '广西', population: 50_126_804 },
  { code: '460000', short: '海南', population: 10_081_232 }, { code: '500000', short: '重庆', population: 32_054_159 },
  { code: '510000', short: '四川', population: 83_674_866 }, { code: '520000', short: '贵州', population: 38_562_148 },
  { code: '530000', short: '云南', population: 47_209_277 }, { code: '540000', short: '西藏', population: 3_648_100 },
  { code: '610000', short: '陕西', population: 39_528_999 }, { code: '620000', short: '甘肃', population: 25_019_831 },
  { code: '630000', short: '青海', population: 5_923_957 }, { code: '640000', short: '宁夏', population: 7_202_654 },
  { code: '650000', short: '新疆', population: 25_852_345 },
];

/** Share of a province's counties that no dealer serves at all: the channel's white spots. */
const GAP_SHARE = 0.25;

/** A place a dealer can sit: a county, or a city without counties (e.g. 东莞市). */
export interface PlacementUnit {
  readonly code: string;
  readonly name: string;
  /** The city above the county, or the province for municipalities' districts. */
  readonly parentCode: string;
  readonly parentName: string;
  /** The city a company here registers under: the parent (city or municipality), or the unit itself if a city. */
  readonly cityName: string;
  readonly provinceCode: string;
}

/** Per province, where dealers go and how likely each place is. */
export interface ProvinceGeography {
  readonly code: string;
  readonly short: string;
  readonly population: number;
  readonly units: readonly PlacementUnit[];
  /** Prefix sums of unit weights; a zero-weight unit (a gap) is never picked. */
  readonly cumulative: Float64Array;
}

/**
 * Index the given regions into the 31 provinces' placement units and weights. Urban
 * districts (区) weigh more, so several dealers crowd into them (overlaps), while a quarter of
 * each province's units get weight zero (gaps). Provinces missing from `regions` are left
 * out and the others share their dealers; throws when none of the 31 is present.
 */
export function buildGeography(seed: number, regions: readonly DemoRegion[]): ProvinceGeography[] {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const hasChildren = new Set(regions.map((r) => r.parentCode).filter((c) => c !== null));
  const unitsByProvince = new Map<string, PlacementUnit[]>();
  for (const region of regions) {
    if (hasChildren.has(region.code) || region.level === 'country') continue;
    const province = provinceOf(region, byCode);
    if (!province) continue;
    const parent = (region.parentCode && byCode.get(region.parentCode)) || province;
    const list = unitsByProvince.get(province.code) ?? [];
    list.push({
      code: region.code,
      name: region.name,
      parentCode: parent.code,
      parentName: parent.name,
      cityName: region.level === 'city' ? region.name : parent.name,
      provinceCode: province.code,
    });
    unitsByProvince.set(province.code, list);
  }
  const out: ProvinceGeography[] = [];
  for (const p of PROVINCE_POPULATION) {
    const units = (unitsByProvince.get(p.code) ?? []).sort((a, b) => (a.code < b.code ? -1 : 1));
    if (units.length === 0) continue;
    const weights: number[] = units.map((u) => unitWeight(seed, u));
    if (!weights.some((w) => w > 0)) weights[0] = 1;
    out.push({ ...p, units, cumulative: cumulate(weights) });
  }
  if (out.length === 0) {
    throw new DomainError(
      'validation_failed',
      'The demo channel needs the regions of at least one mainland province (GB/T 2260 codes such as 440000); none were given.',
    );
  }
  return out;
}

function provinceOf(
  region: DemoRegion,
  byCode: ReadonlyMap<string, DemoRegion>,
): DemoRegion | undefined {
  let current: DemoRegion | undefined = region;
  for (let depth = 0; current && depth < 6; depth++) {
    if (current.level === 'province') return current;
    current = current.parentCode ? byCode.get(current.parentCode) : undefined;
  }
  return undefined;
}

function unitWeight(seed: number, unit: PlacementUnit): number {
  const rng = randomFor(seed, STREAM.geography, hashString(unit.code));
  if (rng.chance(GAP_SHARE)) return 0;
  const urban = unit.name.endsWith('区') ? 2.5 : 1;
  // The provincial capital's districts (city code xx01) draw the most distributors.
  const capital = unit.code.slice(2, 4) === '01' ? 1.6 : 1;
  return urban * capital * rng.noise(0.6);
}

/**
 * How many of `total` dealers each province gets: proportional to population with the
 * largest-remainder method, so the counts are exact and deterministic.
 */
export function allocateByPopulation(
  geography: readonly ProvinceGeography[],
  total: number,
): number[] {
  const sum = geography.reduce((s, p) => s + p.population, 0);
  const exact = geography.map((p) => (total * p.population) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((s, c) => s + c, 0);
  const order = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** A placement unit of `province` drawn by weight with the uniform number `r`. */
export function pickUnit(province: ProvinceGeography, r: number): PlacementUnit {
  return province.units[pickWeighted(province.cumulative, r)] as PlacementUnit;
}
