import { describe, expect, test } from 'vitest';
import { parseDay } from './calendar.js';
import {
  COMPLAINT_TOPICS,
  createDemoChannel,
  DEMO_ARCHETYPES,
  springFestivalMonths,
  type DemoArchetype,
  type DemoDealer,
} from './index.js';
import { testRegions } from './test-regions.js';

// One realistic channel, aggregated once: 1,200 dealers over 2023-2025.
const channel = createDemoChannel({
  dealers: 1200,
  months: 36,
  seed: 42,
  endMonth: '2025-12',
  regions: testRegions(),
});
const L = channel.months.length;
const monthOf = new Map(channel.months.map((m, t) => [m, t]));
const t = (date: string) => monthOf.get(date.slice(0, 7)) ?? -1;

const add = (a: Float64Array | undefined, i: number, v: number) => {
  if (a) a[i] = (a[i] ?? 0) + v;
};
const sales = new Float64Array(L);
const beverages = new Float64Array(L);
const byDealer = channel.dealers.map(() => new Float64Array(L));
const byDealerCategory = new Map<string, Float64Array>();
const lastOrder = new Map<string, string>();
for (const line of channel.orderLines()) {
  const m = t(line.orderedOn);
  const category = channel.products[line.productIndex]?.category ?? '';
  add(sales, m, line.amount);
  if (category === '饮料') add(beverages, m, line.amount);
  add(byDealer[line.dealerIndex], m, line.amount);
  const key = `${line.dealerIndex}/${category}`;
  const series = byDealerCategory.get(key) ?? new Float64Array(L);
  add(series, m, line.amount);
  byDealerCategory.set(key, series);
  if (line.outletCode) lastOrder.set(line.outletCode, line.orderedOn);
}
const sum = (a: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let i = Math.max(0, from); i < to; i++) s += a[i] ?? 0;
  return s;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const of = (a: DemoArchetype) => channel.dealers.filter((d) => d.archetype === a);
const yoy = (d: DemoDealer) =>
  sum(byDealer[d.index] ?? [], L - 12, L) / sum(byDealer[d.index] ?? [], L - 24, L - 12);

describe('seasonality', () => {
  const yearMean = (series: Float64Array, year: number) =>
    mean(channel.months.flatMap((m, i) => (m.startsWith(`${year}-`) ? [series[i] ?? 0] : [])));

  test.each([2024, 2025])('Spring Festival %i: stocking peak before it, slump after it', (year) => {
    const { peakMonth, dipMonth } = springFestivalMonths(year);
    const average = yearMean(sales, year);
    expect((sales[t(peakMonth)] ?? 0) / average).toBeGreaterThan(1.3);
    expect((sales[t(dipMonth)] ?? 0) / average).toBeLessThan(0.75);
  });

  test.each([2023, 2024, 2025])('Double 11 and 618 lift %i above the yearly mean', (year) => {
    const average = yearMean(sales, year);
    expect((sales[t(`${year}-11`)] ?? 0) / average).toBeGreaterThan(1.25);
    expect((sales[t(`${year}-06`)] ?? 0) / average).toBeGreaterThan(1.05);
  });

  test('beverages sell more in summer than in spring', () => {
    for (const year of [2023, 2024, 2025]) {
      const summer = sum(beverages, t(`${year}-06`), t(`${year}-08`) + 1);
      const spring = sum(beverages, t(`${year}-03`), t(`${year}-05`) + 1);
      expect(summer / spring).toBeGreaterThan(1.3);
    }
  });
});

describe('archetypes', () => {
  test('every archetype is present, and never shown as a tag', () => {
    for (const a of DEMO_ARCHETYPES) expect(of(a).length).toBeGreaterThan(0);
    for (const d of channel.dealers)
      expect(d.tags.some((t) => t.includes(d.archetype))).toBe(false);
    expect(of('steady').length).toBeGreaterThan(channel.dealers.length / 2);
  });

  test('rising stars sell far more in their last six months than in their first six', () => {
    for (const d of of('rising_star')) {
      const series = byDealer[d.index] ?? [];
      expect(sum(series, L - 6, L)).toBeGreaterThan(1.3 * sum(series, 0, 6));
    }
  });

  test('sudden drops lose ~40% from their drop month, mostly in one category and lost outlets', () => {
    for (const d of of('sudden_drop')) {
      const { dropMonth = '', dropCategory = '', lostOutletCodes = [] } = d.scenario;
      const drop = t(`${dropMonth}-01`);
      expect(drop).toBeGreaterThanOrEqual(L - 6);
      const series = byDealer[d.index] ?? [];
      const before = sum(series, drop - 3, drop) / 3;
      const after = sum(series, drop, L) / (L - drop);
      expect(after / before).toBeLessThan(0.72);
      const category = byDealerCategory.get(`${d.index}/${dropCategory}`) ?? [];
      const categoryLoss = sum(category, drop - 3, drop) / 3 - sum(category, drop, L) / (L - drop);
      expect(categoryLoss / (before - after)).toBeGreaterThan(0.5);
      for (const code of lostOutletCodes)
        expect((lastOrder.get(code) ?? '') < dropMonth).toBe(true);
    }
  });

  test('slow decliners lose year on year where steady dealers do not', () => {
    const steady = median(of('steady').map(yoy));
    const declining = of('slow_decline').map(yoy);
    expect(median(declining)).toBeLessThan(steady - 0.08);
    expect(declining.filter((r) => r < steady).length / declining.length).toBeGreaterThan(0.85);
  });

  test('channel stuffers pile up stock, much of it near expiry, and pay late', () => {
    const stock = { stuffer: { all: 0, near: 0 }, other: { all: 0, near: 0 } };
    const stufferQty = new Float64Array(L);
    for (const s of channel.inventorySnapshots()) {
      const isStuffer = channel.dealers[s.dealerIndex]?.archetype === 'channel_stuffer';
      const bucket = isStuffer ? stock.stuffer : stock.other;
      const shelf = channel.products[s.productIndex]?.shelfLifeDays ?? 0;
      bucket.all += s.quantity;
      if (s.expiresOn && (parseDay(s.expiresOn) - parseDay(s.snapshotOn)) * 3 <= shelf)
        bucket.near += s.quantity;
      if (isStuffer) add(stufferQty, t(s.snapshotOn), s.quantity);
    }
    const stufferNear = stock.stuffer.near / stock.stuffer.all;
    expect(stufferNear).toBeGreaterThan(0.3);
    expect(stufferNear).toBeGreaterThan(5 * (stock.other.near / stock.other.all));
    expect(sum(stufferQty, L - 3, L)).toBeGreaterThan(1.5 * sum(stufferQty, 0, 3));
    expect(mean(delays('channel_stuffer', 0))).toBeGreaterThan(30);
    expect(mean(delays('steady', 0))).toBeLessThan(10);
  });

  test('churn risks: later payments, fewer visits, more complaints in their last six months', () => {
    expect(mean(delays('churn_risk', L - 6))).toBeGreaterThan(mean(delays('steady', L - 6)) + 15);
    const visits = new Float64Array(L);
    for (const v of channel.outletVisits()) {
      if (channel.dealers[v.dealerIndex]?.archetype === 'churn_risk')
        add(visits, t(v.visitedOn), 1);
    }
    expect(sum(visits, L - 3, L)).toBeLessThan(0.6 * sum(visits, L - 12, L - 9));
    const complaintsPerDealer = (a: DemoArchetype) =>
      [...channel.complaints()].filter(
        (c) => channel.dealers[c.dealerIndex]?.archetype === a && t(c.receivedOn) >= L - 6,
      ).length / of(a).length;
    expect(complaintsPerDealer('churn_risk')).toBeGreaterThan(4 * complaintsPerDealer('steady'));
  });

  test('new entrants are onboarded inside the window and have no facts before', () => {
    for (const d of of('new_entrant')) {
      expect(d.onboardedOn >= `${channel.firstMonth}-01`).toBe(true);
      const first = [...channel.orderLines({ from: d.index, to: d.index + 1 })][0];
      expect(first && first.orderedOn >= d.onboardedOn).toBe(true);
    }
  });

  test('steady leaders are large 一级 dealers', () => {
    const typical = median(of('steady').map((d) => sum(byDealer[d.index] ?? [], 0, L)));
    for (const d of of('steady_leader')) {
      expect(d.chainLevel).toBe(1);
      expect(sum(byDealer[d.index] ?? [], 0, L)).toBeGreaterThan(3 * typical);
    }
  });

  test('targets are near what steady dealers sell and beaten by rising stars only', () => {
    const achievement = (a: DemoArchetype) => {
      const targets = new Map(
        [...channel.targets()].map((x) => [`${x.dealerIndex}/${x.month}`, x.amount]),
      );
      return median(
        of(a).flatMap((d) =>
          channel.months.flatMap((m, i) => {
            const target = targets.get(`${d.index}/${m}-01`);
            return target ? [(byDealer[d.index]?.[i] ?? 0) / target] : [];
          }),
        ),
      );
    };
    expect(achievement('steady')).toBeGreaterThan(0.85);
    expect(achievement('steady')).toBeLessThan(1.15);
    expect(achievement('rising_star')).toBeGreaterThan(1.2);
  });
});

describe('feedback and compliance', () => {
  test('complaints cover every topic in Chinese text', () => {
    const complaints = [...channel.complaints()];
    expect(new Set(complaints.map((c) => c.topic))).toEqual(new Set(Object.keys(COMPLAINT_TOPICS)));
    expect(complaints.every((c) => (c.body.match(/[\u4e00-\u9fff]/g) ?? []).length >= 10)).toBe(
      true,
    );
  });

  test('compliance events of every kind, 窜货 concentrated among stuffers', () => {
    const events = [...channel.complianceEvents()];
    const kinds = new Set(events.map((e) => e.kind));
    expect(kinds).toEqual(
      new Set([
        'cross_region_selling',
        'price_violation',
        'qualification_missing',
        'qualification_expired',
      ]),
    );
    const perDealer = (a: DemoArchetype) =>
      events.filter(
        (e) => e.kind === 'cross_region_selling' && channel.dealers[e.dealerIndex]?.archetype === a,
      ).length / of(a).length;
    expect(perDealer('channel_stuffer')).toBeGreaterThan(10 * perDealer('steady'));
  });

  test('some food licences expire within 60 days after the window, for alerts to find', () => {
    const end = parseDay(channel.lastDay);
    const soon = [...channel.qualifications()].filter(
      (q) => q.expiresOn && parseDay(q.expiresOn) > end && parseDay(q.expiresOn) <= end + 60,
    );
    expect(soon.length).toBeGreaterThan(channel.dealers.length * 0.03);
  });
});

/** Days between due date and payment, for invoices issued from window month `from` on. */
function delays(a: DemoArchetype, from: number): number[] {
  const due = new Map<string, string>();
  for (const i of channel.invoices()) {
    if (channel.dealers[i.dealerIndex]?.archetype === a && t(i.issuedOn) >= from)
      due.set(i.invoiceNo, i.dueOn);
  }
  const out: number[] = [];
  for (const p of channel.payments()) {
    const dueOn = due.get(p.invoiceNo);
    if (dueOn) out.push(parseDay(p.paidOn) - parseDay(dueOn));
  }
  return out;
}
