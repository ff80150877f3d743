import { sql, type Kysely } from 'kysely';
import { notFound, type AlertRule } from '@tierline/core';
import { AlertRuleDocument, type AlertRuleVersion } from '@tierline/contract';
import type { Database } from '../db/database.js';

const COLUMNS = ['id', 'code', 'version', 'document', 'note', 'created_by', 'created_at'] as const;

type RuleRow = {
  id: number;
  code: string;
  version: number;
  document: unknown;
  note: string;
  created_by: string | null;
  created_at: Date;
};

function toVersion(row: RuleRow): AlertRuleVersion {
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    // Stored documents were checked when saved; parsing again fills defaults added since.
    document: AlertRuleDocument.parse(row.document),
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

/** A stored version as core's rule type (the contract's schema and core's type agree). */
export function ruleOf(version: AlertRuleVersion): AlertRule {
  return version.document;
}

/** Append a version of a rule: the next number after its latest, or 1. */
export async function insertRuleVersion(
  db: Kysely<Database>,
  tenantId: number,
  document: AlertRuleDocument,
  note: string,
  createdBy: string | null,
): Promise<AlertRuleVersion> {
  const latest = await db
    .selectFrom('alert_rule')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('tenant_id', '=', tenantId)
    .where('code', '=', document.code)
    .executeTakeFirst();
  const row = await db
    .insertInto('alert_rule')
    .values({
      tenant_id: tenantId,
      code: document.code,
      version: (latest?.version ?? 0) + 1,
      kind: document.kind,
      enabled: document.enabled,
      document: JSON.stringify(document),
      note,
      created_by: createdBy,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toVersion(row);
}

/** The latest version of every rule of the tenant, by code. */
export async function listLatestRules(
  db: Kysely<Database>,
  tenantId: number,
): Promise<AlertRuleVersion[]> {
  const { rows } = await sql<RuleRow>`
    select distinct on (code) id, code, version, document, note, created_by, created_at
    from alert_rule where tenant_id = ${tenantId}
    order by code, version desc`.execute(db);
  return rows.map(toVersion);
}

/** Every version of a rule, newest first; throws not-found. */
export async function listRuleVersions(
  db: Kysely<Database>,
  tenantId: number,
  code: string,
): Promise<AlertRuleVersion[]> {
  const rows = await db
    .selectFrom('alert_rule')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .execute();
  if (rows.length === 0) throw notFound('Alert rule', code);
  return rows.map(toVersion);
}

/** The latest version of a rule, or undefined. */
export async function findLatestRule(
  db: Kysely<Database>,
  tenantId: number,
  code: string,
): Promise<AlertRuleVersion | undefined> {
  const row = await db
    .selectFrom('alert_rule')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toVersion(row) : undefined;
}

/** Whether the tenant has ever had a rule. */
export async function hasRules(db: Kysely<Database>, tenantId: number): Promise<boolean> {
  const row = await db
    .selectFrom('alert_rule')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
