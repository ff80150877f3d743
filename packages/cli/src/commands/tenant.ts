import { Command } from 'commander';
import { createTenant, listTenants, recordAudit, seedChinaRegions } from '@tierline/server';
import { cliOrigin } from '../cli-origin.js';
import { addStoreOptions, openStoreFromOptions, type StoreOptions } from '../store-options.js';
import { fail, UsageError } from '../errors.js';

function createCommand(): Command {
  return addStoreOptions(
    new Command('create')
      .description(
        'Create an empty tenant (then `tierline user create --tenant <slug> --role admin`)',
      )
      .argument('<slug>', 'URL-safe name: lowercase letters, digits, dashes')
      .requiredOption('--name <name>', 'display name, e.g. the manufacturer')
      .option('--currency <code>', 'ISO 4217 currency of all amounts', 'CNY')
      .option('--locale <tag>', 'language of the tenant, e.g. zh-CN or en-US', 'zh-CN')
      .option(
        '--time-zone <zone>',
        'IANA time zone, e.g. Asia/Shanghai or America/Los_Angeles',
        'Asia/Shanghai',
      )
      .option(
        '--no-china-regions',
        "do not add China's GB/T 2260 regions (provinces, cities, counties)",
      ),
  ).action(
    async (
      slug: string,
      opts: StoreOptions & {
        name: string;
        currency: string;
        locale: string;
        timeZone: string;
        chinaRegions: boolean;
      },
    ) => {
      try {
        try {
          new Intl.DateTimeFormat('en', { timeZone: opts.timeZone });
        } catch {
          throw new UsageError(
            `--time-zone must be an IANA time zone such as Asia/Shanghai, got "${opts.timeZone}".`,
          );
        }
        if (!/^[a-z]{2,3}(-[A-Z]{2})?$/.test(opts.locale)) {
          throw new UsageError(`--locale must look like zh-CN or en-US, got "${opts.locale}".`);
        }
        if (!/^[A-Z]{3}$/.test(opts.currency)) {
          throw new UsageError(
            `--currency must be an ISO 4217 code such as CNY, got "${opts.currency}".`,
          );
        }
        const store = await openStoreFromOptions(opts);
        try {
          const { tenant, regions } = await store.db.transaction().execute(async (trx) => {
            const created = await createTenant(trx, {
              slug,
              name: opts.name,
              currency: opts.currency,
              locale: opts.locale,
              timeZone: opts.timeZone,
            });
            const seeded = opts.chinaRegions ? await seedChinaRegions(trx, created.id) : 0;
            await recordAudit(trx, created.id, cliOrigin(), {
              action: 'tenant.create',
              entityType: 'tenant',
              entityId: created.id,
              after: {
                slug: created.slug,
                name: created.name,
                currency: created.currency,
                regions: seeded,
              },
            });
            return { tenant: created, regions: seeded };
          });
          process.stdout.write(
            `Created tenant ${tenant.slug} (${tenant.name}, ${tenant.currency}, ${regions} regions).\n` +
              `Next: tierline user create --tenant ${tenant.slug} --role admin --login <login>\n`,
          );
        } finally {
          await store.close();
        }
      } catch (error) {
        fail(error);
      }
    },
  );
}

function listCommand(): Command {
  return addStoreOptions(new Command('list').description('List the tenants')).action(
    async (opts: StoreOptions) => {
      try {
        const store = await openStoreFromOptions(opts);
        try {
          for (const t of await listTenants(store.db)) {
            process.stdout.write(
              `${t.slug}\t${t.currency}\t${t.is_demo ? 'demo' : '-'}\t${t.name}\n`,
            );
          }
        } finally {
          await store.close();
        }
      } catch (error) {
        fail(error);
      }
    },
  );
}

export function tenantCommand(): Command {
  return new Command('tenant')
    .description('Manage tenants: create, list')
    .addCommand(createCommand())
    .addCommand(listCommand());
}
