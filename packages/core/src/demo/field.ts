import { complaintText, type ComplaintTopic } from './complaint-texts.js';
import type { Context } from './context.js';
import { outletCode } from './dealers.js';
import { openDuring, outletLives, outletProfiles } from './outlets.js';
import type { DealerPlan } from './plan.js';
import { pickWeighted, randomFor, STREAM } from './random.js';
import type { DemoCampaignExecution, DemoComplaint, DemoOutletVisit } from './types.js';

/**
 * Share of open outlets a dealer's reps visit in window month t. churn_risk dealers' coverage
 * slides from normal to 10% over their last six months.
 */
export function visitRate(plan: DealerPlan, ctx: Context, t: number): number {
  const d = plan.dealer;
  const base = d.chainLevel === 1 ? 0.45 : 0.3;
  switch (d.archetype) {
    case 'steady_leader':
      return 0.85;
    case 'rising_star':
      return 0.6;
    case 'channel_stuffer':
      return 0.4;
    case 'churn_risk': {
      const k = t - (ctx.months - 6);
      return k < 0 ? base : base - ((base - 0.1) * (k + 1)) / 6;
    }
    default:
      return base;
  }
}

/**
 * Outlet visits: each open outlet is visited with the month's rate (leaders often twice). A
 * visit on an outlet's closing day finds it closed; lost outlets of a sudden drop are visited
 * but no longer order.
 */
export function dealerVisits(ctx: Context, plan: DealerPlan): DemoOutletVisit[] {
  const dealer = plan.dealer;
  const lives = outletLives(ctx, dealer);
  const out: DemoOutletVisit[] = [];
  for (let t = plan.startT; t < plan.endT; t++) {
    const rng = randomFor(ctx.seed, STREAM.visits, dealer.index, t);
    const from = Math.max(ctx.monthStart[t] as number, plan.onboardDay);
    const to = (ctx.monthStart[t + 1] as number) - 1;
    const rate = visitRate(plan, ctx, t);
    const label = (ctx.monthLabels[t] ?? '').replace('-', '');
    let seq = 0;
    for (let k = 0; k < dealer.outletCount; k++) {
      const visits = rng.chance(rate)
        ? dealer.archetype === 'steady_leader' && rng.chance(0.3)
          ? 2
          : 1
        : 0;
      const close = lives.closeDay[k] as number;
      const closing = close >= from && close <= to;
      if (!openDuring(lives, k, from, to) && !closing) continue;
      const first = Math.max(from, lives.openDay[k] as number);
      const last = Math.min(to, close - 1);
      const days: { day: number; outcome: DemoOutletVisit['outcome'] }[] = [];
      for (let v = 0; v < visits && first <= last; v++) {
        const lost = plan.dropT >= 0 && t >= plan.dropT && k < plan.lostOutlets;
        const ordered = !lost && rng.chance(dealer.archetype === 'steady_leader' ? 0.7 : 0.55);
        days.push({ day: rng.int(first, last), outcome: ordered ? 'ordered' : 'visited' });
      }
      if (closing) days.push({ day: close, outcome: 'closed' });
      for (const visit of days.sort((x, y) => x.day - y.day)) {
        out.push({
          visitNo: `V-${dealer.code}-${label}-${String(++seq).padStart(3, '0')}`,
          dealerIndex: dealer.index,
          dealerCode: dealer.code,
          outletIndex: dealer.firstOutletIndex + k,
          outletCode: outletCode(dealer.code, k),
          visitedOn: ctx.day(visit.day),
          outcome: visit.outcome,
        });
      }
    }
  }
  return out;
}

/** Complaints a month on average, and which topics they are about, by archetype and month. */
function complaintProfile(
  plan: DealerPlan,
  ctx: Context,
  t: number,
): { rate: number; topics: readonly ComplaintTopic[] } {
  const d = plan.dealer;
  const base = d.chainLevel === 1 ? 0.06 : 0.03;
  const any: readonly ComplaintTopic[] = [
    'logistics_delay',
    'product_quality',
    'pricing',
    'service_attitude',
    'packaging_damage',
    'near_expiry',
    'stock_out',
  ];
  switch (d.archetype) {
    case 'churn_risk':
      return t >= ctx.months - 6
        ? {
            rate: 0.5,
            topics: [
              'service_attitude',
              'service_attitude',
              'logistics_delay',
              'pricing',
              'stock_out',
            ],
          }
        : { rate: base, topics: any };
    case 'channel_stuffer':
      return {
        rate: 0.2,
        topics: ['near_expiry', 'near_expiry', 'pricing', 'pricing', 'packaging_damage'],
      };
    case 'sudden_drop':
      return Math.abs(t - plan.dropT) <= 1
        ? {
            rate: 0.8,
            topics: ['stock_out', 'logistics_delay', 'product_quality', 'product_quality'],
          }
        : { rate: base, topics: any };
    case 'slow_decline':
      return {
        rate: base * 1.5,
        topics: ['pricing', 'pricing', 'service_attitude', 'logistics_delay'],
      };
    default:
      return { rate: base, topics: any };
  }
}

/** Complaints in Chinese about the dealer's market, with outlet and product where known. */
export function dealerComplaints(ctx: Context, plan: DealerPlan): DemoComplaint[] {
  const dealer = plan.dealer;
  const out: DemoComplaint[] = [];
  let outletNames: string[] | undefined;
  for (let t = plan.startT; t < plan.endT; t++) {
    const rng = randomFor(ctx.seed, STREAM.complaints, dealer.index, t);
    const { rate, topics } = complaintProfile(plan, ctx, t);
    const n = rng.poisson(rate);
    const from = Math.max(ctx.monthStart[t] as number, plan.onboardDay);
    const to = (ctx.monthStart[t + 1] as number) - 1;
    for (let k = 0; k < n && from <= to; k++) {
      const topic = rng.pick(topics);
      let slot = pickWeighted(plan.assortmentCdf, rng.next());
      if (topic === 'product_quality' && plan.dropCategory >= 0) {
        // A sudden drop's quality complaints are about the category that collapses.
        const inCategory = Array.from(plan.assortment).findIndex(
          (p) => ctx.productCategory[p] === plan.dropCategory,
        );
        if (inCategory >= 0) slot = inCategory;
      }
      const p = plan.assortment[slot] as number;
      const product = ctx.products[p];
      const outletK =
        dealer.outletCount > 0 && rng.chance(0.6) ? rng.int(0, dealer.outletCount - 1) : null;
      const received = rng.int(from, to);
      const withProduct = rng.chance(0.75) && product !== undefined;
      outletNames ??= outletProfiles(ctx, dealer).map((o) => o.name);
      const outletName = outletK === null ? '终端' : (outletNames[outletK] ?? '门店');
      out.push({
        complaintNo: `CP-${dealer.code}-${(ctx.monthLabels[t] ?? '').replace('-', '')}-${k + 1}`,
        dealerIndex: dealer.index,
        dealerCode: dealer.code,
        outletIndex: outletK === null ? null : dealer.firstOutletIndex + outletK,
        outletCode: outletK === null ? null : outletCode(dealer.code, outletK),
        productIndex: withProduct ? p : null,
        sku: withProduct ? (product?.sku ?? null) : null,
        receivedOn: ctx.day(received),
        topic,
        severity: rng.chance(0.15) ? 3 : rng.chance(0.4) ? 2 : 1,
        body: complaintText(rng, topic, product?.name.split(' ')[0] ?? '产品', outletName),
        status: received < ctx.lastDay - 30 && rng.chance(0.9) ? 'closed' : 'open',
      });
    }
  }
  return out;
}

/** Campaign participation and task completion by archetype (completion falls for churn risks). */
function campaignHabit(
  plan: DealerPlan,
  ctx: Context,
  day: number,
): { join: number; done: readonly [number, number] } {
  const d = plan.dealer;
  switch (d.archetype) {
    case 'steady_leader':
      return { join: 0.98, done: [0.9, 1] };
    case 'rising_star':
      return { join: 0.95, done: [0.85, 1] };
    case 'channel_stuffer':
      return { join: 0.9, done: [0.6, 0.85] };
    case 'slow_decline':
      return { join: 0.7, done: [0.4, 0.75] };
    case 'churn_risk':
      return day >= (ctx.monthStart[Math.max(0, ctx.months - 6)] as number)
        ? { join: 0.5, done: [0.1, 0.4] }
        : { join: 0.7, done: [0.5, 0.85] };
    default:
      return d.chainLevel === 1
        ? { join: 0.9, done: [0.6, 0.95] }
        : { join: 0.55, done: [0.5, 0.9] };
  }
}

/**
 * Execution reports for every campaign that ended inside the window while the dealer was
 * active: 一级 dealers report mid-way and at the end, 二级 only at the end.
 */
export function dealerCampaignExecutions(ctx: Context, plan: DealerPlan): DemoCampaignExecution[] {
  const dealer = plan.dealer;
  const out: DemoCampaignExecution[] = [];
  const activeTo = (ctx.monthStart[plan.endT] as number) - 1;
  for (const info of ctx.campaigns) {
    if (info.endDay > ctx.lastDay || info.startDay < plan.onboardDay || info.endDay > activeTo)
      continue;
    const rng = randomFor(ctx.seed, STREAM.campaigns, dealer.index, info.campaign.index);
    const habit = campaignHabit(plan, ctx, info.endDay);
    if (!rng.chance(habit.join)) continue;
    const reports =
      dealer.chainLevel === 1
        ? [Math.floor((info.startDay + info.endDay) / 2), info.endDay]
        : [info.endDay];
    reports.forEach((day, k) => {
      const planned = rng.int(dealer.chainLevel === 1 ? 8 : 3, dealer.chainLevel === 1 ? 20 : 8);
      const completed = Math.min(
        planned,
        Math.round(planned * rng.between(habit.done[0], habit.done[1])),
      );
      out.push({
        executionNo: `CE-${info.campaign.code}-${dealer.code}-${k + 1}`,
        campaignIndex: info.campaign.index,
        campaignCode: info.campaign.code,
        dealerIndex: dealer.index,
        dealerCode: dealer.code,
        reportedOn: ctx.day(day),
        tasksPlanned: planned,
        tasksCompleted: completed,
      });
    });
  }
  return out;
}
