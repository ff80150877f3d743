// Benchmark: an assessment of 100,000 dealers × 24 months of rollups × 15 metrics.
//
// Figures and their same-run baselines:
// - core engine alone (`assess` from @tierline/core on in-memory columns: metric values,
//   normalisation, weights, scores, tiers, gates, lifecycle, explanations with the gap to the
//   next tier): dealers/s, target ≥ 100,000 dealers/s; baseline: one pass over the same columns
//   computing the plain weighted sum of the raw metric values (what any scoring must at least do);
// - end to end (`createRun`: read the rollups in SQL, score, tier, apply the lifecycle, persist
//   every decision with its explanation, record the run and its audit event): seconds, target
//   ≤ 10 s on PGlite; baseline: reading the same rollups alone (`loadMeasureFrames`);
// - publishing the approved run (dealer tiers updated in one statement): seconds.
// Peak RSS of the end-to-end process is reported with the result (run.mjs adds it).
import { runInChild } from './lib/spawn.mjs';
import { openBenchStore } from './lib/stores.mjs';

const DEALERS = Number(process.env.TIERLINE_BENCH_ASSESS_DEALERS ?? 100_000);
const MONTHS = 24;
const END = '2025-12';
const PERIOD = END;
const MIB = 1024 * 1024;

/** 15 metrics that the rollups alone feed (no outlet or licence master data needed). */
const METRICS = [
  'sales_amount',
  'sales_growth_mom',
  'sales_growth_yoy',
  'target_achievement',
  'collection_rate',
  'days_sales_outstanding',
  'active_outlets',
  'sku_breadth',
  'new_product_rate',
  'complaint_rate',
  'compliance_score',
  'near_expiry_ratio',
  'batch_traceability',
  'inventory_turnover',
  'campaign_execution',
];

async function benchPolicy() {
  const { defaultPolicy } = await import('../packages/core/dist/index.js');
  const base = defaultPolicy('2024-01');
  const weights = Object.fromEntries(METRICS.map((m, i) => [m, i < 5 ? 12 : 4]));
  return {
    ...base,
    name: 'bench',
    // Each metric measured on the period alone: the case. (The default policy averages
    // three months; that triples the rollups read: see bench/README.md.)
    timeDecay: null,
    metrics: METRICS.map((metric) => ({
      metric,
      ...(metric === 'sales_amount' ? { cap: 25 } : {}),
    })),
    weights: { method: 'manual', total: 100, values: weights },
  };
}

export default async function run({ engine, databaseUrl }) {
  const core = await runInChild(import.meta.url, 'coreTask', {});
  const e2e = await runInChild(import.meta.url, 'endToEndTask', { engine, databaseUrl });
  return {
    name: `assessment of ${fmt(DEALERS)} dealers × ${MONTHS} months × ${METRICS.length} metrics (${engine})`,
    details: {
      core: core.result,
      endToEnd: e2e.result,
      endToEndPeakRssMiB: e2e.peakRssBytes / MIB,
      corePeakRssMiB: core.peakRssBytes / MIB,
      note:
        engine === 'postgres'
          ? 'Peak RSS is the Node process only; the PostgreSQL server process is not included.'
          : 'Peak RSS includes the embedded PGlite database (WebAssembly heap).',
    },
    figures: [
      {
        name: 'core engine (assess, in memory)',
        value: core.result.dealersPerSecond,
        unit: 'dealers/s',
        baseline: {
          name: 'plain weighted sum of the raw values (one pass)',
          value: core.result.baselineDealersPerSecond,
          unit: 'dealers/s',
        },
      },
      {
        name: 'end to end: read rollups, score, tier, lifecycle, persist decisions',
        value: e2e.result.runSeconds,
        unit: 's',
        baseline: { name: 'reading the rollups alone', value: e2e.result.readSeconds, unit: 's' },
      },
      {
        name: `peak RSS of the end-to-end run`,
        value: e2e.peakRssBytes / MIB,
        unit: 'MiB',
        baseline: {
          name: 'peak RSS of the core-only run',
          value: core.peakRssBytes / MIB,
          unit: 'MiB',
        },
      },
      {
        name: 'approve and publish the run',
        value: e2e.result.publishSeconds,
        unit: 's',
      },
    ],
  };
}

/** Deterministic pseudo-random in [0, 1) from two integers (no Math.random: reproducible). */
function noise(a, b) {
  let x = (a * 374761393 + b * 668265263) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 1274126177) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

/** One dealer-month of rollups: a dealer's size and quality persist, months wobble. */
function monthRow(d, m) {
  const size = 0.2 + 3 * noise(d, 1) ** 2;
  const quality = noise(d, 2);
  const wobble = 0.8 + 0.4 * noise(d, 100 + m);
  const sales = Math.round(2_000_000 * size * wobble);
  const invoices = Math.round(sales * 1.1);
  const payments = Math.round(invoices * (0.7 + 0.35 * quality * wobble));
  const orders = 3 + Math.floor(20 * size * wobble);
  const inventory = Math.round(sales * (0.5 + noise(d, 3)));
  return {
    sales_amount: sales,
    sales_quantity: Math.round(sales / 3_000),
    order_count: orders,
    order_line_count: orders * 4,
    sku_count: 5 + Math.floor(40 * quality * wobble),
    new_product_amount: Math.round(sales * 0.15 * noise(d, 200 + m)),
    ordering_outlet_count: Math.floor(30 * size * wobble),
    visited_outlet_count: Math.floor(20 * size),
    visit_count: Math.floor(40 * size),
    invoice_amount: invoices,
    payment_amount: payments,
    target_amount: Math.round(2_000_000 * size),
    complaint_count: noise(d, 300 + m) < 0.2 ? 1 : 0,
    compliance_event_count: noise(d, 400 + m) < 0.03 ? 1 : 0,
    compliance_severity_points: noise(d, 400 + m) < 0.03 ? 10 : 0,
    inventory_quantity: Math.round(inventory / 3_000),
    inventory_value: inventory,
    near_expiry_value: Math.round(inventory * 0.2 * noise(d, 500 + m)),
    batch_tracked_quantity: Math.round((inventory / 3_000) * (0.6 + 0.4 * quality)),
    campaign_tasks_planned: 10,
    campaign_tasks_completed: Math.floor(10 * (0.4 + 0.6 * quality * wobble)),
  };
}

const ROLLUP_COLUMNS = Object.keys(monthRow(1, 0));

function months() {
  const [y, m] = END.split('-').map(Number);
  const out = [];
  for (let i = MONTHS - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** Child task: the core engine on in-memory columns shaped like the SQL reader's output. */
export async function coreTask() {
  const { assess, framesNeeded, parsePeriod, resolvePolicy } =
    await import('../packages/core/dist/index.js');
  const resolved = resolvePolicy(await benchPolicy());
  const period = parsePeriod(PERIOD);
  const ids = Array.from({ length: DEALERS }, (_, i) => i + 1);
  const frames = new Map();
  for (const request of framesNeeded(resolved, period)) {
    const lagMonth = months().length - 1 - request.lag;
    const columns = new Map();
    for (const measure of request.measures) {
      const col = new Float64Array(DEALERS);
      for (let d = 0; d < DEALERS; d++) {
        const row = monthRow(d + 1, lagMonth);
        col[d] =
          measure === 'inventory_value_avg'
            ? row.inventory_value
            : measure === 'receivable_amount'
              ? Math.max(0, row.invoice_amount - row.payment_amount) * 12
              : (row[measure] ?? Number.NaN);
      }
      columns.set(measure, col);
    }
    frames.set(request.lag, columns);
  }
  const input = {
    policy: resolved,
    period,
    dealerIds: ids,
    frames,
    previous: new Map(),
    overrides: new Map(),
  };
  assess(input); // warm-up: JIT
  const rounds = 3;
  const started = performance.now();
  let result;
  for (let i = 0; i < rounds; i++) result = assess(input);
  const seconds = (performance.now() - started) / 1000 / rounds;

  // Baseline: one pass summing weight × raw value over the current frame's measures.
  const current = frames.get(0);
  const cols = [...current.values()];
  const baseStarted = performance.now();
  let sink = 0;
  for (let i = 0; i < rounds; i++) {
    for (let d = 0; d < DEALERS; d++) {
      let s = 0;
      for (let j = 0; j < cols.length; j++) s += cols[j][d] * 0.1;
      sink += s;
    }
  }
  const baseSeconds = (performance.now() - baseStarted) / 1000 / rounds;
  return {
    seconds,
    dealersPerSecond: DEALERS / seconds,
    baselineDealersPerSecond: DEALERS / Math.max(baseSeconds, 1e-9),
    counts: result.counts,
    sink: Number.isFinite(sink),
  };
}

/** Child task: a tenant with 100,000 dealers × 24 months of rollups; time createRun and publish. */
export async function endToEndTask({ engine, databaseUrl }) {
  const server = await import('../packages/server/dist/index.js');
  const { sql } = await import('kysely');
  const { store, dispose } = await openBenchStore({ engine, databaseUrl });
  const origin = (name, id = null) => ({
    actor: { kind: id ? 'user' : 'cli', id, name },
    ip: null,
    userAgent: null,
  });
  try {
    const tenant = await server.createTenant(store.db, { slug: 'bench-assess', name: 'Bench' });
    const tenantId = tenant.id;
    const region =
      await sql`insert into region (tenant_id, code, name, level) values (${tenantId}, 'R1', '测试省', 'province') returning id`.execute(
        store.db,
      );
    const regionId = region.rows[0].id;
    const monthList = months();
    const setupStarted = performance.now();
    await store.bulk((session) =>
      session.db.transaction().execute(async () => {
        await session.copy(
          'dealer',
          [
            'tenant_id',
            'id',
            'code',
            'name',
            'chain_level',
            'channel_type',
            'region_id',
            'status',
            'onboarded_on',
          ],
          (function* () {
            for (let d = 1; d <= DEALERS; d++) {
              yield [
                tenantId,
                d,
                `D${String(d).padStart(6, '0')}`,
                `经销商${d}`,
                1,
                'distributor',
                regionId,
                'active',
                '2020-01-01',
              ];
            }
          })(),
        );
        await session.copy(
          'dealer_month',
          ['tenant_id', 'dealer_id', 'month', ...ROLLUP_COLUMNS],
          (function* () {
            for (let d = 1; d <= DEALERS; d++) {
              for (let m = 0; m < MONTHS; m++) {
                const row = monthRow(d, m);
                yield [tenantId, d, `${monthList[m]}-01`, ...ROLLUP_COLUMNS.map((c) => row[c])];
              }
            }
          })(),
        );
      }),
    );
    await sql`analyze dealer, dealer_month`.execute(store.db);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const policyDoc = await benchPolicy();
    await server.withTenant(store.db, tenantId, (trx) =>
      server.createPolicyVersion(trx, tenantId, policyDoc, '', origin('bench')),
    );

    const resolved = server.requireValidPolicy(policyDoc).resolved;
    const { framesNeeded, parsePeriod } = await import('../packages/core/dist/index.js');
    const readStarted = performance.now();
    const loaded = await server.withTenant(store.db, tenantId, (trx) =>
      server.loadMeasureFrames(trx, tenantId, framesNeeded(resolved, parsePeriod(PERIOD))),
    );
    const readSeconds = (performance.now() - readStarted) / 1000;

    const runStarted = performance.now();
    const run = await server.withTenant(store.db, tenantId, (trx) =>
      server.createRun(trx, tenantId, { period: PERIOD, policy: 'bench' }, origin('maker')),
    );
    const runSeconds = (performance.now() - runStarted) / 1000;
    const publishStarted = performance.now();
    await server.withTenant(store.db, tenantId, async (trx) => {
      await server.approveRun(trx, tenantId, run.id, origin('checker'));
      await server.publishRun(trx, tenantId, run.id, origin('checker'));
    });
    const publishSeconds = (performance.now() - publishStarted) / 1000;
    if (run.dealerCount !== DEALERS)
      throw new Error(`assessed ${run.dealerCount} dealers, expected ${DEALERS}`);
    return {
      setupSeconds,
      readSeconds,
      readDealers: loaded.dealerIds.length,
      runSeconds,
      publishSeconds,
      counts: run.counts,
      dealersPerSecond: DEALERS / runSeconds,
    };
  } finally {
    await dispose();
  }
}

function fmt(n) {
  return new Intl.NumberFormat('en-US').format(n);
}
