import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { DomainError, verifyLog, verifyResume, type SeenCheckpoint } from '@tierline/core';
import {
  checkLedger,
  findLog,
  getTenantBySlug,
  issueCheckpoint,
  newLedgerKey,
  replayDecision,
  withTenant,
  writeKeyFile,
  ledgerOrigin,
  findLedgerEntry,
} from '@tierline/server';
import { openStoreFromOptions, tenantOption, type TenantOptions } from '../store-options.js';
import { EXIT, fail, parseInteger, UsageError } from '../errors.js';

/** A verifier key given as the key itself or as @file. */
function readKey(value: string): string {
  if (!value.startsWith('@')) return value.trim();
  const path = value.slice(1);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    throw new UsageError(`Cannot read the verifier key file ${path}.`);
  }
}

function defaultStateFile(): string {
  return join(
    process.env['XDG_STATE_HOME'] ?? join(homedir(), '.local', 'state'),
    'tierline',
    'checkpoints.json',
  );
}

type State = Record<string, SeenCheckpoint & { note: string }>;

function readState(file: string): State {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as State;
  } catch {
    throw new UsageError(`${file} is not a checkpoint state file; move it away to start again.`);
  }
}

/** GET a path below the log's URL; null on 404. */
function fetcher(base: string) {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return async (path: string): Promise<Uint8Array | null> => {
    let res: Response;
    try {
      res = await fetch(new URL(path, prefix));
    } catch (error) {
      throw new UsageError(`Cannot reach ${prefix}: ${(error as Error).message}`);
    }
    if (res.status === 404) return null;
    if (!res.ok) throw new UsageError(`${prefix}${path} answered ${res.status}.`);
    return new Uint8Array(await res.arrayBuffer());
  };
}

function verifyCommand(): Command {
  return new Command('verify')
    .description(
      "Verify a tenant's log from its public tiles alone: the checkpoint's signature, every entry, the root, and consistency with the checkpoint seen last time",
    )
    .requiredOption('--url <url>', 'the log, e.g. http://localhost:3000/ledger/demo/')
    .requiredOption('--vkey <key>', 'the verifier key you trust (or @file)')
    .option('--state <file>', 'where the last verified checkpoint of each log is kept')
    .option('--no-full', 'check the checkpoint and consistency only, not every entry')
    .action(async (opts: { url: string; vkey: string; state?: string; full: boolean }) => {
      try {
        const stateFile = resolve(opts.state ?? defaultStateFile());
        const verifierKey = readKey(opts.vkey);
        const origin = verifierKey.split('+')[0] ?? '';
        const state = readState(stateFile);
        const previous = state[origin] ?? null;
        const started = performance.now();
        const report = await verifyLog({
          fetch: fetcher(opts.url),
          verifierKey,
          previous,
          full: opts.full,
        });
        const seconds = (performance.now() - started) / 1000;
        for (const step of report.steps) process.stdout.write(`✓ ${step}\n`);
        for (const p of report.problems) {
          process.stdout.write(`✗ ${p.message} [${p.code}]\n`);
        }
        if (!report.ok || !report.checkpoint) {
          process.stdout.write(`The log at ${opts.url} does NOT verify.\n`);
          process.exit(EXIT.failed);
        }
        state[origin] = {
          size: report.checkpoint.size,
          hash: report.checkpoint.hash,
          note: report.checkpoint.note,
        };
        mkdirSync(dirname(stateFile), { recursive: true });
        writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
        process.stdout.write(
          `The log ${origin} verifies: ${report.entries} entries, ${report.tilesFetched} tiles and bundles read in ${seconds.toFixed(2)} s.` +
            `${previous ? '' : ' First check of this log: kept its checkpoint to compare next time.'}\n`,
        );
      } catch (error) {
        fail(error);
      }
    });
}

function verifyResumeCommand(): Command {
  return new Command('verify-resume')
    .description("Verify a dealer's exported résumé offline against the log's verifier key")
    .argument('<file>', 'the résumé (tierline-resume/1 JSON)')
    .requiredOption('--vkey <key>', 'the verifier key you trust (or @file)')
    .action((file: string, opts: { vkey: string }) => {
      try {
        let resume: unknown;
        try {
          resume = JSON.parse(readFileSync(file, 'utf8'));
        } catch (error) {
          throw new UsageError(`Cannot read ${file} as JSON: ${(error as Error).message}`);
        }
        const report = verifyResume(resume, readKey(opts.vkey));
        if (report.problem) process.stdout.write(`✗ ${report.problem}\n`);
        for (const e of report.entries) {
          const what = [e.kind, e.period].filter(Boolean).join(' ');
          process.stdout.write(
            e.ok ? `✓ entry ${e.index} ${what}\n` : `✗ entry ${e.index} ${what}: ${e.problem}\n`,
          );
        }
        const who = report.dealer ? `${report.dealer.code} ${report.dealer.name}` : file;
        if (!report.ok) {
          process.stdout.write(`The résumé of ${who} does NOT verify.\n`);
          process.exit(EXIT.failed);
        }
        process.stdout.write(
          `The résumé of ${who} verifies: ${report.entries.length} records in ${report.origin} (tree of ${report.treeSize}).\n`,
        );
      } catch (error) {
        fail(error);
      }
    });
}

function replayCommand(): Command {
  return tenantOption(
    new Command('replay')
      .description('Recompute a logged tier decision from its recorded inputs and policy')
      .requiredOption('--entry <n>', 'the ledger entry', parseInteger('--entry', 0, 2 ** 53 - 1)),
  ).action(async (opts: TenantOptions & { entry: number }) => {
    try {
      const store = await openStoreFromOptions(opts);
      try {
        const tenant = await getTenantBySlug(store.db, opts.tenant);
        const result = await withTenant(
          store.db,
          tenant.id,
          async (trx) => {
            const entry = await findLedgerEntry(trx, tenant.id, opts.entry);
            if (!entry) {
              throw new DomainError('not_found', `Ledger entry ${opts.entry} does not exist.`);
            }
            return replayDecision(trx, tenant.id, entry);
          },
          { readOnly: true },
        );
        process.stdout.write(
          `Entry ${result.index}: ${result.dealer.code} in ${result.period}, run ${result.runId}, policy ${result.policy.name} v${result.policy.version}.\n`,
        );
        const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
        for (const c of result.checks) {
          process.stdout.write(
            `${c.matches ? '✓' : '✗'} ${c.check.padEnd(16)} recorded ${show(c.recorded)}` +
              `${c.matches ? '' : `, replayed ${show(c.replayed)}`}\n`,
          );
        }
        process.stdout.write(
          result.matches
            ? 'The replayed decision matches the logged one.\n'
            : 'The replayed decision does NOT match the logged one.\n',
        );
        if (!result.matches) process.exitCode = EXIT.failed;
      } finally {
        await store.close();
      }
    } catch (error) {
      fail(error);
    }
  });
}

function checkCommand(): Command {
  return tenantOption(
    new Command('check').description(
      "Check a tenant's log against its database rows: records, salts, commitments, every stored hash and checkpoint",
    ),
  ).action(async (opts: TenantOptions) => {
    try {
      const store = await openStoreFromOptions(opts);
      try {
        const tenant = await getTenantBySlug(store.db, opts.tenant);
        const report = await checkLedger(store.db, tenant.id);
        for (const p of report.problems) {
          process.stdout.write(`✗ ${p.message} [${p.code}]\n`);
        }
        process.stdout.write(
          report.ok
            ? `The log of ${opts.tenant} is intact: ${report.entries} entries, ${report.checkpoints} checkpoints.\n`
            : `The log of ${opts.tenant} has been altered (${report.problems.length} problem(s) listed).\n`,
        );
        if (!report.ok) process.exitCode = EXIT.failed;
      } finally {
        await store.close();
      }
    } catch (error) {
      fail(error);
    }
  });
}

function checkpointCommand(): Command {
  return tenantOption(
    new Command('checkpoint').description(
      "Sign a checkpoint of the tenant's log now (serve does so after each write and every minute) and print it",
    ),
  ).action(async (opts: TenantOptions) => {
    try {
      const store = await openStoreFromOptions(opts);
      try {
        const tenant = await getTenantBySlug(store.db, opts.tenant);
        const checkpoint = await issueCheckpoint(store.db, tenant.id);
        process.stdout.write(checkpoint?.note ?? 'This tenant has no log.\n');
      } finally {
        await store.close();
      }
    } catch (error) {
      fail(error);
    }
  });
}

function vkeyCommand(): Command {
  return tenantOption(
    new Command('vkey').description("Print the tenant log's verifier key"),
  ).action(async (opts: TenantOptions) => {
    try {
      const store = await openStoreFromOptions(opts);
      try {
        const tenant = await getTenantBySlug(store.db, opts.tenant);
        const log = await findLog(store.db, tenant.id);
        if (!log) throw new DomainError('not_found', `Tenant ${opts.tenant} has no log.`);
        process.stdout.write(`${log.verifier_key}\n`);
      } finally {
        await store.close();
      }
    } catch (error) {
      fail(error);
    }
  });
}

function keygenCommand(): Command {
  return new Command('keygen')
    .description(
      'Make the signing key of a tenant that does not exist yet, as a file in a key folder (then run with TIERLINE_LEDGER_KEY_DIR set to that folder)',
    )
    .requiredOption('--tenant <slug>', 'the tenant the key is for')
    .addOption(
      new Option('--dir <folder>', 'key folder')
        .env('TIERLINE_LEDGER_KEY_DIR')
        .makeOptionMandatory(),
    )
    .action((opts: { tenant: string; dir: string }) => {
      try {
        const origin = ledgerOrigin(opts.tenant);
        const pair = newLedgerKey(origin);
        let path: string;
        try {
          path = writeKeyFile(resolve(opts.dir), opts.tenant, pair.signerKey);
        } catch (error) {
          throw new UsageError(`Cannot write the key: ${(error as Error).message}`);
        }
        process.stdout.write(
          `Signer key written to ${path} (mode 0600).\nVerifier key:\n${pair.verifierKey}\n`,
        );
      } catch (error) {
        fail(error);
      }
    });
}

export function ledgerCommand(): Command {
  return new Command('ledger')
    .description(
      'The verifiable history: verify logs and résumés, replay decisions, check and sign',
    )
    .addCommand(verifyCommand())
    .addCommand(verifyResumeCommand())
    .addCommand(replayCommand())
    .addCommand(checkCommand())
    .addCommand(checkpointCommand())
    .addCommand(vkeyCommand())
    .addCommand(keygenCommand());
}
