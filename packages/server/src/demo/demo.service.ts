import { createDemoChannel, DEMO_MANUFACTURER, validateDemoOptions } from '@tierline/core';
import type { BulkSession, CopyValue, Store } from '../db/connection.js';
import { seedChinaRegions } from '../regions/region.seed.js';
import { refreshRollups } from '../rollups/rollup.repository.js';
import { createTenant } from '../tenants/tenant.repository.js';
import { FACT_COPIES, type DemoIds } from './demo.facts.js';
import { danglingReferences, maySkipTriggers, withoutRowTriggers } from '../db/foreign-keys.js';
import { ensureDemoUsers, type DemoCredential } from './demo-users.js';
import { recordAudit } from '../audit/audit.repository.js';
import { seedDemoAlerts } from '../alerts/alert-seed.js';
import { seedDemoResources } from './demo-resources.js';
import { DEMO_ASSESSED_MONTHS, seedDemoTiering } from './demo-tiering.js';
import {
  analyze,
  countRollups,
  insertCampaigns,
  insertDealers,
  insertOutlets,
  insertProducts,
  readRegions,
} from './demo.repository.js';

/** Progress of a demo load: `done` of `total` units (dealers, or rows for master data). */
export interface DemoProgress {
  phase: string;
  done: number;
  total: number;
  /** Rows written so far in this phase. */
  rows?: number;
}

export interface LoadDemoOptions {
  /** Tenant slug; 'demo' by default. A tenant with this slug must not exist yet. */
  slug?: string;
  /** Tenant name; the fictional manufacturer's by default. */
  name?: string;
  dealers: number;
  months: number;
  seed: number;
  /** Last month with facts, 'YYYY-MM'. */
  endMonth: string;
  onProgress?: (progress: DemoProgress) => void;
}

export interface LoadDemoResult {
  tenantId: number;
  /** Rows written per table. */
  counts: Record<string, number>;
  /** The demo sign-ins, one per role. */
  users: DemoCredential[];
  seconds: number;
}

/** Every table the load writes, for ANALYZE at its end. */
const LOADED_TABLES = [
  'tenant',
  'region',
  'product',
  'dealer',
  'outlet',
  'campaign',
  ...FACT_COPIES.map((spec) => spec.table),
  'dealer_month',
  'dealer_category_month',
];

/**
 * Rows per COPY statement. PostgreSQL queues a foreign-key check per row and constraint until
 * the statement ends, so one statement for millions of rows would hold them all in memory.
 */
const ROWS_PER_COPY = 100_000;

/**
 * Load the deterministic demo channel into a new demo tenant, in one transaction: tenant,
 * China's regions, products, dealers (一级 before 二级), outlets and campaigns through
 * INSERT … RETURNING to learn their ids, then every fact table by COPY straight from the
 * generator's streams (memory stays flat), then the monthly rollups. Refuses a slug that is
 * taken (DomainError 'conflict') before writing anything; any failure rolls everything back.
 */
export async function loadDemo(store: Store, options: LoadDemoOptions): Promise<LoadDemoResult> {
  validateDemoOptions(options);
  const started = performance.now();
  const report = options.onProgress ?? (() => undefined);
  return store.bulk((session) =>
    session.db.transaction().execute(async (trx) => {
      const counts: Record<string, number> = {};
      const tenant = await createTenant(trx, {
        slug: options.slug ?? 'demo',
        name: options.name ?? `${DEMO_MANUFACTURER.name}（演示）`,
        isDemo: true,
      });
      counts['tenant'] = 1;
      report({ phase: 'regions', done: 0, total: 1 });
      counts['region'] = await seedChinaRegions(trx, tenant.id);
      const { regions, ids: regionIds } = await readRegions(trx, tenant.id);
      report({ phase: 'regions', done: 1, total: 1, rows: counts['region'] });

      const channel = createDemoChannel({ ...options, regions });
      const dealerTotal = channel.dealers.length;
      report({ phase: 'products', done: 0, total: channel.products.length });
      const products = await insertProducts(trx, tenant.id, channel.products);
      counts['product'] = channel.products.length;
      report({
        phase: 'products',
        done: channel.products.length,
        total: channel.products.length,
        rows: channel.products.length,
      });
      const dealers = await insertDealers(trx, tenant.id, channel.dealers, regionIds, (done) =>
        report({ phase: 'dealers', done, total: dealerTotal, rows: done }),
      );
      counts['dealer'] = dealerTotal;
      const outlets = await insertOutlets(
        trx,
        tenant.id,
        channel.outlets(),
        channel.outletCount,
        dealers,
        regionIds,
        (done) => report({ phase: 'outlets', done, total: channel.outletCount, rows: done }),
      );
      counts['outlet'] = channel.outletCount;
      const campaigns = await insertCampaigns(trx, tenant.id, channel.campaigns);
      counts['campaign'] = channel.campaigns.length;
      report({ phase: 'campaigns', done: 1, total: 1, rows: channel.campaigns.length });

      const ids: DemoIds = { tenantId: tenant.id, dealers, products, outlets, campaigns };
      const copyFacts = async () => {
        for (const spec of FACT_COPIES) {
          let rows = 0;
          const step = Math.max(1, Math.floor(dealerTotal / 200));
          report({ phase: spec.table, done: 0, total: dealerTotal, rows });
          const stream = spec.rows(channel, ids, (dealer) => {
            if (dealer % step === 0)
              report({ phase: spec.table, done: dealer, total: dealerTotal, rows });
          });
          rows = await copyInStatements(
            session,
            spec.table,
            spec.columns,
            stream,
            (n) => (rows = n),
          );
          counts[spec.table] = rows;
          report({ phase: spec.table, done: dealerTotal, total: dealerTotal, rows });
        }
      };
      // Every row the facts reference was written by this transaction, so no one else can
      // delete it: the facts go in without the per-row foreign-key triggers, and each key is
      // then proven in one anti-join per table (a third of the load's time on PGlite).
      const tables = FACT_COPIES.map((spec) => spec.table);
      let skip = true;
      for (const table of tables) skip &&= await maySkipTriggers(trx, table);
      if (skip) {
        await withoutRowTriggers(trx, copyFacts);
        for (const table of tables) {
          const dangling = await danglingReferences(trx, table, tenant.id);
          if (dangling.length > 0) {
            throw new Error(
              `the demo generator wrote rows that reference missing rows: ${dangling
                .map((d) => `${d.rows} of ${d.table} (${d.key})`)
                .join(', ')}`,
            );
          }
        }
      } else {
        await copyFacts();
      }

      report({ phase: 'rollups', done: 0, total: 1 });
      await refreshRollups(trx, tenant.id);
      // Fresh planner statistics: PGlite runs no autovacuum, and without them list queries
      // over 100,000 dealers pick slow plans. Only the tables loaded here: a bare ANALYZE
      // covers every schema of the database, and on a shared PostgreSQL it rewrites the
      // statistics of tables that other sessions are still filling, which sends their
      // foreign-key checks to plans that scan the whole referenced table per row.
      await analyze(trx, LOADED_TABLES);
      Object.assign(counts, await countRollups(trx, tenant.id));
      const users = await ensureDemoUsers(trx, tenant.id);
      counts['app_user'] = users.length;
      if (options.months >= DEMO_ASSESSED_MONTHS) {
        report({ phase: 'assessments', done: 0, total: DEMO_ASSESSED_MONTHS });
        counts['assessment_run'] = await seedDemoTiering(
          trx,
          tenant.id,
          options.endMonth,
          (done, total, decisions) =>
            report({ phase: 'assessments', done, total, rows: decisions }),
        );
        report({ phase: 'resources', done: 0, total: 1 });
        Object.assign(
          counts,
          await seedDemoResources(trx, tenant.id, options.endMonth, isoToday()),
        );
        report({ phase: 'resources', done: 1, total: 1 });
      }
      report({ phase: 'alerts', done: 0, total: 1 });
      counts['alert'] = (await seedDemoAlerts(trx, tenant.id, options.endMonth)).opened;
      report({ phase: 'alerts', done: 1, total: 1, rows: counts['alert'] });
      await recordAudit(
        trx,
        tenant.id,
        { actor: { kind: 'system', id: null, name: 'tierline demo' }, ip: null, userAgent: null },
        {
          action: 'demo.load',
          entityType: 'tenant',
          entityId: tenant.id,
          after: {
            dealers: options.dealers,
            months: options.months,
            seed: options.seed,
            endMonth: options.endMonth,
            rows: { ...counts },
          },
        },
      );
      report({
        phase: 'rollups',
        done: 1,
        total: 1,
        rows: (counts['dealer_month'] ?? 0) + (counts['dealer_category_month'] ?? 0),
      });
      return {
        tenantId: tenant.id,
        counts,
        users,
        seconds: (performance.now() - started) / 1000,
      };
    }),
  );
}

/**
 * COPY a stream in statements of at most {@link ROWS_PER_COPY} rows on the session's
 * connection (inside its transaction). Returns the rows copied; `onRows` hears the running total.
 */
async function copyInStatements(
  session: BulkSession,
  table: string,
  columns: readonly string[],
  rows: Iterable<CopyValue[]>,
  onRows: (copied: number) => void,
): Promise<number> {
  const iterator = rows[Symbol.iterator]();
  let next = iterator.next();
  let copied = 0;
  while (!next.done) {
    let taken = 0;
    const statement = {
      *[Symbol.iterator]() {
        while (!next.done && taken < ROWS_PER_COPY) {
          yield next.value;
          taken++;
          next = iterator.next();
        }
      },
    };
    copied += await session.copy(table, columns, statement);
    onRows(copied);
  }
  return copied;
}

/** Today's date (UTC) as 'YYYY-MM-DD': funds granted by the demo stay claimable from it. */
function isoToday(): string {
  return new Date().toISOString().slice(0, 10);
}
