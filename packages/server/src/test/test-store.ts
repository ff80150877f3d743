import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openStore, type Store } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';

export interface TestStore extends Store {
  /** The PostgreSQL schema of this store; undefined on PGlite. */
  schema?: string | undefined;
  /** Drop what the test made (the PostgreSQL schema) and close. */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new schema
 * in the PostgreSQL server named by TEST_DATABASE_URL (dropped again by `destroy`).
 */
export async function createTestStore(): Promise<TestStore> {
  const url = process.env['TEST_DATABASE_URL'];
  if (!url) {
    const store = await openStore({});
    await migrateToLatest(store.db);
    return { ...store, destroy: () => store.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openStore({ databaseUrl: url, poolSize: 1 });
  await sql.raw(`create schema ${schema}`).execute(admin.db);
  const store = await openStore({ databaseUrl: url, schema, poolSize: 5 });
  await migrateToLatest(store.db);
  return {
    ...store,
    schema,
    destroy: async () => {
      await store.close();
      await sql.raw(`drop schema ${schema} cascade`).execute(admin.db);
      await admin.close();
    },
  };
}

/** A short unique suffix for slugs and codes, so tests isolate by data. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
