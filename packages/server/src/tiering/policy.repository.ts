import type { Kysely } from 'kysely';
import { notFound } from '@tierline/core';
import { TierPolicy, type PolicySummary, type PolicyVersion } from '@tierline/contract';
import type { Database } from '../db/database.js';

type PolicyRow = {
  id: number;
  name: string;
  version: number;
  document: unknown;
  note: string;
  created_by: string | null;
  created_at: Date;
};

function toVersion(row: PolicyRow): PolicyVersion {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    // Stored documents were checked when saved; parsing again fills defaults added since.
    document: TierPolicy.parse(row.document),
  };
}

const COLUMNS = ['id', 'name', 'version', 'document', 'note', 'created_by', 'created_at'] as const;

/** Append a version of a policy: the next number after its latest, or 1. */
export async function insertPolicyVersion(
  db: Kysely<Database>,
  tenantId: number,
  document: TierPolicy,
  note: string,
  createdBy: string | null,
): Promise<PolicyVersion> {
  const latest = await db
    .selectFrom('tier_policy')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('tenant_id', '=', tenantId)
    .where('name', '=', document.name)
    .executeTakeFirst();
  const row = await db
    .insertInto('tier_policy')
    .values({
      tenant_id: tenantId,
      name: document.name,
      version: (latest?.version ?? 0) + 1,
      document: JSON.stringify(document),
      note,
      created_by: createdBy,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toVersion(row);
}

/** A version by name (and number; the latest when absent); throws not-found. */
export async function getPolicyVersion(
  db: Kysely<Database>,
  tenantId: number,
  name: string,
  version?: number,
): Promise<PolicyVersion> {
  let qb = db
    .selectFrom('tier_policy')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name);
  qb =
    version === undefined
      ? qb.orderBy('version', 'desc').limit(1)
      : qb.where('version', '=', version);
  const row = await qb.executeTakeFirst();
  if (!row) throw notFound('Policy', version === undefined ? name : `${name} v${version}`);
  return toVersion(row);
}

/** A version by id; throws not-found. */
export async function getPolicyById(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<PolicyVersion> {
  const row = await db
    .selectFrom('tier_policy')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Policy version', id);
  return toVersion(row);
}

/** Every policy with its latest version. */
export async function listPolicies(
  db: Kysely<Database>,
  tenantId: number,
): Promise<PolicySummary[]> {
  const rows = await db
    .selectFrom('tier_policy as p')
    .select(COLUMNS.map((c) => `p.${c}` as const))
    .where('p.tenant_id', '=', tenantId)
    .where((eb) =>
      eb(
        'p.version',
        '=',
        eb
          .selectFrom('tier_policy as q')
          .select((e) => e.fn.max('q.version').as('v'))
          .whereRef('q.tenant_id', '=', 'p.tenant_id')
          .whereRef('q.name', '=', 'p.name'),
      ),
    )
    .orderBy('p.name')
    .execute();
  return rows.map((row) => {
    const v = toVersion(row);
    return {
      name: v.name,
      description: v.document.description,
      latestVersion: v.version,
      latestId: v.id,
      cycle: v.document.cycle,
      tiers: v.document.tiers,
      effectiveFrom: v.document.effectiveFrom,
      updatedAt: v.createdAt,
      updatedBy: v.createdBy,
    };
  });
}

/** Every version of a policy, newest first, without documents. */
export async function listPolicyVersions(
  db: Kysely<Database>,
  tenantId: number,
  name: string,
): Promise<Omit<PolicyVersion, 'document'>[]> {
  const rows = await db
    .selectFrom('tier_policy')
    .select(['id', 'name', 'version', 'note', 'created_by', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .orderBy('version', 'desc')
    .execute();
  if (rows.length === 0) throw notFound('Policy', name);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    version: r.version,
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  }));
}

/** A version's document exactly as stored (before defaults are filled), for its digest. */
export async function storedPolicyDocument(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<unknown> {
  const row = await db
    .selectFrom('tier_policy')
    .select('document')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Policy version', id);
  return row.document;
}
