import { CATEGORIES } from './catalogue.js';
import type { Context } from './context.js';
import { allocateByPopulation, pickUnit, type ProvinceGeography } from './geography.js';
import { companyNames, contactRole, mobile, personName } from './names.js';
import { categoryWeights, dropMonthOf, topCategory } from './plan.js';
import { randomFor, STREAM } from './random.js';
import type { DemoArchetype, DemoContact, DemoDealer, DemoScenario } from './types.js';

/**
 * Share of dealers per archetype; `steady` takes the rest. With at least 8 dealers every
 * archetype gets at least one dealer, so even a tiny demo has something to find.
 */
export const ARCHETYPE_SHARES: Readonly<Record<Exclude<DemoArchetype, 'steady'>, number>> = {
  steady_leader: 0.05,
  rising_star: 0.07,
  slow_decline: 0.08,
  sudden_drop: 0.05,
  channel_stuffer: 0.04,
  new_entrant: 0.08,
  churn_risk: 0.06,
};

/** Channel types (渠道类型) with their Chinese labels and their tags. */
export const CHANNEL_TYPES: readonly { type: string; label: string; tag: string }[] = [
  { type: 'wholesale', label: '批发流通', tag: '批发市场' },
  { type: 'modern_trade', label: '现代商超', tag: 'KA' },
  { type: 'catering', label: '餐饮', tag: '餐饮' },
  { type: 'community_group', label: '社区团购', tag: '社区团购' },
  { type: 'ecommerce', label: '电商', tag: '电商' },
  { type: 'convenience', label: '便利系统', tag: '便利店' },
];
const LEVEL1_CHANNELS = [45, 20, 15, 8, 7, 5];
const LEVEL2_CHANNELS = [50, 5, 20, 12, 3, 10];

// Shared per archetype rather than built per dealer: a large channel holds 100,000 dealers.
const ARCHETYPES: readonly DemoArchetype[] = [
  'steady',
  ...(Object.keys(ARCHETYPE_SHARES) as DemoArchetype[]),
];
const PLAIN_SCENARIO = Object.fromEntries(
  ARCHETYPES.map((a) => [a, Object.freeze({ archetype: a })]),
) as Record<DemoArchetype, DemoScenario>;

/** Share of 一级 dealers among those not forced to a level. */
const LEVEL1_SHARE = 0.2;

/**
 * Generate the dealers: provinces by population, counties by weight (leaving gaps and
 * crowding districts), archetypes by quota, 一级 dealers first in each province so that every
 * 二级 dealer has a parent in its province (same city when one exists there).
 */
export function buildDealers(
  ctx: Context,
  geography: readonly ProvinceGeography[],
  count: number,
): DemoDealer[] {
  const rng = randomFor(ctx.seed, STREAM.dealerMaster, 0);
  const provinceCounts = allocateByPopulation(geography, count);
  const provinceOf = rng.shuffle(
    provinceCounts.flatMap((n, p) => Array.from({ length: n }, () => p)),
  );
  const archetypes = assignArchetypes(ctx.seed, count);

  const seenProvince = new Set<number>();
  const level = archetypes.map((a, i) => {
    const p = provinceOf[i] as number;
    const first = !seenProvince.has(p);
    seenProvince.add(p);
    const r = randomFor(ctx.seed, STREAM.dealerMaster, 1, i);
    if (first || a === 'steady_leader') return 1;
    const share = a === 'channel_stuffer' || a === 'sudden_drop' ? 0.7 : LEVEL1_SHARE;
    return r.chance(share) ? 1 : 2;
  });

  const units = provinceOf.map((p, i) =>
    pickUnit(
      geography[p] as ProvinceGeography,
      randomFor(ctx.seed, STREAM.dealerMaster, 2, i).next(),
    ),
  );
  const level1ByCity = new Map<string, number[]>();
  const level1ByProvince = new Map<number, number[]>();
  level.forEach((l, i) => {
    if (l !== 1) return;
    const unit = units[i];
    if (!unit) return;
    const city = level1ByCity.get(unit.parentCode) ?? [];
    if (city.length === 0) level1ByCity.set(unit.parentCode, city);
    city.push(i);
    const p = provinceOf[i] as number;
    const province = level1ByProvince.get(p) ?? [];
    if (province.length === 0) level1ByProvince.set(p, province);
    province.push(i);
  });

  const dealers: DemoDealer[] = [];
  let nextOutlet = 0;
  for (let i = 0; i < count; i++) {
    const r = randomFor(ctx.seed, STREAM.dealerMaster, 3, i);
    const a = archetypes[i] as DemoArchetype;
    const unit = units[i];
    const p = provinceOf[i] as number;
    if (!unit) throw new Error('unreachable: every dealer has a unit');
    const chainLevel = level[i] === 1 ? 1 : 2;
    let parentIndex: number | null = null;
    if (chainLevel === 2) {
      const candidates = level1ByCity.get(unit.parentCode) ?? level1ByProvince.get(p) ?? [];
      parentIndex = r.pick(candidates);
    }
    const channel =
      CHANNEL_TYPES[pickIndex(r.next(), chainLevel === 1 ? LEVEL1_CHANNELS : LEVEL2_CHANNELS)] ??
      CHANNEL_TYPES[0];
    const names = companyNames(r, unit.cityName, unit.name, chainLevel === 2);
    const outletCount =
      a === 'steady_leader' ? r.int(25, 40) : chainLevel === 1 ? r.int(10, 22) : r.int(3, 8);
    const onboard = onboardingDay(ctx, r, a);
    const status = dealerStatus(r, a);
    const code = dealerCode(i);
    const contacts = buildContacts(r, chainLevel);
    // The archetype is ground truth for tests, not master data: it is not a tag.
    const tags = [channel?.tag ?? '批发市场'];
    if (!unit.name.endsWith('区')) tags.push('县域');
    if (r.chance(0.1)) tags.push('冷链');
    if (onboard < (ctx.monthStart[0] as number) - 5 * 365) tags.push('老客户');
    if (a === 'steady_leader') tags.push('重点客户');
    dealers.push({
      index: i,
      code,
      name: names.name,
      legalEntity: names.legalEntity,
      chainLevel,
      parentIndex,
      parentCode: parentIndex === null ? null : dealerCode(parentIndex),
      channelType: channel?.type ?? 'wholesale',
      regionCode: unit.code,
      provinceCode: unit.provinceCode,
      status,
      onboardedOn: ctx.day(onboard),
      contacts,
      tags,
      archetype: a,
      scenario: scenarioOf(ctx, i, code, a, channel?.type ?? 'wholesale', outletCount),
      firstOutletIndex: nextOutlet,
      outletCount,
    });
    nextOutlet += outletCount;
  }
  return dealers;
}

/** 'DL000001' for index 0; six digits at least. */
export function dealerCode(index: number): string {
  return `DL${String(index + 1).padStart(6, '0')}`;
}

function assignArchetypes(seed: number, count: number): DemoArchetype[] {
  const out: DemoArchetype[] = [];
  for (const [name, share] of Object.entries(ARCHETYPE_SHARES)) {
    const n = count >= 8 ? Math.max(1, Math.round(count * share)) : Math.round(count * share);
    for (let k = 0; k < n && out.length < count; k++) out.push(name as DemoArchetype);
  }
  while (out.length < count) out.push('steady');
  return randomFor(seed, STREAM.archetypes).shuffle(out);
}

function pickIndex(r: number, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i] ?? 0;
    if (r * total < acc) return i;
  }
  return weights.length - 1;
}

function onboardingDay(ctx: Context, r: ReturnType<typeof randomFor>, a: DemoArchetype): number {
  const windowStart = ctx.monthStart[0] as number;
  if (a === 'new_entrant') {
    // Inside the window, leaving at least two months of facts where the window allows it.
    const lastT = Math.max(0, ctx.months - 3);
    const t = ctx.months > 1 ? r.int(Math.min(1, lastT), lastT) : 0;
    const from = ctx.monthStart[t] as number;
    return from + r.int(0, 20);
  }
  if (a === 'rising_star') return windowStart - r.int(120, 1000);
  return windowStart - r.int(400, 4400);
}

function dealerStatus(r: ReturnType<typeof randomFor>, a: DemoArchetype): DemoDealer['status'] {
  if (a === 'churn_risk') return r.chance(0.5) ? 'probation' : 'active';
  if (a !== 'steady') return 'active';
  const x = r.next();
  return x < 0.01 ? 'suspended' : x < 0.02 ? 'terminated' : 'active';
}

function buildContacts(r: ReturnType<typeof randomFor>, level: 1 | 2): DemoContact[] {
  const owner: DemoContact = { name: personName(r), role: '总经理', phone: mobile(r) };
  const second: DemoContact = {
    name: personName(r),
    role: contactRole(r, '总经理'),
    phone: mobile(r),
  };
  if (level === 2) return [owner, second];
  const pinyin = ['sales', 'caigou', 'finance', 'service'][r.int(0, 3)] ?? 'sales';
  return [
    owner,
    second,
    {
      name: personName(r),
      role: '财务',
      phone: mobile(r),
      email: `${pinyin}${r.int(10, 999)}@example.cn`,
    },
  ];
}

function scenarioOf(
  ctx: Context,
  index: number,
  code: string,
  a: DemoArchetype,
  channelType: string,
  outletCount: number,
): DemoScenario {
  if (a !== 'sudden_drop') return PLAIN_SCENARIO[a];
  // The same draws as planDealer, so the scenario states exactly what the facts show.
  const dropT = dropMonthOf(randomFor(ctx.seed, STREAM.plan, index, 2), ctx.months);
  const top = topCategory(categoryWeights(ctx.seed, index, channelType, a));
  const lost = Math.min(3, Math.max(1, Math.floor(outletCount / 4)));
  return {
    archetype: a,
    dropMonth: ctx.monthLabels[dropT] ?? ctx.monthLabels[0] ?? '',
    dropCategory: CATEGORIES[top]?.name ?? '',
    lostOutletCodes: Array.from({ length: lost }, (_, k) => outletCode(code, k)),
  };
}

/** Outlet code: the dealer's code and a 3-digit number, e.g. DL000123-T007 for the 7th. */
export function outletCode(dealerCode: string, k: number): string {
  return `${dealerCode}-T${String(k + 1).padStart(3, '0')}`;
}
