import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DealerScope } from '../auth/policy.js';

/** The regions with these ids and every region below them (a recursive subquery of ids). */
function regionsUnder(tenantId: number, regionIds: readonly number[]): RawBuilder<unknown> {
  return sql`(
    with recursive sub(id) as (
      select r.id from region r
      where r.tenant_id = ${tenantId} and r.id in (${sql.join(regionIds)})
      union
      select c.id from region c join sub on c.parent_id = sub.id where c.tenant_id = ${tenantId}
    )
    select id from sub
  )`;
}

/**
 * The condition that keeps a dealer row (`alias`) inside the caller's scope, or null when the
 * caller sees the whole tenant. A channel manager sees the dealers of its regions (with their
 * subtrees) and the sub-dealers of those dealers, wherever the sub-dealers are; a dealer user
 * sees itself.
 */
export function dealerScopeCondition(
  tenantId: number,
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
      const regions = regionsUnder(tenantId, scope.regionIds);
      return sql<SqlBool>`(${sql.ref(`${alias}.region_id`)} in ${regions} or ${sql.ref(
        `${alias}.parent_id`,
      )} in (select p.id from dealer p where p.tenant_id = ${tenantId} and p.region_id in ${regions}))`;
    }
  }
}
