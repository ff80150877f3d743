import type { Kysely, Selectable } from 'kysely';
import { ImportMapping, type ImportKind, type SavedImportMapping } from '@tierline/contract';
import type { Database, ImportMappingTable } from '../db/database.js';

type ImportMappingRow = Selectable<ImportMappingTable>;

/** A saved mapping as the API shows it; `showNames` false (API tokens) hides who saved it. */
export function toSavedMapping(row: ImportMappingRow, showNames = true): SavedImportMapping {
  return {
    name: row.name,
    kind: row.kind as ImportKind,
    mapping: ImportMapping.parse(row.mapping),
    updatedAt: row.updated_at.toISOString(),
    updatedBy: showNames ? row.updated_by : null,
  };
}

/** The tenant's saved mappings, by kind and name. */
export async function listSavedMappings(
  db: Kysely<Database>,
  tenantId: number,
  showNames: boolean,
): Promise<SavedImportMapping[]> {
  const rows = await db
    .selectFrom('import_mapping')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('kind')
    .orderBy('name')
    .execute();
  return rows.map((row) => toSavedMapping(row, showNames));
}

export async function findSavedMapping(
  db: Kysely<Database>,
  tenantId: number,
  name: string,
): Promise<SavedImportMapping | undefined> {
  const row = await db
    .selectFrom('import_mapping')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row && toSavedMapping(row);
}

/** Insert or replace the mapping of that name. */
export async function saveMapping(
  db: Kysely<Database>,
  tenantId: number,
  name: string,
  mapping: ImportMapping,
  updatedBy: string,
  showNames: boolean,
): Promise<SavedImportMapping> {
  const values = {
    kind: mapping.kind,
    mapping: JSON.stringify(mapping),
    updated_at: new Date(),
    updated_by: updatedBy,
  };
  const row = await db
    .insertInto('import_mapping')
    .values({ tenant_id: tenantId, name, ...values })
    .onConflict((oc) => oc.columns(['tenant_id', 'name']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSavedMapping(row, showNames);
}

/** Delete the mapping; false when there was none of that name. */
export async function deleteSavedMapping(
  db: Kysely<Database>,
  tenantId: number,
  name: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('import_mapping')
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
