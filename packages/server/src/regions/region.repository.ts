import { sql, type Kysely } from 'kysely';
import type { Region, RegionListQuery } from '@tierline/contract';
import { DomainError } from '@tierline/core';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';

/**
 * Regions below `parent` (or the top level below the countries when absent; or all of a level),
 * each with the number of dealers in its whole subtree that the caller may see.
 */
export async function listRegions(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: RegionListQuery,
): Promise<Region[]> {
  const inScope = dealerScopeCondition(scope);
  const [regions, dealerCounts] = await Promise.all([
    db
      .selectFrom('region')
      .select(['id', 'code', 'name', 'level', 'parent_id', 'country_code'])
      .where('tenant_id', '=', tenantId)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('dealer')
      .select(['region_id', sql<number>`count(*)::int`.as('n')])
      .where('tenant_id', '=', tenantId)
      .$if(inScope !== null, (qb) => qb.where(inScope ?? sql<boolean>`true`))
      .groupBy('region_id')
      .execute(),
  ]);
  const byId = new Map(regions.map((r) => [r.id, r]));
  const subtreeCount = new Map<number, number>();
  for (const { region_id, n } of dealerCounts) {
    // Walk up the tree; depth is at most five levels.
    for (let id: number | null = region_id; id !== null; id = byId.get(id)?.parent_id ?? null) {
      subtreeCount.set(id, (subtreeCount.get(id) ?? 0) + n);
    }
  }
  let selected;
  if (query.parent) {
    const parent = regions.find((r) => r.code === query.parent);
    if (!parent) {
      throw new DomainError('not_found', `Region ${query.parent} does not exist.`, {
        region: query.parent,
      });
    }
    selected = regions.filter((r) => r.parent_id === parent.id);
  } else if (query.level) {
    selected = regions.filter((r) => r.level === query.level);
  } else {
    const isTop = (r: (typeof regions)[number]) =>
      r.level !== 'country' && (r.parent_id === null || byId.get(r.parent_id)?.level === 'country');
    selected = regions.filter(isTop);
  }
  return selected.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_id === null ? null : (byId.get(r.parent_id)?.code ?? null),
    countryCode: r.country_code,
    dealerCount: subtreeCount.get(r.id) ?? 0,
  }));
}
