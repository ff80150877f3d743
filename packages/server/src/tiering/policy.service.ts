import type { Kysely } from 'kysely';
import {
  ahpWeights,
  DomainError,
  resolvePolicy,
  type Policy,
  type ResolvedPolicy,
} from '@tierline/core';
import {
  TierPolicy,
  type PolicyComparison,
  type PolicyIssue,
  type PolicyValidation,
  type PolicyVersion,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import { recordPolicyVersion } from '../ledger/records.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { getPolicyVersion, insertPolicyVersion } from './policy.repository.js';

/**
 * Check a policy document: its shape (the contract's zod schema) and then its meaning (core's
 * `resolvePolicy`: known metrics, weights adding up, thresholds in order, a consistent AHP
 * matrix, no circular formulas…). Every problem comes back with its JSON path.
 */
export function validatePolicyDocument(document: unknown): PolicyValidation & {
  policy: TierPolicy | null;
  resolved: ResolvedPolicy | null;
} {
  const parsed = TierPolicy.safeParse(document);
  if (!parsed.success) {
    const issues: PolicyIssue[] = parsed.error.issues.map((i) => ({
      path: i.path
        .map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? String(p) : `.${String(p)}`))
        .join(''),
      message: i.message,
    }));
    return {
      valid: false,
      issues,
      weights: null,
      consistencyRatio: null,
      policy: null,
      resolved: null,
    };
  }
  const policy: Policy = parsed.data;
  const issues: PolicyIssue[] = [];
  let resolved: ResolvedPolicy | null = null;
  try {
    resolved = resolvePolicy(policy, issues);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
  const weights = resolved?.weights
    ? Object.fromEntries(resolved.metrics.map((m, i) => [m.key, resolved.weights![i] ?? 0]))
    : null;
  let consistencyRatio = resolved?.ahp?.cr ?? null;
  if (consistencyRatio === null && policy.weights.method === 'ahp') {
    // Refused for inconsistency: still say how inconsistent, so the editor can show it.
    try {
      consistencyRatio = ahpWeights(policy.weights.matrix).cr;
    } catch {
      consistencyRatio = null;
    }
  }
  return {
    valid: issues.length === 0,
    issues,
    weights,
    consistencyRatio,
    policy: parsed.data,
    resolved,
  };
}

/** Parse and resolve, or throw one `validation_failed` error listing every issue. */
export function requireValidPolicy(document: unknown): {
  policy: TierPolicy;
  resolved: ResolvedPolicy;
} {
  const result = validatePolicyDocument(document);
  if (!result.valid || !result.policy || !result.resolved) {
    const first = result.issues[0];
    throw new DomainError(
      'validation_failed',
      result.issues.length === 1 && first
        ? `The policy is invalid: ${first.path}: ${first.message}`
        : `The policy has ${result.issues.length} problems${first ? `; the first: ${first.path}: ${first.message}` : ''}`,
      { issues: result.issues },
    );
  }
  return { policy: result.policy, resolved: result.resolved };
}

/** Save a new version of a policy (version 1 of a new name), with an audit event. */
export async function createPolicyVersion(
  db: Kysely<Database>,
  tenantId: number,
  document: unknown,
  note: string,
  origin: AuditOrigin,
): Promise<PolicyVersion> {
  const { policy } = requireValidPolicy(document);
  const saved = await insertPolicyVersion(db, tenantId, policy, note, origin.actor.name);
  await recordAudit(db, tenantId, origin, {
    action: 'policy.version_created',
    entityType: 'tier_policy',
    entityId: saved.id,
    after: { name: saved.name, version: saved.version, note },
  });
  await recordPolicyVersion(db, tenantId, saved);
  return saved;
}

/** What changed between two versions of a policy, as JSON paths with before and after. */
export async function comparePolicyVersions(
  db: Kysely<Database>,
  tenantId: number,
  name: string,
  from: number,
  to: number,
): Promise<PolicyComparison> {
  const a = await getPolicyVersion(db, tenantId, name, from);
  const b = await getPolicyVersion(db, tenantId, name, to);
  return { name, from, to, changes: diffJson(a.document, b.document) };
}

/** Leaf-level differences between two JSON values; arrays compare by index. */
export function diffJson(
  before: unknown,
  after: unknown,
  path = '',
): { path: string; before?: unknown; after?: unknown }[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null;
  if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => {
      const child = Array.isArray(before) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      if (!(k in before)) return [{ path: child, after: after[k] }];
      if (!(k in after)) return [{ path: child, before: before[k] }];
      return diffJson(before[k], after[k], child);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}
