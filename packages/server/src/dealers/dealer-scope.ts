import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';

/**
 * A channel manager's scope, resolved once per request into two id lists so that every dealer
 * query filters with plain index conditions: the regions it owns with every region below them,
 * and the few sub-dealers that sit outside those regions but buy from a dealer inside them.
 * (The condition "region in subtree, or parent's region in subtree", written as such, made
 * PostgreSQL scan all dealers: 190 ms per list page at 100,000 dealers against 25 ms now.)
 */
export async function resolveRegionScope(
  db: Kysely<Database>,
  tenantId: number,
  ownedRegionIds: readonly number[],
): Promise<Extract<DealerScope, { kind: 'regions' }>> {
  if (ownedRegionIds.length === 0) return { kind: 'regions', regionIds: [], extraDealerIds: [] };
  const regions = await sql<{ id: number }>`
    with recursive sub(id) as (
      select r.id from region r where r.tenant_id = ${tenantId} and r.id in (${sql.join(ownedRegionIds)})
      union
      select c.id from region c join sub on c.parent_id = sub.id where c.tenant_id = ${tenantId}
    )
    select id from sub order by id`.execute(db);
  const regionIds = regions.rows.map((r) => r.id);
  const extras = await sql<{ id: number }>`
    with parents as materialized (
      select id from dealer
      where tenant_id = ${tenantId} and region_id in (${sql.join(regionIds)}) and chain_level = 1
    )
    select c.id from dealer c
    where c.tenant_id = ${tenantId} and c.parent_id in (select id from parents)
      and c.region_id not in (${sql.join(regionIds)})
    order by c.id`.execute(db);
  return { kind: 'regions', regionIds, extraDealerIds: extras.rows.map((r) => r.id) };
}

/**
 * The condition that keeps a dealer row (`alias`) inside the caller's scope, or null when the
 * caller sees the whole tenant. A channel manager sees the dealers of its regions (with their
 * subtrees) and the sub-dealers of those dealers, wherever the sub-dealers are; a dealer user
 * sees itself.
 */
export function dealerScopeCondition(
  scope: DealerScope,
  alias = 'dealer',
): RawBuilder<SqlBool> | null {
  switch (scope.kind) {
    case 'tenant':
      return null;
    case 'dealer':
      return sql<SqlBool>`${sql.ref(`${alias}.id`)} = ${scope.dealerId}`;
    case 'regions': {
      if (scope.regionIds.length === 0) return sql<SqlBool>`false`;
      const inRegions = sql<SqlBool>`${sql.ref(`${alias}.region_id`)} in (${sql.join(scope.regionIds)})`;
      if (scope.extraDealerIds.length === 0) return inRegions;
      return sql<SqlBool>`(${inRegions} or ${sql.ref(`${alias}.id`)} in (${sql.join(scope.extraDealerIds)}))`;
    }
  }
}
