import type { Kysely } from 'kysely';
import { DomainError } from '@tierline/core';
import type {
  Benefit,
  BenefitMatrix,
  BenefitPatch,
  BenefitUnit,
  BenefitValue,
  NewBenefit,
  SaveBenefitValues,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { getPolicyVersion } from '../tiering/policy.repository.js';
import {
  benefitValuesOf,
  findBenefitByCode,
  getBenefit,
  insertBenefit,
  listBenefits,
  replaceBenefitValues,
  updateBenefit,
} from './benefit.repository.js';
import { recordBenefitValues } from './allocation.records.js';

/** Add a benefit to the library; its code is unique in the tenant. */
export async function createBenefit(
  db: Kysely<Database>,
  tenantId: number,
  input: NewBenefit,
  origin: AuditOrigin,
): Promise<Benefit> {
  if (await findBenefitByCode(db, tenantId, input.code)) {
    throw new DomainError(
      'conflict',
      `A benefit with the code ${input.code} exists already; choose another code, or edit that one.`,
      { field: 'code', value: input.code },
    );
  }
  const benefit = await insertBenefit(db, tenantId, {
    code: input.code,
    name: input.name,
    kind: input.kind,
    unit: input.unit,
    description: input.description ?? '',
  });
  await recordAudit(db, tenantId, origin, {
    action: 'benefit.created',
    entityType: 'benefit',
    entityId: benefit.id,
    after: { code: benefit.code, name: benefit.name, kind: benefit.kind, unit: benefit.unit },
  });
  return benefit;
}

/** Rename, re-describe, re-kind, archive or restore a benefit (its unit never changes). */
export async function patchBenefit(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  patch: BenefitPatch,
  origin: AuditOrigin,
): Promise<Benefit> {
  const before = await getBenefit(db, tenantId, id);
  const after = await updateBenefit(db, tenantId, id, patch);
  const action =
    patch.archived === true && !before.archived
      ? 'benefit.archived'
      : patch.archived === false && before.archived
        ? 'benefit.restored'
        : 'benefit.updated';
  await recordAudit(db, tenantId, origin, {
    action,
    entityType: 'benefit',
    entityId: id,
    before: pick(before),
    after: pick(after),
  });
  return after;
}

function pick(b: Benefit) {
  return { name: b.name, kind: b.kind, description: b.description, archived: b.archived };
}

/** The value matrix of a policy version: benefits × the version's tiers. */
export async function benefitMatrix(
  db: Kysely<Database>,
  tenantId: number,
  policy: string,
  version?: number,
): Promise<BenefitMatrix> {
  const v = await getPolicyVersion(db, tenantId, policy, version);
  const benefits = await listBenefits(db, tenantId);
  const stored = await benefitValuesOf(db, tenantId, v.id);
  const byBenefit = new Map<number, Record<string, BenefitValue>>();
  let updatedAt: Date | null = null;
  for (const s of stored) {
    const row = byBenefit.get(s.benefitId) ?? {};
    row[s.tier] = s.value;
    byBenefit.set(s.benefitId, row);
    if (updatedAt === null || s.updatedAt > updatedAt) updatedAt = s.updatedAt;
  }
  return {
    policy: { id: v.id, name: v.name, version: v.version },
    tiers: v.document.tiers,
    rows: benefits
      .filter((b) => !b.archived || byBenefit.has(b.id))
      .map((b) => ({ benefit: b, values: byBenefit.get(b.id) ?? {} })),
    updatedAt: updatedAt?.toISOString() ?? null,
  };
}

const MAX_BASIS_POINTS = 10_000;

/** Why a value does not fit a unit, or null when it does. */
export function valueProblem(unit: BenefitUnit, value: BenefitValue): string | null {
  switch (unit) {
    case 'basis_points':
      return Number.isInteger(value) &&
        (value as number) >= 0 &&
        (value as number) <= MAX_BASIS_POINTS
        ? null
        : `must be a whole number of basis points from 0 to ${MAX_BASIS_POINTS} (150 = 1.5%)`;
    case 'money':
      return Number.isSafeInteger(value) && (value as number) >= 0
        ? null
        : 'must be a whole number of minor units (fen), 0 or more';
    case 'count':
      return Number.isSafeInteger(value) && (value as number) >= 0
        ? null
        : 'must be a whole number, 0 or more';
    case 'level':
      return typeof value === 'string' && value.trim().length >= 1 && value.length <= 40
        ? null
        : 'must be a label of 1 to 40 characters, e.g. A';
    case 'text':
      return typeof value === 'string' && value.trim().length >= 1 && value.length <= 200
        ? null
        : 'must be a text of 1 to 200 characters';
    case 'flag':
      return typeof value === 'boolean' ? null : 'must be true or false';
  }
}

interface Issue {
  path: string;
  message: string;
}

function refuse(subject: string, issues: readonly Issue[]): never {
  const first = issues[0]!;
  const head = `${first.path}: ${first.message}`;
  throw new DomainError(
    'validation_failed',
    issues.length > 1 ? `The ${subject} have ${issues.length} problems; the first: ${head}` : head,
    { issues: issues.slice(0, 100), issueCount: issues.length },
  );
}

/**
 * Save the whole value matrix of one policy version: every cell checked (known benefit, a tier
 * of the version, a value that fits the unit), then the version's values replaced, the audit
 * event and the `benefit_values` ledger record written, in the caller's transaction.
 */
export async function saveBenefitValues(
  db: Kysely<Database>,
  tenantId: number,
  input: SaveBenefitValues,
  origin: AuditOrigin,
): Promise<BenefitMatrix> {
  const version = await getPolicyVersion(db, tenantId, input.policy, input.version);
  const tiers = version.document.tiers.map((t) => t.code);
  const benefits = new Map((await listBenefits(db, tenantId)).map((b) => [b.code, b]));
  const issues: Issue[] = [];
  const rows: { benefitId: number; tier: string; value: BenefitValue }[] = [];
  const saved: Record<string, Record<string, BenefitValue>> = {};
  for (const [code, cells] of Object.entries(input.values)) {
    const benefit = benefits.get(code);
    const set = Object.entries(cells).filter(
      (entry): entry is [string, BenefitValue] => entry[1] !== null,
    );
    if (!benefit) {
      issues.push({
        path: `values.${code}`,
        message: `There is no benefit ${code}; add it to the library first.`,
      });
      continue;
    }
    if (benefit.archived && set.length > 0) {
      issues.push({
        path: `values.${code}`,
        message: `Benefit ${code} is archived; restore it before giving it values.`,
      });
      continue;
    }
    for (const tier of Object.keys(cells)) {
      if (!tiers.includes(tier)) {
        issues.push({
          path: `values.${code}.${tier}`,
          message: `${tier} is not a tier of policy ${version.name} v${version.version}; use one of ${tiers.join(', ')}.`,
        });
      }
    }
    for (const [tier, value] of set) {
      if (!tiers.includes(tier)) continue;
      const problem = valueProblem(benefit.unit, value);
      if (problem !== null) {
        issues.push({
          path: `values.${code}.${tier}`,
          message: `The value of ${code} for ${tier} ${problem}; got ${JSON.stringify(value)}.`,
        });
        continue;
      }
      rows.push({ benefitId: benefit.id, tier, value });
      (saved[code] ??= {})[tier] = value;
    }
  }
  if (issues.length > 0) refuse('benefit values', issues);

  await replaceBenefitValues(db, tenantId, version.id, rows, origin.actor.name);
  await recordAudit(db, tenantId, origin, {
    action: 'benefit.values_saved',
    entityType: 'tier_policy',
    entityId: version.id,
    after: { policy: version.name, version: version.version, cells: rows.length },
  });
  const used = [...benefits.values()].filter((b) => saved[b.code] !== undefined);
  await recordBenefitValues(db, tenantId, {
    policyId: version.id,
    benefits: used.map((b) => ({ code: b.code, name: b.name, kind: b.kind, unit: b.unit })),
    values: saved,
  });
  return benefitMatrix(db, tenantId, version.name, version.version);
}
