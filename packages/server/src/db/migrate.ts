import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m20261128090000 from './migrations/2026_11_28_090000_create_channel_model.js';
import * as m20261128130000 from './migrations/2026_11_28_130000_create_identity.js';
import * as m20261128150000 from './migrations/2026_11_28_150000_create_import_batch.js';
import * as m20261128160000 from './migrations/2026_11_28_160000_create_import_mapping.js';
import * as m20261128170000 from './migrations/2026_11_28_170000_create_tiering.js';
import * as m20261128180000 from './migrations/2026_11_28_180000_create_ledger.js';

/** Every migration, listed statically so that bundling and ordering never depend on the disk. */
const migrations: Record<string, Migration> = {
  '2026_11_28_090000_create_channel_model': m20261128090000,
  '2026_11_28_130000_create_identity': m20261128130000,
  '2026_11_28_150000_create_import_batch': m20261128150000,
  '2026_11_28_160000_create_import_mapping': m20261128160000,
  '2026_11_28_170000_create_tiering': m20261128170000,
  '2026_11_28_180000_create_ledger': m20261128180000,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Bring the schema to the latest migration; throws naming the migration that failed.
 * Kysely's bookkeeping tables go into the connection's current schema (its search_path), so a
 * database URL with `options=-c search_path=...` keeps everything in that schema.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = current.rows[0]?.schema ?? 'public';
  const migrator = new Migrator({ db, provider, migrationTableSchema: schema });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const reason =
      result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`Migration ${failed} failed: ${reason}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
