import { sql, type Kysely } from 'kysely';
import type { DemoCampaign, DemoDealer, DemoOutlet, DemoProduct, DemoRegion } from '@tierline/core';
import type { Database } from '../db/database.js';

/**
 * Rows per multi-row INSERT … RETURNING. The widest table (dealer, 12 columns) stays well
 * under PostgreSQL's 65,535 bind parameters per statement.
 */
const CHUNK = 4_000;

/** The tenant's regions as the generator wants them, and their ids by code. */
export async function readRegions(
  db: Kysely<Database>,
  tenantId: number,
): Promise<{ regions: DemoRegion[]; ids: Map<string, number> }> {
  const rows = await db
    .selectFrom('region as r')
    .leftJoin('region as p', (join) =>
      join.onRef('p.tenant_id', '=', 'r.tenant_id').onRef('p.id', '=', 'r.parent_id'),
    )
    .select(['r.id', 'r.code', 'r.name', 'r.level', 'p.code as parentCode'])
    .where('r.tenant_id', '=', tenantId)
    .orderBy('r.code')
    .execute();
  return {
    regions: rows.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      parentCode: r.parentCode ?? null,
    })),
    ids: new Map(rows.map((r) => [r.code, r.id])),
  };
}

/** Insert the catalogue; returns product ids by product index. */
export async function insertProducts(
  db: Kysely<Database>,
  tenantId: number,
  products: readonly DemoProduct[],
): Promise<Float64Array> {
  const ids = new Float64Array(products.length);
  for (let i = 0; i < products.length; i += CHUNK) {
    const chunk = products.slice(i, i + CHUNK);
    const rows = await db
      .insertInto('product')
      .values(
        chunk.map((p) => ({
          tenant_id: tenantId,
          sku: p.sku,
          name: p.name,
          category: p.category,
          brand: p.brand,
          unit: p.unit,
          shelf_life_days: p.shelfLifeDays,
          list_price: p.listPrice,
          launched_on: p.launchedOn,
          status: p.status,
        })),
      )
      .returning(['id', 'sku'])
      .execute();
    const bySku = new Map(chunk.map((p) => [p.sku, p.index]));
    for (const row of rows) ids[bySku.get(row.sku) ?? -1] = row.id;
  }
  return ids;
}

/**
 * Insert dealers, every 一级 dealer before any 二级 one so that parent ids exist. Returns
 * dealer ids by dealer index.
 */
export async function insertDealers(
  db: Kysely<Database>,
  tenantId: number,
  dealers: readonly DemoDealer[],
  regionIds: ReadonlyMap<string, number>,
  onChunk: (done: number) => void,
): Promise<Float64Array> {
  const ids = new Float64Array(dealers.length);
  let done = 0;
  for (const level of [1, 2] as const) {
    const batch = dealers.filter((d) => d.chainLevel === level);
    for (let i = 0; i < batch.length; i += CHUNK) {
      const chunk = batch.slice(i, i + CHUNK);
      const rows = await db
        .insertInto('dealer')
        .values(
          chunk.map((d) => ({
            tenant_id: tenantId,
            code: d.code,
            name: d.name,
            legal_entity: d.legalEntity,
            chain_level: d.chainLevel,
            parent_id: d.parentIndex === null ? null : (ids[d.parentIndex] ?? null),
            channel_type: d.channelType,
            region_id: regionId(regionIds, d.regionCode),
            status: d.status,
            onboarded_on: d.onboardedOn,
            contacts: JSON.stringify(d.contacts),
            tags: [...d.tags],
          })),
        )
        .returning(['id', 'code'])
        .execute();
      const byCode = new Map(chunk.map((d) => [d.code, d.index]));
      for (const row of rows) ids[byCode.get(row.code) ?? -1] = row.id;
      onChunk((done += chunk.length));
    }
  }
  return ids;
}

/**
 * Insert outlets from the generator's stream, a chunk at a time so that memory stays flat;
 * returns outlet ids by global outlet index.
 */
export async function insertOutlets(
  db: Kysely<Database>,
  tenantId: number,
  outlets: Iterable<DemoOutlet>,
  outletCount: number,
  dealerIds: Float64Array,
  regionIds: ReadonlyMap<string, number>,
  onChunk: (done: number) => void,
): Promise<Float64Array> {
  const ids = new Float64Array(outletCount);
  let chunk: DemoOutlet[] = [];
  let done = 0;
  const flush = async () => {
    const rows = await db
      .insertInto('outlet')
      .values(
        chunk.map((o) => ({
          tenant_id: tenantId,
          code: o.code,
          name: o.name,
          dealer_id: dealerIds[o.dealerIndex] ?? 0,
          region_id: regionId(regionIds, o.regionCode),
          outlet_type: o.outletType,
          opened_on: o.openedOn,
          status: o.status,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    const byCode = new Map(chunk.map((o) => [o.code, o.index]));
    for (const row of rows) ids[byCode.get(row.code) ?? -1] = row.id;
    onChunk((done += chunk.length));
    chunk = [];
  };
  for (const outlet of outlets) {
    chunk.push(outlet);
    if (chunk.length >= CHUNK) await flush();
  }
  if (chunk.length > 0) await flush();
  return ids;
}

/** Insert the campaigns; returns campaign ids by campaign index. */
export async function insertCampaigns(
  db: Kysely<Database>,
  tenantId: number,
  campaigns: readonly DemoCampaign[],
): Promise<Float64Array> {
  const ids = new Float64Array(campaigns.length);
  if (campaigns.length === 0) return ids;
  const rows = await db
    .insertInto('campaign')
    .values(
      campaigns.map((c) => ({
        tenant_id: tenantId,
        code: c.code,
        name: c.name,
        starts_on: c.startsOn,
        ends_on: c.endsOn,
      })),
    )
    .returning(['id', 'code'])
    .execute();
  const byCode = new Map(campaigns.map((c) => [c.code, c.index]));
  for (const row of rows) ids[byCode.get(row.code) ?? -1] = row.id;
  return ids;
}

/**
 * Refresh the planner's statistics of `tables` (resolved through the search path, so only this
 * store's schema). Inside the loading transaction ANALYZE sees the transaction's own rows; it
 * samples, so it costs seconds even at millions of rows.
 */
export async function analyze(db: Kysely<Database>, tables: readonly string[]): Promise<void> {
  await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
}

/** Rows of the tenant in each rollup table. */
export async function countRollups(
  db: Kysely<Database>,
  tenantId: number,
): Promise<{ dealer_month: number; dealer_category_month: number }> {
  const { rows } = await sql<{ dealer_month: number; dealer_category_month: number }>`
    select
      (select count(*) from dealer_month where tenant_id = ${tenantId}) as dealer_month,
      (select count(*) from dealer_category_month where tenant_id = ${tenantId}) as dealer_category_month
  `.execute(db);
  return rows[0] ?? { dealer_month: 0, dealer_category_month: 0 };
}

function regionId(ids: ReadonlyMap<string, number>, code: string): number {
  const id = ids.get(code);
  // The generator only places dealers in regions it was given, read from this tenant.
  if (id === undefined) throw new Error(`Demo region ${code} is missing from the tenant's regions`);
  return id;
}
