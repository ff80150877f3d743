import type { Kysely } from 'kysely';
import { migrationMatrix, notFound } from '@tierline/core';
import type { DealerTier, Migration, TierDefinition, TierOverview } from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { getPolicyById, listPolicies } from './policy.repository.js';
import {
  currentTiers,
  listRuns,
  publishedHistory,
  publishedTiers,
  type RunRow,
} from './assessment.repository.js';
import { explainRow } from './assessment.service.js';

/** The tiers of the latest published run's policy, else of the first policy, else none. */
async function schemeOf(
  db: Kysely<Database>,
  tenantId: number,
  run: RunRow | undefined,
): Promise<TierDefinition[]> {
  if (run) return (await getPolicyById(db, tenantId, run.policy_id)).document.tiers;
  return (await listPolicies(db, tenantId))[0]?.tiers ?? [];
}

/** A dealer's current published tier, explained, and its tier history; 404 outside scope. */
export async function dealerTier(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  dealerId: number,
): Promise<DealerTier> {
  let qb = db
    .selectFrom('dealer')
    .select(['dealer.id', 'dealer.code', 'dealer.name'])
    .where('dealer.tenant_id', '=', tenantId)
    .where('dealer.id', '=', dealerId);
  const inScope = dealerScopeCondition(scope);
  if (inScope) qb = qb.where(inScope);
  const dealer = await qb.executeTakeFirst();
  if (!dealer) throw notFound('Dealer', dealerId);
  const history = await publishedHistory(db, tenantId, scope, dealerId);
  const last = history[history.length - 1];
  const current = last ? await explainRow(db, tenantId, last) : null;
  return {
    dealer,
    current,
    history: history.map((h) => ({
      runId: h.run_id,
      period: h.period,
      tier: h.tier,
      score: h.score,
      standing: h.standing,
      reasons: h.reasons as DealerTier['history'][number]['reasons'],
    })),
    tiers:
      current?.tiers ??
      (await schemeOf(db, tenantId, (await listRuns(db, tenantId, { status: 'published' }))[0])),
  };
}

/** Current tier distribution and standings inside the caller's scope, and the published periods. */
export async function tierOverview(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
): Promise<TierOverview> {
  const published = await listRuns(db, tenantId, { status: 'published' });
  const tiers = await schemeOf(db, tenantId, published[0]);
  const counts: Record<string, number> = Object.fromEntries(tiers.map((t) => [t.code, 0]));
  const standings: Record<string, number> = { good: 0, at_risk: 0, probation: 0, elimination: 0 };
  for (const row of await currentTiers(db, tenantId, scope)) {
    counts[row.tier] = (counts[row.tier] ?? 0) + 1;
    standings[row.standing] = (standings[row.standing] ?? 0) + 1;
  }
  return {
    period: published[0]?.period ?? null,
    tiers,
    counts,
    standings,
    periods: published.map((r) => r.period),
  };
}

/** Migration between the published tiers of two periods, inside the caller's scope. */
export async function tierMigration(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  from: string,
  to: string,
): Promise<Migration> {
  const published = await listRuns(db, tenantId, { status: 'published' });
  const target = published.find((r) => r.period === to);
  if (!published.some((r) => r.period === from)) throw notFound('Published assessment of', from);
  if (!target) throw notFound('Published assessment of', to);
  const tiers = await schemeOf(db, tenantId, target);
  const before = await publishedTiers(db, tenantId, scope, from);
  const after = await publishedTiers(db, tenantId, scope, to);
  return {
    from,
    to,
    tiers,
    matrix: migrationMatrix(
      tiers.map((t) => t.code),
      before,
      after,
    ),
  };
}
