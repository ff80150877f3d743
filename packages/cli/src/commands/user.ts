import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { Login, NewUser, Password, Role } from '@tierline/contract';
import {
  createUser,
  findUserByLogin,
  getTenantBySlug,
  hashPassword,
  listUsers,
  updateUser,
  withTenant,
  type Store,
} from '@tierline/server';
import { addStoreOptions, openStoreFromOptions, type StoreOptions } from '../store-options.js';
import { fail, UsageError } from '../errors.js';
import { cliOrigin } from '../cli-origin.js';

interface TenantOption extends StoreOptions {
  tenant: string;
}

/** The first line of standard input (for --password-stdin). */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd();
}

/** The password from stdin, or a new random one that the command prints once. */
async function choosePassword(
  fromStdin: boolean,
): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) {
    // 16 base64url characters (96 bits); never starting with "-", which a shell reads as an option.
    let password = randomBytes(12).toString('base64url');
    while (password.startsWith('-')) password = randomBytes(12).toString('base64url');
    return { password, generated: true };
  }
  const password = await readStdinLine();
  const checked = Password.safeParse(password);
  if (!checked.success) {
    throw new UsageError(
      `The password from stdin is not accepted: ${checked.error.issues[0]?.message ?? 'invalid'}.`,
    );
  }
  return { password, generated: false };
}

async function withStore<T>(opts: StoreOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStoreFromOptions(opts);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const collect = (value: string, previous: string[]) => [...previous, value];
const tenantOption = () =>
  new Option('--tenant <slug>', 'tenant of the user (env TIERLINE_TENANT)').default(
    process.env['TIERLINE_TENANT'] ?? 'demo',
  );

function createCommand(): Command {
  return addStoreOptions(
    new Command('create')
      .description('Create a user; prints a generated password unless --password-stdin is given')
      .requiredOption('--login <login>', 'sign-in name, e.g. an e-mail address')
      .addOption(
        new Option('--role <role>', 'what the user may do')
          .choices(Role.options)
          .makeOptionMandatory(),
      )
      .option('--name <name>', 'display name (default: the login)')
      .option(
        '--region <code>',
        'channel managers: a region code they own (repeatable)',
        collect,
        [],
      )
      .option('--dealer <code>', 'dealer users: the code of their dealer')
      .option('--password-stdin', 'read the password from the first line of standard input', false)
      .addOption(tenantOption()),
  ).action(
    async (
      opts: TenantOption & {
        login: string;
        role: Role;
        name?: string;
        region: string[];
        dealer?: string;
        passwordStdin: boolean;
      },
    ) => {
      try {
        const { password, generated } = await choosePassword(opts.passwordStdin);
        const parsed = NewUser.safeParse({
          login: opts.login,
          displayName: opts.name ?? opts.login,
          role: opts.role,
          password,
          regionCodes: opts.region,
          ...(opts.dealer === undefined ? {} : { dealerCode: opts.dealer }),
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new UsageError(
            `--${String(issue?.path[0] ?? 'input')}: ${issue?.message ?? 'invalid'}.`,
          );
        }
        const input = {
          login: parsed.data.login,
          displayName: parsed.data.displayName,
          role: parsed.data.role,
          regionCodes: parsed.data.regionCodes,
          dealerCode: parsed.data.dealerCode,
        };
        const hash = await hashPassword(password);
        const user = await withStore(opts, async (store) => {
          const tenant = await getTenantBySlug(store.db, opts.tenant);
          return withTenant(store.db, tenant.id, (trx) =>
            createUser(trx, tenant.id, cliOrigin(), input, hash),
          );
        });
        const scope =
          user.regions.length > 0
            ? ` for ${user.regions.map((r) => r.name).join(', ')}`
            : user.dealer
              ? ` for dealer ${user.dealer.code} ${user.dealer.name}`
              : '';
        process.stdout.write(
          `Created ${user.role} "${user.login}"${scope} in tenant ${opts.tenant}.\n`,
        );
        if (generated) {
          process.stdout.write(`Password (shown once): ${password}\n`);
        }
      } catch (error) {
        fail(error);
      }
    },
  );
}

function listCommand(): Command {
  return addStoreOptions(
    new Command('list').description('List the users of a tenant').addOption(tenantOption()),
  ).action(async (opts: TenantOption) => {
    try {
      const users = await withStore(opts, async (store) => {
        const tenant = await getTenantBySlug(store.db, opts.tenant);
        return withTenant(store.db, tenant.id, (trx) => listUsers(trx, tenant.id), {
          readOnly: true,
        });
      });
      for (const u of users) {
        const scope = u.regions.map((r) => r.name).join(',') || u.dealer?.code || '-';
        const lock = u.lockedUntil && new Date(u.lockedUntil) > new Date() ? ' locked' : '';
        process.stdout.write(
          `${u.login}\t${u.role}\t${u.status}${lock}\t${scope}\t${u.displayName}\n`,
        );
      }
      if (users.length === 0) process.stderr.write(`Tenant ${opts.tenant} has no users yet.\n`);
    } catch (error) {
      fail(error);
    }
  });
}

function setPasswordCommand(): Command {
  return addStoreOptions(
    new Command('set-password')
      .description("Set a user's password (and lift a sign-in lock-out); ends the user's sessions")
      .argument('<login>', 'the user')
      .option('--password-stdin', 'read the password from the first line of standard input', false)
      .addOption(tenantOption()),
  ).action(async (login: string, opts: TenantOption & { passwordStdin: boolean }) => {
    try {
      const name = Login.safeParse(login);
      if (!name.success) throw new UsageError(`"${login}" is not a valid login.`);
      const { password, generated } = await choosePassword(opts.passwordStdin);
      const hash = await hashPassword(password);
      await withStore(opts, async (store) => {
        const tenant = await getTenantBySlug(store.db, opts.tenant);
        await withTenant(store.db, tenant.id, async (trx) => {
          const user = await findUserByLogin(trx, tenant.id, name.data);
          if (!user) throw new UsageError(`Tenant ${opts.tenant} has no user "${name.data}".`);
          await updateUser(trx, tenant.id, cliOrigin(), user.id, { unlock: true }, hash);
        });
      });
      process.stdout.write(`Password of "${name.data}" set; its sessions ended.\n`);
      if (generated) process.stdout.write(`Password (shown once): ${password}\n`);
    } catch (error) {
      fail(error);
    }
  });
}

export function userCommand(): Command {
  return new Command('user')
    .description('Manage users: create, list, set-password')
    .addCommand(createCommand())
    .addCommand(listCommand())
    .addCommand(setPasswordCommand());
}
