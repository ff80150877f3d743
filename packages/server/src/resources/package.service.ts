import { sql, type Kysely } from 'kysely';
import { notFound } from '@tierline/core';
import type { DealerPackage, PackageChange, TierDefinition } from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { getPolicyById, listPolicies } from '../tiering/policy.repository.js';
import { tierBenefits } from './benefit.repository.js';

interface PublishedTierRow {
  run_id: number;
  period: string;
  tier: string;
  policy_id: number;
  policy_name: string;
  policy_version: number;
  effective_from: string;
}

/**
 * A dealer's resource package (资源包): the benefit values of its published tier under the policy
 * version that published it, effective from the first day after the assessed period, and the
 * history of its package changes. Computed from published decisions every time, never copied,
 * so a newly published run changes the package from that run's effective date.
 *
 * `on` (YYYY-MM-DD): the package in force that day; absent, the latest published one. Not found
 * outside the caller's scope, as for a dealer that does not exist.
 */
export async function dealerPackage(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  dealerId: number,
  on?: string,
): Promise<DealerPackage> {
  let qb = db
    .selectFrom('dealer')
    .select(['dealer.id', 'dealer.code', 'dealer.name'])
    .where('dealer.tenant_id', '=', tenantId)
    .where('dealer.id', '=', dealerId);
  const inScope = dealerScopeCondition(scope);
  if (inScope) qb = qb.where(inScope);
  const dealer = await qb.executeTakeFirst();
  if (!dealer) throw notFound('Dealer', dealerId);

  const { rows } = await sql<PublishedTierRow>`
    select td.run_id, r.period, td.tier, r.policy_id, p.name as policy_name,
      p.version as policy_version,
      to_char(r.period_to + interval '1 month', 'YYYY-MM-DD') as effective_from
    from tier_decision td
    join assessment_run r on r.tenant_id = td.tenant_id and r.id = td.run_id
    join tier_policy p on p.tenant_id = r.tenant_id and p.id = r.policy_id
    where td.tenant_id = ${tenantId} and td.dealer_id = ${dealerId} and r.status = 'published'
    order by r.period_to, r.id`.execute(db);
  const entries: PackageChange[] = rows.map((r) => ({
    runId: r.run_id,
    period: r.period,
    tier: r.tier,
    policy: { id: r.policy_id, name: r.policy_name, version: r.policy_version },
    effectiveFrom: r.effective_from,
  }));
  const history = entries.filter(
    (e, i) =>
      i === 0 || e.tier !== entries[i - 1]!.tier || e.policy.id !== entries[i - 1]!.policy.id,
  );
  const inForce = on === undefined ? entries : entries.filter((e) => e.effectiveFrom <= on);
  const current = inForce[inForce.length - 1];
  let tiers: TierDefinition[];
  if (current) tiers = (await getPolicyById(db, tenantId, current.policy.id)).document.tiers;
  else if (entries.length > 0)
    tiers = (await getPolicyById(db, tenantId, entries[entries.length - 1]!.policy.id)).document
      .tiers;
  else tiers = (await listPolicies(db, tenantId))[0]?.tiers ?? [];
  return {
    dealer,
    current: current
      ? {
          ...current,
          benefits: (await tierBenefits(db, tenantId, current.policy.id, current.tier)).map(
            ({ benefit, value }) => ({
              benefit: {
                id: benefit.id,
                code: benefit.code,
                name: benefit.name,
                kind: benefit.kind,
                unit: benefit.unit,
                description: benefit.description,
              },
              value,
            }),
          ),
        }
      : null,
    history: on === undefined ? history : history.filter((h) => h.effectiveFrom <= on),
    tiers,
  };
}
