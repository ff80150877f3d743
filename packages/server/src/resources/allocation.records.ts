import type { Kysely } from 'kysely';
import { canonicalJson, sha256, toHex } from '@tierline/core';
import type { BenefitValue } from '@tierline/contract';
import type { Database } from '../db/database.js';
import { appendRecords, type NewRecord } from '../ledger/ledger.service.js';
import { policyDigest } from '../ledger/records.js';
import { storedPolicyDocument } from '../tiering/policy.repository.js';
import { allLines, getAllocation } from './allocation.repository.js';
import { methodOf } from './allocation-config.js';

/**
 * The ledger records of the benefit library and of budget allocations (docs/ledger.md,
 * "Records"). Like every record they name dealers by id and code and never name staff.
 */

function digest(value: unknown): string {
  return toHex(sha256(new TextEncoder().encode(canonicalJson(value))));
}

/**
 * The benefit values of a policy version as saved: the version (with its document's digest),
 * the benefits they are written in, the values and their digest.
 */
export async function recordBenefitValues(
  db: Kysely<Database>,
  tenantId: number,
  saved: {
    policyId: number;
    benefits: { code: string; name: string; kind: string; unit: string }[];
    values: Record<string, Record<string, BenefitValue>>;
  },
): Promise<void> {
  const policy = await db
    .selectFrom('tier_policy')
    .select(['id', 'name', 'version'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', saved.policyId)
    .executeTakeFirstOrThrow();
  const document = await storedPolicyDocument(db, tenantId, saved.policyId);
  await appendRecords(db, tenantId, [
    {
      kind: 'benefit_values',
      dealerId: null,
      period: null,
      refId: saved.policyId,
      record: {
        policy: { ...policy, digest: policyDigest(document) },
        benefits: saved.benefits,
        values: saved.values,
        digest: digest(saved.values),
      },
    },
  ]);
}

/**
 * A published allocation, in the publishing transaction: one `budget_allocation` record
 * (period, purpose, pool, allocated, unallocated, method, tier totals, the run it used and the
 * digest of its configuration), then one `allocation_line` record per dealer, by dealer id.
 */
export async function recordPublishedAllocation(
  db: Kysely<Database>,
  tenantId: number,
  allocationId: number,
): Promise<{ from: number; count: number }> {
  const a = await getAllocation(db, tenantId, allocationId);
  const common = { allocation: a.id, period: a.period, purpose: a.purpose };
  const lines = await allLines(db, tenantId, allocationId);
  const records: NewRecord[] = [
    {
      kind: 'budget_allocation',
      dealerId: null,
      period: a.period,
      refId: a.id,
      record: {
        ...common,
        name: a.name,
        pool: a.pool,
        allocated: a.allocated,
        unallocated: a.unallocated,
        claimDeadline: a.claim_deadline,
        method: methodOf(a.config),
        tiers: a.tiers,
        run: a.run_id,
        policy: { id: a.policy_id, name: a.policy_name, version: a.policy_version },
        configDigest: digest(a.config),
        dealers: lines.length,
      },
    },
    ...lines.map((l): NewRecord => ({
      kind: 'allocation_line',
      dealerId: l.dealer_id,
      period: a.period,
      refId: a.id,
      record: {
        ...common,
        dealer: { id: l.dealer_id, code: l.code },
        tier: l.tier,
        rule: l.rule,
        baseWeight: l.base_weight,
        weight: l.weight,
        adjustments: l.adjustments,
        amount: l.amount,
        floor: l.floor,
        cap: l.cap,
      },
    })),
  ];
  return appendRecords(db, tenantId, records);
}
