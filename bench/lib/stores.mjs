import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openStore } from '../../packages/server/dist/index.js';

/**
 * A fresh, migrated store for one measurement: PGlite in a temporary data directory (on disk,
 * as `tierline` uses it), or a new schema in the PostgreSQL database at `databaseUrl`.
 * `dispose()` closes it and removes the directory or drops the schema.
 */
export async function openBenchStore({ engine, databaseUrl }) {
  if (engine === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'tierline-bench-'));
    const store = await openStore({ dataDir: dir });
    await migrateToLatest(store.db);
    return {
      store,
      dispose: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = await openStore({ databaseUrl, poolSize: 1 });
  await sql.raw(`create schema ${schema}`).execute(admin.db);
  const store = await openStore({ databaseUrl, schema, poolSize: 2 });
  await migrateToLatest(store.db, schema);
  return {
    store,
    dispose: async () => {
      await store.close();
      await sql.raw(`drop schema ${schema} cascade`).execute(admin.db);
      await admin.close();
    },
  };
}
