import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  checkpointAll,
  ensureLedgers,
  migrateToLatest,
  openStore,
  useSecretKeyFile,
  type Store,
} from '@tierline/server';

export interface StoreOptions {
  dataDir?: string;
  databaseUrl?: string;
}

/** Add `--data-dir` and `--database-url` (with their environment variables) to a command. */
export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'embedded database folder (env TIERLINE_DATA_DIR; default ./data)')
    .option('--database-url <url>', 'PostgreSQL connection string (env DATABASE_URL)');
}

export interface TenantOptions extends StoreOptions {
  tenant: string;
}

/** The store options and `--tenant` (env TIERLINE_TENANT, default demo). */
export function tenantOption(cmd: Command): Command {
  return addStoreOptions(
    cmd.option(
      '--tenant <slug>',
      'tenant (env TIERLINE_TENANT)',
      process.env['TIERLINE_TENANT'] ?? 'demo',
    ),
  );
}

/** Where the data lives, from flags first, then the environment, then the default. */
export function storeConfig(opts: StoreOptions): { databaseUrl?: string; dataDir?: string } {
  const databaseUrl = opts.databaseUrl ?? process.env['DATABASE_URL'];
  if (databaseUrl) return { databaseUrl };
  return { dataDir: resolve(opts.dataDir ?? process.env['TIERLINE_DATA_DIR'] ?? 'data') };
}

/**
 * Open the configured store and bring its schema up to date. Closing it signs a checkpoint of
 * every tenant log the command appended to, so that what a command wrote is published at once.
 */
export async function openStoreFromOptions(opts: StoreOptions): Promise<Store> {
  useSecretKeyFile(secretKeyFile(opts));
  const store = await openStore(storeConfig(opts));
  try {
    await migrateToLatest(store.db);
    // Tenants made before the ledger existed get their log and key now.
    await ensureLedgers(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    ...store,
    close: async () => {
      try {
        await checkpointAll(store.db);
      } finally {
        await store.close();
      }
    },
  };
}

/**
 * The file holding the key that seals channel credentials (unless TIERLINE_SECRET_KEY is set):
 * TIERLINE_SECRET_KEY_FILE, else `tierline-secret.key` beside the data folder (./data →
 * ./tierline-secret.key), whichever database is used. Outside the database by design.
 */
export function secretKeyFile(opts: StoreOptions): string {
  const file = process.env['TIERLINE_SECRET_KEY_FILE'];
  if (file) return resolve(file);
  const dataDir = resolve(opts.dataDir ?? process.env['TIERLINE_DATA_DIR'] ?? 'data');
  return join(dirname(dataDir), 'tierline-secret.key');
}

/** Where the store is, for messages (never prints a password). */
export function describeStore(opts: StoreOptions): string {
  const config = storeConfig(opts);
  if (config.databaseUrl) {
    try {
      const url = new URL(config.databaseUrl);
      url.password = url.password ? '***' : '';
      return `PostgreSQL ${url.host}${url.pathname}`;
    } catch {
      return 'PostgreSQL';
    }
  }
  return `embedded database in ${config.dataDir}`;
}
