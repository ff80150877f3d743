import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDemoChannel, type AlertDiagnosis, type DemoChannel } from '@tierline/core';
import type { AlertEvaluation } from '@tierline/contract';
import { readRegions } from '../demo/demo.repository.js';
import { loadDemo } from '../demo/demo.service.js';
import { createTestStore, unique, type TestStore } from '../test/test-store.js';
import { evaluateAlerts } from './alert-evaluation.service.js';
import { seedDemoAlerts } from './alert-seed.js';

/**
 * The alerts engine over a loaded demo channel (docs/demo-channel.md): the default rules, the
 * archetypes' ground truth from the generator, and diagnoses checked against the raw facts.
 */
const OPTIONS = { dealers: 120, months: 24, seed: 11, endMonth: '2025-06' } as const;
const engine = process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite';
const SALES_RULES = ['sales_decline', 'sales_decline_yoy', 'missed_target', 'sales_drop_anomaly'];

let store: TestStore;
let tenantId: number;
let channel: DemoChannel;
let openedByLoad = 0;
let seeded: AlertEvaluation;
let idOf: Map<string, number>;

interface AlertRow {
  id: number;
  dealer_id: number;
  rule_code: string;
  status: string;
  severity: string;
  diagnosis: AlertDiagnosis | null;
}

beforeAll(async () => {
  store = await createTestStore();
  const loaded = await loadDemo(store, { ...OPTIONS, slug: unique('alerts-demo') });
  tenantId = loaded.tenantId;
  // The demo load seeds the default rules and evaluates them (seedDemoAlerts at its end).
  openedByLoad = loaded.counts['alert'] ?? 0;
  const { regions } = await readRegions(store.db, tenantId);
  channel = createDemoChannel({ ...OPTIONS, regions });
  // Seeding again changes nothing.
  seeded = await seedDemoAlerts(store.db, tenantId, OPTIONS.endMonth);
  const dealers = await store.db
    .selectFrom('dealer')
    .select(['id', 'code'])
    .where('tenant_id', '=', tenantId)
    .execute();
  idOf = new Map(dealers.map((d) => [d.code, d.id]));
}, 300_000);

afterAll(async () => {
  await store?.destroy();
});

async function alerts(): Promise<AlertRow[]> {
  return store.db
    .selectFrom('alert')
    .select(['id', 'dealer_id', 'rule_code', 'status', 'severity', 'diagnosis'])
    .where('tenant_id', '=', tenantId)
    .execute() as Promise<AlertRow[]>;
}

describe(`the demo channel's alerts (${engine})`, () => {
  it('seeds the default rules and opens alerts as of the last month', async () => {
    console.log(
      `demo load on ${OPTIONS.dealers} dealers × ${OPTIONS.months} months opened ${openedByLoad} alerts; seedDemoAlerts again: ${JSON.stringify(seeded)}`,
    );
    expect(openedByLoad).toBeGreaterThan(0);
    expect(seeded).toMatchObject({
      asOf: '2025-06',
      day: '2025-06-30',
      rules: 9,
      opened: 0,
      unchanged: openedByLoad,
    });
    const health = await store.db
      .selectFrom('dealer_health')
      .select(['band'])
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(health.length).toBe(seeded.dealers);
    expect(new Set(health.map((h) => h.band))).toEqual(new Set(['green', 'yellow', 'red']));
    // Again on the same data: nothing opens, nothing is duplicated.
    const again = await evaluateAlerts(store.db, tenantId, {
      asOf: OPTIONS.endMonth,
      origin: { actor: { kind: 'system', id: null, name: 'test' }, ip: null, userAgent: null },
      trigger: 'manual',
    });
    expect(again).toMatchObject({ opened: 0, updated: 0, resolved: 0, unchanged: openedByLoad });
  });

  it('flags the sudden drops, and each diagnosis names the category and the lost outlets', async () => {
    const rows = await alerts();
    const drops = channel.dealers.filter(
      (d) => d.archetype === 'sudden_drop' && (d.status === 'active' || d.status === 'probation'),
    );
    expect(drops.length).toBeGreaterThanOrEqual(3);
    let flagged = 0;
    for (const d of drops) {
      const alert = rows.find(
        (r) => r.dealer_id === idOf.get(d.code) && r.rule_code === 'sales_drop_anomaly',
      );
      if (!alert) continue;
      flagged++;
      const diagnosis = alert.diagnosis!;
      expect(diagnosis.categories[0]?.category).toBe(d.scenario.dropCategory);
      expect(diagnosis.findings.map((f) => f.zh).join('\n')).toContain(d.scenario.dropCategory!);
      const lost = diagnosis.outlets.filter((o) => o.lost).map((o) => o.code);
      expect(d.scenario.lostOutletCodes!.some((c) => lost.includes(c))).toBe(true);
      expect(diagnosis.actions.length).toBeGreaterThan(0);
    }
    console.log(`sudden_drop: ${flagged} of ${drops.length} flagged by sales_drop_anomaly`);
    expect(flagged / drops.length).toBeGreaterThanOrEqual(0.6);
  });

  it('reconciles every diagnosis with the facts: order lines, categories, outlets, volume + price + mix', async () => {
    const rows = (await alerts()).filter((r) => r.diagnosis !== null);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const d = r.diagnosis!;
      for (const [window, cell] of [
        [d.windows.current, d.current],
        [d.windows.baseline, d.baseline],
      ] as const) {
        const { rows: facts } = await sql<{ sales: number; quantity: number }>`
          select coalesce(sum(amount), 0)::bigint as sales, coalesce(sum(quantity), 0)::bigint as quantity
          from order_line where tenant_id = ${tenantId} and dealer_id = ${r.dealer_id}
            and to_char(ordered_on, 'YYYY-MM') = any(${sql.val([...window])}::text[])`.execute(
          store.db,
        );
        expect(Number(facts[0]!.sales), `alert ${r.id}`).toBe(cell.sales);
        expect(Number(facts[0]!.quantity), `alert ${r.id}`).toBe(cell.quantity);
      }
      expect(d.change).toBe(d.current.sales - d.baseline.sales);
      expect(d.decomposition.volume + d.decomposition.price + d.decomposition.mix).toBe(d.change);
      expect(d.categories.reduce((s, c) => s + c.change, 0)).toBe(d.change);
      expect(d.outlets.reduce((s, o) => s + o.change, 0)).toBe(d.change);
    }
  });

  it('leaves most steady dealers without a sales alert', async () => {
    const rows = (await alerts()).filter((r) => SALES_RULES.includes(r.rule_code));
    const steady = channel.dealers.filter((d) => d.archetype === 'steady' && d.status === 'active');
    const noisy = steady.filter((d) => rows.some((r) => r.dealer_id === idOf.get(d.code)));
    console.log(`steady: ${noisy.length} of ${steady.length} with a sales alert`);
    expect(noisy.length / steady.length).toBeLessThanOrEqual(0.15);
  });
});
