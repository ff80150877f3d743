import type { Kysely } from 'kysely';
import {
  assessValues,
  bytesEqual,
  canonicalJson,
  commitJson,
  DomainError,
  leafHash,
  storedHashIndex,
  toHex,
} from '@tierline/core';
import type { ReplayResult } from '@tierline/contract';
import type { Database } from '../db/database.js';
import { requireValidPolicy } from '../tiering/policy.service.js';
import { getPolicyById, storedPolicyDocument } from '../tiering/policy.repository.js';
import { loadInputs } from '../tiering/assessment-input.repository.js';
import { significant } from '../tiering/assessment.repository.js';
import { readHashes } from './ledger.repository.js';
import { decisionFields, policyDigest } from './records.js';
import type { EntryRow } from './ledger.repository.js';

interface DecisionRecord {
  kind: 'tier_decision';
  run: number;
  period: string;
  policy: { id: number; name: string; version: number; digest: string };
  inputs: string | null;
  dealer: { id: number; code: string };
  [field: string]: unknown;
}

/**
 * Recompute a logged tier decision from what the log says it was decided from, and compare:
 * the record must open its commitment and match the stored leaf hash; the policy version must
 * still hash to the digest the record names; the recorded inputs must hash to the record's
 * inputs digest; then the engine runs again on them and every decided field must be equal.
 */
export async function replayDecision(
  db: Kysely<Database>,
  tenantId: number,
  entry: EntryRow,
): Promise<ReplayResult> {
  if (entry.kind !== 'tier_decision') {
    throw new DomainError(
      'validation_failed',
      `Entry ${entry.idx} records a ${entry.kind}; only tier decisions can be replayed.`,
      { field: 'index', kind: entry.kind },
    );
  }
  const record = JSON.parse(entry.record) as DecisionRecord;
  const checks: ReplayResult['checks'] = [];
  const check = (name: string, recorded: unknown, replayed: unknown) =>
    checks.push({
      check: name,
      recorded,
      replayed,
      matches: canonicalJson(recorded ?? null) === canonicalJson(replayed ?? null),
    });

  // The record is the one committed in the log.
  const commitment = commitJson(canonicalJson(record), new Uint8Array(entry.salt));
  const leafIndex = storedHashIndex(0, entry.idx);
  const stored = (await readHashes(db, tenantId, [leafIndex])).get(leafIndex);
  check(
    'commitment',
    toHex(new Uint8Array(entry.commitment)),
    stored && bytesEqual(leafHash(commitment), stored) ? toHex(commitment) : 'no matching leaf',
  );

  // The policy version it names and the inputs it was decided from, unchanged: else the
  // engine is not run again (a changed document may not even be a policy any more).
  const document = await storedPolicyDocument(db, tenantId, record.policy.id);
  check('policy digest', record.policy.digest, policyDigest(document));
  const { inputs, digest } = await loadInputs(db, tenantId, record.run);
  check('inputs digest', record.inputs, digest);
  const outcome = (): ReplayResult => ({
    index: entry.idx,
    matches: checks.every((c) => c.matches),
    runId: record.run,
    period: record.period,
    dealer: { id: record.dealer.id, code: record.dealer.code, name: entry.dealer_name ?? '' },
    policy: { name: record.policy.name, version: record.policy.version },
    checks,
  });
  if (checks.some((c) => !c.matches)) return outcome();
  const version = await getPolicyById(db, tenantId, record.policy.id);
  const { resolved } = requireValidPolicy(version.document);

  const result = assessValues({ ...inputs, policy: resolved });
  const d = result.decisions.find((x) => x.dealerId === record.dealer.id);
  if (!d) {
    check('dealer assessed', record.dealer.code, null);
  } else {
    const replayed = decisionFields({ ...d, score: significant(d.score) ?? 0 });
    for (const [field, value] of Object.entries(replayed)) check(field, record[field], value);
  }
  return outcome();
}
