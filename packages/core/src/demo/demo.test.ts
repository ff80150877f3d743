import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DomainError } from '../domain-error.js';
import { createDemoChannel, DEMO_CATEGORIES, type DemoChannel, type DemoOptions } from './index.js';
import { testRegions } from './test-regions.js';

const regions = testRegions();
const options = (over: Partial<DemoOptions> = {}): DemoOptions => ({
  dealers: 120,
  months: 18,
  seed: 42,
  endMonth: '2025-06',
  regions,
  ...over,
});

const STREAMS = [
  'outlets',
  'orderLines',
  'invoices',
  'payments',
  'targets',
  'inventorySnapshots',
  'outletVisits',
  'complaints',
  'complianceEvents',
  'qualifications',
  'campaignExecutions',
] as const;

/** FNV-1a over the JSON of every master row and every streamed row, in order. */
function fingerprint(channel: DemoChannel): string {
  let h = 0x811c9dc5;
  let rows = 0;
  const feed = (value: unknown) => {
    const text = JSON.stringify(value);
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    rows++;
  };
  [channel.products, channel.dealers, channel.campaigns].forEach((list) => list.forEach(feed));
  for (const name of STREAMS) for (const row of channel[name]()) feed(row);
  return `${(h >>> 0).toString(16)}:${rows}`;
}

describe('determinism', () => {
  test('the same options give the same rows, a different seed different ones', () => {
    const a = fingerprint(createDemoChannel(options()));
    expect(fingerprint(createDemoChannel(options()))).toBe(a);
    expect(fingerprint(createDemoChannel(options({ seed: 43 })))).not.toBe(a);
  });

  test('a dealer’s facts do not depend on what was generated before them', () => {
    const channel = createDemoChannel(options());
    const whole = [...channel.orderLines()];
    const shards = [
      ...channel.orderLines({ from: 0, to: 50 }),
      ...channel.orderLines({ from: 50, to: 120 }),
    ];
    expect(shards).toEqual(whole);
    // Iterating a stream a second time, or another stream in between, changes nothing.
    expect([...channel.payments()].length).toBeGreaterThan(0);
    const again = [...channel.orderLines({ from: 50, to: 51 })];
    expect(again).toEqual(whole.filter((l) => l.dealerIndex === 50));
    expect(again.length).toBeGreaterThan(0);
  });
});

describe('invariants for any options', () => {
  const smallOptions = fc.record({
    dealers: fc.integer({ min: 1, max: 40 }),
    months: fc.integer({ min: 1, max: 15 }),
    seed: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }),
    endMonth: fc
      .tuple(fc.integer({ min: 2017, max: 2035 }), fc.integer({ min: 1, max: 12 }))
      .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
  });

  test('amounts are whole fen and equal quantity × unit price; dates stay in the window', () => {
    fc.assert(
      fc.property(smallOptions, (o) => {
        const channel = createDemoChannel({ ...o, regions });
        const first = `${channel.firstMonth}-01`;
        const onboarded = channel.dealers.map((d) => d.onboardedOn);
        for (const line of channel.orderLines()) {
          expect(Number.isSafeInteger(line.quantity) && line.quantity >= 1).toBe(true);
          expect(Number.isSafeInteger(line.unitPrice) && line.unitPrice > 0).toBe(true);
          expect(line.amount).toBe(line.quantity * line.unitPrice);
          expect(line.orderedOn >= first && line.orderedOn <= channel.lastDay).toBe(true);
          expect(line.orderedOn >= (onboarded[line.dealerIndex] ?? '')).toBe(true);
        }
        for (const p of channel.payments()) {
          expect(Number.isSafeInteger(p.amount) && p.amount > 0).toBe(true);
          expect(p.paidOn <= channel.lastDay).toBe(true);
        }
      }),
      { numRuns: 15 },
    );
  });

  test('every 二级 dealer’s parent is a 一级 dealer in the same province', () => {
    fc.assert(
      fc.property(smallOptions, (o) => {
        const { dealers } = createDemoChannel({ ...o, regions });
        for (const d of dealers) {
          if (d.chainLevel === 1) {
            expect(d.parentIndex).toBeNull();
            continue;
          }
          const parent = dealers[d.parentIndex ?? -1];
          expect(parent?.chainLevel).toBe(1);
          expect(parent?.provinceCode).toBe(d.provinceCode);
          expect(d.parentCode).toBe(parent?.code);
        }
      }),
      { numRuns: 40 },
    );
  });

  test('external keys are unique and payments never exceed their invoice', () => {
    const channel = createDemoChannel(options({ dealers: 200, months: 24, seed: 7 }));
    const unique = (keys: string[]) => expect(new Set(keys).size).toBe(keys.length);
    unique([...channel.orderLines()].map((l) => `${l.orderNo}/${l.lineNo}`));
    unique([...channel.outlets()].map((o) => o.code));
    unique([...channel.outletVisits()].map((v) => v.visitNo));
    unique([...channel.complaints()].map((c) => c.complaintNo));
    unique([...channel.complianceEvents()].map((e) => e.eventNo));
    unique([...channel.campaignExecutions()].map((e) => e.executionNo));
    unique([...channel.qualifications()].map((q) => `${q.dealerCode}/${q.kind}/${q.number}`));
    unique(
      [...channel.inventorySnapshots()].map(
        (s) => `${s.dealerCode}/${s.sku}/${s.snapshotOn}/${s.batchNo}`,
      ),
    );
    const invoices = new Map([...channel.invoices()].map((i) => [i.invoiceNo, i.amount]));
    unique([...channel.payments()].map((p) => p.paymentNo));
    const paid = new Map<string, number>();
    for (const p of channel.payments())
      paid.set(p.invoiceNo, (paid.get(p.invoiceNo) ?? 0) + p.amount);
    for (const [invoiceNo, amount] of paid)
      expect(amount).toBeLessThanOrEqual(invoices.get(invoiceNo) ?? -1);
    // Outlet indexes are dense and match the dealers' ranges.
    const outlets = [...channel.outlets()];
    expect(outlets.map((o) => o.index)).toEqual(outlets.map((_, i) => i));
    expect(outlets.length).toBe(channel.outletCount);
  });
});

describe('shape of the channel', () => {
  const channel = createDemoChannel(options({ dealers: 1200, months: 36, endMonth: '2025-12' }));

  test('about 150 SKUs in 8 categories, some launched inside the window', () => {
    expect(channel.products.length).toBeGreaterThanOrEqual(140);
    expect(channel.products.length).toBeLessThanOrEqual(160);
    expect(new Set(channel.products.map((p) => p.category)).size).toBe(DEMO_CATEGORIES.length);
    const fresh = channel.products.filter((p) => p.launchedOn >= `${channel.firstMonth}-01`);
    expect(fresh.length).toBeGreaterThanOrEqual(8);
    expect(fresh.every((p) => p.isNew)).toBe(true);
  });

  test('about 10 order lines per dealer-month and 25-30% 一级 dealers', () => {
    const lines = channel.dealers.reduce(
      (n, d) => n + [...channel.orderLines({ from: d.index, to: d.index + 1 })].length,
      0,
    );
    expect(lines).toBeGreaterThan(380_000);
    expect(lines).toBeLessThan(520_000);
    const level1 =
      channel.dealers.filter((d) => d.chainLevel === 1).length / channel.dealers.length;
    expect(level1).toBeGreaterThanOrEqual(0.25);
    expect(level1).toBeLessThanOrEqual(0.3);
  });

  test('dealers follow population: Guangdong, Shandong, Henan outnumber Tibet, Qinghai, Ningxia', () => {
    const count = (code: string) => channel.dealers.filter((d) => d.provinceCode === code).length;
    const big = ['440000', '370000', '410000'].map(count);
    const small = ['540000', '630000', '640000'].map(count);
    expect(Math.min(...big)).toBeGreaterThan(5 * Math.max(...small));
    expect(new Set(channel.dealers.map((d) => d.provinceCode)).size).toBe(31);
  });

  test('coverage has gaps (counties without a dealer) and overlaps (several in one county)', () => {
    const perCounty = new Map<string, number>();
    for (const d of channel.dealers)
      perCounty.set(d.regionCode, (perCounty.get(d.regionCode) ?? 0) + 1);
    const counties = regions.filter((r) => r.level === 'county');
    const gaps = counties.filter((c) => !perCounty.has(c.code));
    expect(gaps.length).toBeGreaterThan(counties.length * 0.15);
    expect([...perCounty.values()].filter((n) => n >= 3).length).toBeGreaterThan(50);
    // Every dealer sits in a leaf region that exists.
    expect(channel.dealers.every((d) => counties.some((c) => c.code === d.regionCode))).toBe(true);
  });

  test('only the provinces present in the regions get dealers', () => {
    const guangdong = regions.filter((r) => r.code === 'CN' || r.code.startsWith('44'));
    const small = createDemoChannel(options({ dealers: 30, regions: guangdong }));
    expect(small.dealers.every((d) => d.provinceCode === '440000')).toBe(true);
  });
});

describe('validation', () => {
  test.each([
    ['no dealers', { dealers: 0 }, 'dealers'],
    ['fractional dealers', { dealers: 1.5 }, 'dealers'],
    ['no months', { months: 0 }, 'months'],
    ['a seed that is not an integer', { seed: 0.5 }, 'seed'],
    ['a malformed end month', { endMonth: '2025-13' }, 'endMonth'],
    ['a window before 2015', { endMonth: '2015-06', months: 12 }, 'endMonth'],
    ['a window after 2035', { endMonth: '2036-01' }, 'endMonth'],
    ['no mainland province in the regions', { regions: [] }, undefined],
  ])('rejects %s', (_, over, field) => {
    const attempt = () => createDemoChannel(options(over));
    expect(attempt).toThrow(DomainError);
    try {
      attempt();
    } catch (error) {
      expect((error as DomainError).code).toBe('validation_failed');
      if (field) expect((error as DomainError).details?.['field']).toBe(field);
    }
  });
});
