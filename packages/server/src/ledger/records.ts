import type { Kysely } from 'kysely';
import { canonicalJson, sha256, toHex } from '@tierline/core';
import type { ImportResult } from '@tierline/contract';
import type { Database } from '../db/database.js';
import { storedPolicyDocument } from '../tiering/policy.repository.js';
import { inputsDigestOf } from '../tiering/assessment-input.repository.js';
import { appendRecords, type NewRecord } from './ledger.service.js';

/**
 * What each kind of ledger record holds (docs/ledger.md, "Records"). Records name dealers by
 * id and code and never name staff: who computed, approved, published or imported is in the
 * audit trail, which only those who may see logins read. Amounts are as stored.
 */

/** SHA-256 (hex) of a policy document's canonical JSON, exactly as stored. */
export function policyDigest(document: unknown): string {
  return toHex(sha256(new TextEncoder().encode(canonicalJson(document))));
}

interface PolicyRef {
  id: number;
  name: string;
  version: number;
  digest: string;
}

async function policyRef(
  db: Kysely<Database>,
  tenantId: number,
  policyId: number,
): Promise<PolicyRef> {
  const row = await db
    .selectFrom('tier_policy')
    .select(['id', 'name', 'version'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', policyId)
    .executeTakeFirstOrThrow();
  return { ...row, digest: policyDigest(await storedPolicyDocument(db, tenantId, policyId)) };
}

/**
 * Append a published run to the log, in the publishing transaction: one `assessment_run`
 * record (who computed, approved and published it, its counts and inputs digest), then one
 * `tier_decision` record per dealer, in rank order.
 */
export async function recordPublishedRun(
  db: Kysely<Database>,
  tenantId: number,
  runId: number,
): Promise<{ from: number; count: number }> {
  const run = await db
    .selectFrom('assessment_run')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
  const policy = await policyRef(db, tenantId, run.policy_id);
  const inputs = await inputsDigestOf(db, tenantId, runId);
  const decisions = await db
    .selectFrom('tier_decision as td')
    .innerJoin('dealer', (j) =>
      j.onRef('dealer.tenant_id', '=', 'td.tenant_id').onRef('dealer.id', '=', 'td.dealer_id'),
    )
    .select([
      'td.dealer_id',
      'dealer.code',
      'td.score',
      'td.rank',
      'td.score_tier as scoreTier',
      'td.candidate_tier as candidateTier',
      'td.previous_tier as previousTier',
      'td.tier',
      'td.standing',
      'td.periods_below as periodsBelow',
      'td.periods_at_bottom as periodsAtBottom',
      'td.reasons',
      'td.override_kind',
      'td.override_reason',
    ])
    .where('td.tenant_id', '=', tenantId)
    .where('td.run_id', '=', runId)
    .orderBy('td.rank')
    .execute();
  const common = { run: runId, period: run.period, policy, inputs };
  const records: NewRecord[] = [
    {
      kind: 'assessment_run',
      dealerId: null,
      period: run.period,
      refId: runId,
      record: {
        ...common,
        dealers: run.dealer_count,
        counts: run.counts,
        changed: run.changed,
        overrides: run.overrides,
        publishedAt: run.published_at ? new Date(run.published_at).toISOString() : null,
      },
    },
    ...decisions.map((d): NewRecord => ({
      kind: 'tier_decision',
      dealerId: d.dealer_id,
      period: run.period,
      refId: runId,
      record: {
        ...common,
        dealer: { id: d.dealer_id, code: d.code },
        ...decisionFields({
          ...d,
          override: d.override_kind ? { kind: d.override_kind, reason: d.override_reason } : null,
        }),
      },
    })),
  ];
  return appendRecords(db, tenantId, records);
}

/** What a decision record says was decided (the engine's names; the score as published). */
export interface DecidedFields {
  score: number;
  rank: number;
  scoreTier: string;
  candidateTier: string;
  previousTier: string | null;
  tier: string;
  standing: string;
  periodsBelow: number;
  periodsAtBottom: number;
  reasons: readonly string[];
  override: { kind: string; reason: string | null } | null;
}

/** The fields of a decision a record holds, and replay compares, in that order. */
export function decisionFields(d: DecidedFields): Record<string, unknown> {
  return {
    score: d.score,
    rank: d.rank,
    scoreTier: d.scoreTier,
    candidateTier: d.candidateTier,
    previousTier: d.previousTier,
    tier: d.tier,
    standing: d.standing,
    periodsBelow: d.periodsBelow,
    periodsAtBottom: d.periodsAtBottom,
    reasons: [...d.reasons],
    override: d.override ? { kind: d.override.kind, reason: d.override.reason } : null,
  };
}

/** A saved policy version, with the digest decision records refer to. */
export async function recordPolicyVersion(
  db: Kysely<Database>,
  tenantId: number,
  version: { id: number; name: string; version: number; note: string },
): Promise<void> {
  const document = await storedPolicyDocument(db, tenantId, version.id);
  await appendRecords(db, tenantId, [
    {
      kind: 'policy_version',
      dealerId: null,
      period: null,
      refId: version.id,
      record: {
        policy: { id: version.id, name: version.name, version: version.version },
        digest: policyDigest(document),
        document,
        note: version.note,
      },
    },
  ]);
}

/**
 * A manual override as it was set, with its reason. Who set it stays in the audit trail:
 * the dealer can open this record.
 */
export async function recordOverride(
  db: Kysely<Database>,
  tenantId: number,
  override: {
    id: number;
    dealerId: number;
    dealerCode: string;
    runId: number;
    period: string;
    kind: string;
    tier: string;
    reason: string;
    until: string | null;
  },
): Promise<void> {
  await appendRecords(db, tenantId, [
    {
      kind: 'tier_override',
      dealerId: override.dealerId,
      period: override.period,
      refId: override.id,
      record: {
        override: {
          id: override.id,
          kind: override.kind,
          tier: override.tier,
          reason: override.reason,
          until: override.until,
        },
        dealer: { id: override.dealerId, code: override.dealerCode },
        run: override.runId,
        period: override.period,
      },
    },
  ]);
}

/** An import that changed data: the file's SHA-256 and what it did. */
export async function recordImportBatch(
  db: Kysely<Database>,
  tenantId: number,
  batchId: number,
  result: Pick<
    ImportResult,
    'kind' | 'fileName' | 'sha256' | 'outcome' | 'rows' | 'inserted' | 'updated' | 'invalid'
  >,
): Promise<void> {
  await appendRecords(db, tenantId, [
    {
      kind: 'import_batch',
      dealerId: null,
      period: null,
      refId: batchId,
      record: {
        batch: batchId,
        dataKind: result.kind,
        fileName: result.fileName,
        sha256: result.sha256,
        outcome: result.outcome,
        rows: result.rows,
        inserted: result.inserted,
        updated: result.updated,
        invalid: result.invalid,
      },
    },
  ]);
}
