import { Command } from 'commander';
import { migrateToLatest, openStore } from '@tierline/server';
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
        process.stdout.write(
          applied.length === 0
            ? `The ${describeStore(opts)} is up to date.\n`
            : `Applied ${applied.length} migration(s) to the ${describeStore(opts)}:\n${applied.map((m) => `  ${m}\n`).join('')}`,
        );
      } finally {
        await store.close();
      }
    } catch (error) {
      fail(error);
    }
  });
}
