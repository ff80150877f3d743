import { civilDate, dayNumber } from './calendar.js';
import type { Context } from './context.js';
import { PROVINCE_POPULATION } from './geography.js';
import type { DealerPlan } from './plan.js';
import { pickWeighted, randomFor, STREAM, type Random } from './random.js';
import type { DemoComplianceEvent, DemoQualification } from './types.js';

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * A unified social credit code (统一社会信用代码, GB 32100-2015) for a company registered in
 * `regionCode`: '91' (enterprise), the 6-digit region, a 9-character organisation code with
 * its GB 11714 check character, and the final check character. Valid by both checksums.
 */
export function creditCode(rng: Random, regionCode: string): string {
  const org = Array.from({ length: 8 }, () => rng.int(0, 9));
  const orgSum = org.reduce((s, v, i) => s + v * (ORG_WEIGHTS[i] ?? 0), 0);
  const orgCheck = 11 - (orgSum % 11);
  const body = `91${regionCode.padEnd(6, '0').slice(0, 6)}${org.join('')}${orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : orgCheck}`;
  const sum = [...body].reduce(
    (s, ch, i) => s + USCC_CHARS.indexOf(ch) * (USCC_WEIGHTS[i] ?? 0),
    0,
  );
  return body + (USCC_CHARS[(31 - (sum % 31)) % 31] ?? '0');
}

/** The same calendar date `years` later, minus one day: the last day of a licence's validity. */
function validUntil(issued: number, years: number): number {
  const { year, month, day } = civilDate(issued);
  return dayNumber(year + years, month, day) - 1;
}

/**
 * A dealer's licences and the compliance events they cause. The business licence (营业执照)
 * rarely expires; the food business licence (食品经营许可证) lasts five years and is renewed
 * shortly before expiry, except that some dealers renew late (an expired-qualification event
 * until renewal), some have a licence expiring within 60 days after the window (to alert on),
 * and a few never had one (a missing-qualification event). churn_risk dealers slip more often.
 */
export function dealerQualifications(
  ctx: Context,
  plan: DealerPlan,
): { qualifications: DemoQualification[]; events: DemoComplianceEvent[] } {
  const dealer = plan.dealer;
  const rng = randomFor(ctx.seed, STREAM.qualifications, dealer.index);
  const ref = { dealerIndex: dealer.index, dealerCode: dealer.code };
  const windowStart = ctx.monthStart[0] as number;
  const qualifications: DemoQualification[] = [];
  const events: DemoComplianceEvent[] = [];
  const registered = plan.onboardDay - rng.int(30, 900);
  qualifications.push({
    ...ref,
    kind: 'business_licence',
    number: creditCode(rng, dealer.regionCode),
    issuedOn: ctx.day(registered),
    expiresOn: rng.chance(0.7) ? null : ctx.day(validUntil(registered, 20)),
  });
  const churn = dealer.archetype === 'churn_risk';
  const fate = rng.next();
  const missing = fate < (churn ? 0.08 : 0.015);
  const lapses = !missing && fate < (churn ? 0.25 : 0.045);
  const expiringSoon = !missing && !lapses && fate < (churn ? 0.33 : 0.1);
  if (missing) {
    const day = Math.max(plan.onboardDay + 30, windowStart + rng.int(0, 60));
    if (day <= ctx.lastDay) {
      events.push({
        ...ref,
        eventNo: `CPL-${dealer.code}-Q1`,
        occurredOn: ctx.day(day),
        kind: 'qualification_missing',
        severity: 3,
        description: '未提供有效的食品经营许可证，暂停新品配货，限期补交。',
        resolvedOn:
          rng.chance(0.5) && day + 45 <= ctx.lastDay ? ctx.day(day + rng.int(15, 45)) : null,
      });
    }
    return { qualifications, events };
  }
  // Anchor the licence chain so that one licence expires where the dealer's fate needs it;
  // licences before the anchor follow each other seamlessly.
  let issued = plan.onboardDay - rng.int(0, 200);
  let anchor = -Infinity;
  if (expiringSoon || lapses) {
    const expiry = expiringSoon
      ? ctx.lastDay + rng.int(5, 60)
      : windowStart + rng.int(0, Math.max(0, ctx.lastDay - windowStart - 10));
    anchor = validUntil(expiry + 1, -5) + 1;
    issued = anchor;
    while (issued - 5 * 365 > plan.onboardDay - 200) issued = validUntil(issued, -5) + 1;
  }
  const serial = rng.int(100_000, 899_999);
  for (let k = 1; issued <= ctx.lastDay; k++) {
    const expires = validUntil(issued, 5);
    qualifications.push({
      ...ref,
      kind: 'food_business_licence',
      number: `JY1${dealer.regionCode.slice(0, 6)}${serial + k}${(serial + k) % 10}`,
      issuedOn: ctx.day(issued),
      expiresOn: ctx.day(expires),
    });
    if (issued === anchor && expiringSoon) break;
    if (issued === anchor && lapses) {
      const renewed = expires + rng.int(20, 90);
      events.push({
        ...ref,
        eventNo: `CPL-${dealer.code}-Q${k}`,
        occurredOn: ctx.day(expires + 1),
        kind: 'qualification_expired',
        severity: 2,
        description: '食品经营许可证已过期，未按期换证，暂停发货直至换证。',
        resolvedOn: renewed <= ctx.lastDay ? ctx.day(renewed) : null,
      });
      issued = renewed;
    } else {
      issued = issued < anchor ? expires + 1 : expires - rng.int(10, 40);
    }
  }
  return { qualifications, events };
}

/** Monthly odds of 窜货 and of price violations, by archetype. */
function monthlyRisk(plan: DealerPlan, t: number): { crossRegion: number; price: number } {
  switch (plan.dealer.archetype) {
    case 'steady_leader':
      return { crossRegion: 0, price: 0 };
    case 'channel_stuffer':
      return { crossRegion: 0.12, price: 0.08 };
    case 'churn_risk':
      return { crossRegion: 0.02, price: 0.02 };
    case 'sudden_drop':
      return { crossRegion: 0.01, price: t >= plan.dropT ? 0.05 : 0.02 };
    default:
      return { crossRegion: 0.003, price: 0.004 };
  }
}

/**
 * Cross-region selling (窜货) and price violations (乱价) found in the market. Stuffers dump
 * their excess stock outside their territory and below the price floor, so they carry most of
 * these events.
 */
export function dealerMarketEvents(ctx: Context, plan: DealerPlan): DemoComplianceEvent[] {
  const dealer = plan.dealer;
  const province = PROVINCE_POPULATION.find((p) => p.code === dealer.provinceCode)?.short ?? '';
  const out: DemoComplianceEvent[] = [];
  for (let t = plan.startT; t < plan.endT; t++) {
    const rng = randomFor(ctx.seed, STREAM.compliance, dealer.index, t);
    const risk = monthlyRisk(plan, t);
    const from = Math.max(ctx.monthStart[t] as number, plan.onboardDay);
    const to = (ctx.monthStart[t + 1] as number) - 1;
    const label = (ctx.monthLabels[t] ?? '').replace('-', '');
    let seq = 0;
    for (const kind of ['cross_region_selling', 'price_violation'] as const) {
      if (!rng.chance(kind === 'cross_region_selling' ? risk.crossRegion : risk.price) || from > to)
        continue;
      const day = rng.int(from, to);
      const product =
        ctx.products[plan.assortment[pickWeighted(plan.assortmentCdf, rng.next())] as number];
      const name = product?.name.split(' ')[0] ?? '产品';
      out.push({
        eventNo: `CPL-${dealer.code}-${label}-${++seq}`,
        dealerIndex: dealer.index,
        dealerCode: dealer.code,
        occurredOn: ctx.day(day),
        kind,
        severity:
          kind === 'cross_region_selling' ? (rng.chance(0.4) ? 3 : 2) : rng.chance(0.3) ? 2 : 1,
        description:
          kind === 'cross_region_selling'
            ? `在${province}授权区域外的市场发现该经销商供应的${name}（批号 B${label.slice(2)}${rng.int(10, 99)}），属跨区域窜货。`
            : `${name}在终端以低于最低限价${rng.int(5, 25)}%的价格销售，扰乱区域价格体系。`,
        resolvedOn:
          rng.chance(0.8) && day + 45 <= ctx.lastDay ? ctx.day(day + rng.int(5, 45)) : null,
      });
    }
  }
  return out;
}
