import { sql, type Kysely } from 'kysely';
import { notFound } from '@tierline/core';
import type { Benefit, BenefitKind, BenefitUnit, BenefitValue } from '@tierline/contract';
import type { Database } from '../db/database.js';

const COLUMNS = [
  'id',
  'code',
  'name',
  'kind',
  'unit',
  'description',
  'archived_at',
  'created_at',
] as const;

interface BenefitRow {
  id: number;
  code: string;
  name: string;
  kind: BenefitKind;
  unit: BenefitUnit;
  description: string;
  archived_at: Date | null;
  created_at: Date;
}

export function toBenefit(row: BenefitRow): Benefit {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    unit: row.unit,
    description: row.description,
    archived: row.archived_at !== null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** The library, by code; archived benefits included, left out or alone. */
export async function listBenefits(
  db: Kysely<Database>,
  tenantId: number,
  archived: 'include' | 'exclude' | 'only' = 'include',
): Promise<Benefit[]> {
  let qb = db.selectFrom('benefit').select(COLUMNS).where('tenant_id', '=', tenantId);
  if (archived === 'exclude') qb = qb.where('archived_at', 'is', null);
  if (archived === 'only') qb = qb.where('archived_at', 'is not', null);
  return (await qb.orderBy('code').execute()).map(toBenefit);
}

export async function findBenefitByCode(
  db: Kysely<Database>,
  tenantId: number,
  code: string,
): Promise<Benefit | undefined> {
  const row = await db
    .selectFrom('benefit')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row ? toBenefit(row) : undefined;
}

/** A benefit by id; throws not-found (also for another tenant's). */
export async function getBenefit(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<Benefit> {
  const row = await db
    .selectFrom('benefit')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Benefit', id);
  return toBenefit(row);
}

export async function insertBenefit(
  db: Kysely<Database>,
  tenantId: number,
  input: { code: string; name: string; kind: BenefitKind; unit: BenefitUnit; description: string },
): Promise<Benefit> {
  const row = await db
    .insertInto('benefit')
    .values({ tenant_id: tenantId, ...input })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toBenefit(row);
}

export async function updateBenefit(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  changes: { name?: string; kind?: BenefitKind; description?: string; archived?: boolean },
): Promise<Benefit> {
  const row = await db
    .updateTable('benefit')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.kind === undefined ? {} : { kind: changes.kind }),
      ...(changes.description === undefined ? {} : { description: changes.description }),
      ...(changes.archived === undefined
        ? {}
        : { archived_at: changes.archived ? sql<Date>`coalesce(archived_at, now())` : null }),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst();
  if (!row) throw notFound('Benefit', id);
  return toBenefit(row);
}

export interface StoredValue {
  benefitId: number;
  tier: string;
  value: BenefitValue;
  updatedAt: Date;
}

/** Every value saved for a policy version. */
export async function benefitValuesOf(
  db: Kysely<Database>,
  tenantId: number,
  policyId: number,
): Promise<StoredValue[]> {
  const rows = await db
    .selectFrom('benefit_value')
    .select(['benefit_id', 'tier', 'value', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('policy_id', '=', policyId)
    .orderBy('benefit_id')
    .orderBy('tier')
    .execute();
  return rows.map((r) => ({
    benefitId: r.benefit_id,
    tier: r.tier,
    value: r.value as BenefitValue,
    updatedAt: new Date(r.updated_at),
  }));
}

/** Replace the values of a policy version by `values` (benefit id, tier, value). */
export async function replaceBenefitValues(
  db: Kysely<Database>,
  tenantId: number,
  policyId: number,
  values: readonly { benefitId: number; tier: string; value: BenefitValue }[],
  updatedBy: string,
): Promise<void> {
  await db
    .deleteFrom('benefit_value')
    .where('tenant_id', '=', tenantId)
    .where('policy_id', '=', policyId)
    .execute();
  if (values.length === 0) return;
  await db
    .insertInto('benefit_value')
    .values(
      values.map((v) => ({
        tenant_id: tenantId,
        policy_id: policyId,
        benefit_id: v.benefitId,
        tier: v.tier,
        value: JSON.stringify(v.value),
        updated_by: updatedBy,
      })),
    )
    .execute();
}

/** The values of one tier of a policy version, with their benefits (not archived), by code. */
export async function tierBenefits(
  db: Kysely<Database>,
  tenantId: number,
  policyId: number,
  tier: string,
): Promise<{ benefit: Benefit; value: BenefitValue }[]> {
  const rows = await db
    .selectFrom('benefit_value as v')
    .innerJoin('benefit as b', (j) =>
      j.onRef('b.tenant_id', '=', 'v.tenant_id').onRef('b.id', '=', 'v.benefit_id'),
    )
    .select([
      'b.id',
      'b.code',
      'b.name',
      'b.kind',
      'b.unit',
      'b.description',
      'b.archived_at',
      'b.created_at',
      'v.value',
    ])
    .where('v.tenant_id', '=', tenantId)
    .where('v.policy_id', '=', policyId)
    .where('v.tier', '=', tier)
    .where('b.archived_at', 'is', null)
    .orderBy('b.code')
    .execute();
  return rows.map((r) => ({ benefit: toBenefit(r), value: r.value as BenefitValue }));
}
