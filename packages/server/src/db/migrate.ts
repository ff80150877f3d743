import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m20261128090000 from './migrations/2026_11_28_090000_create_channel_model.js';
import * as m20261128130000 from './migrations/2026_11_28_130000_create_identity.js';
import * as m20261128150000 from './migrations/2026_11_28_150000_create_import_batch.js';
import * as m20261128160000 from './migrations/2026_11_28_160000_create_import_mapping.js';
import * as m20261128170000 from './migrations/2026_11_28_170000_create_tiering.js';
import * as m20261128180000 from './migrations/2026_11_28_180000_create_ledger.js';
import * as m20261128190000 from './migrations/2026_11_28_190000_create_benefits_and_allocations.js';
import * as m20261128190100 from './migrations/2026_11_28_190100_create_rebates.js';
import * as m20261128190200 from './migrations/2026_11_28_190200_create_market_funds.js';
import * as m20261128190300 from './migrations/2026_11_28_190300_create_alerts.js';
import * as m20261128190400 from './migrations/2026_11_28_190400_create_notifications.js';

/** Every migration, listed statically so that bundling and ordering never depend on the disk. */
const migrations: Record<string, Migration> = {
  '2026_11_28_090000_create_channel_model': m20261128090000,
  '2026_11_28_130000_create_identity': m20261128130000,
  '2026_11_28_150000_create_import_batch': m20261128150000,
  '2026_11_28_160000_create_import_mapping': m20261128160000,
  '2026_11_28_170000_create_tiering': m20261128170000,
  '2026_11_28_180000_create_ledger': m20261128180000,
  '2026_11_28_190000_create_benefits_and_allocations': m20261128190000,
  '2026_11_28_190100_create_rebates': m20261128190100,
  '2026_11_28_190200_create_market_funds': m20261128190200,
  '2026_11_28_190300_create_alerts': m20261128190300,
  '2026_11_28_190400_create_notifications': m20261128190400,
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
