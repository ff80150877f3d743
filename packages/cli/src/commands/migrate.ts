import { Command } from 'commander';
import { ensureLedgers, migrateToLatest, openStore } from '@tierline/server';
import {
  addStoreOptions,
  describeStore,
  storeConfig,
  type StoreOptions,
} from '../store-options.js';
import { fail } from '../errors.js';

export function migrateCommand(): Command {
  return addStoreOptions(
    new Command('migrate').description('Bring the database schema up to the latest migration'),
  ).action(async (opts: StoreOptions) => {
    try {
      const store = await openStore(storeConfig(opts));
      try {
        const applied = await migrateToLatest(store.db);
        const logs = await ensureLedgers(store.db);
        process.stdout.write(
          applied.length === 0
            ? `The ${describeStore(opts)} is up to date.\n`
            : `Applied ${applied.length} migration(s) to the ${describeStore(opts)}:\n${applied.map((m) => `  ${m}\n`).join('')}`,
        );
        if (logs > 0) process.stdout.write(`Created the ledger of ${logs} tenant(s).\n`);
      } finally {
        await store.close();
      }
    } catch (error) {
      fail(error);
    }
  });
}
