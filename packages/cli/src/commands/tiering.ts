import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { DomainError } from '@tierline/core';
import type { RunDetail, Simulation } from '@tierline/contract';
import {
  approveRun,
  createPolicyVersion,
  createRun,
  decisionExport,
  exportTable,
  getTenantBySlug,
  listPolicies,
  listRuns,
  publishRun,
  simulate,
  validatePolicyDocument,
  withTenant,
  type Store,
} from '@tierline/server';
import { openStoreFromOptions, tenantOption, type TenantOptions } from '../store-options.js';
import { EXIT, fail, parseInteger, UsageError } from '../errors.js';
import { cliOrigin } from '../cli-origin.js';

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`Cannot read ${file}: no such file.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Open the store, find the tenant, run `fn` in one transaction scoped to it, close. */
async function inTenant<T>(
  opts: TenantOptions,
  fn: (db: Store['db'], tenantId: number) => Promise<T>,
): Promise<T> {
  const store = await openStoreFromOptions(opts);
  try {
    const tenant = await getTenantBySlug(store.db, opts.tenant);
    return await withTenant(store.db, tenant.id, (trx) => fn(trx, tenant.id));
  } finally {
    await store.close();
  }
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

function countsLine(tiers: readonly string[], counts: Record<string, number>): string {
  return tiers.map((t) => `${t} ${counts[t] ?? 0}`).join('   ');
}

function runLines(run: RunDetail, seconds: number): string {
  const tiers = run.tiers.map((t) => t.code);
  return [
    `Run ${run.id}: ${run.period} with policy ${run.policy.name} v${run.policy.version} — ${run.status}.`,
    `  dealers ${run.dealerCount}   changed tier ${run.changed}   overrides ${run.overrides}   ${seconds.toFixed(1)} s`,
    `  ${countsLine(tiers, run.counts)}`,
    '',
  ].join('\n');
}

export function policyCommand(): Command {
  const policy = new Command('policy').description('Tier policies: check, save and list');
  policy
    .command('validate')
    .description('Check a policy document (JSON) and explain every problem with its path')
    .argument('<file>', 'policy JSON (schema: docs/policy.md)')
    .action(async (file: string) => {
      try {
        const result = validatePolicyDocument(await readJson(file));
        if (!result.valid) {
          process.stderr.write(`${file}: ${result.issues.length} problem(s):\n`);
          for (const issue of result.issues)
            process.stderr.write(`  ${issue.path || '(document)'}: ${issue.message}\n`);
          process.exit(EXIT.failed);
        }
        const weights = result.weights
          ? Object.entries(result.weights)
              .map(([k, w]) => `${k} ${(w * 100).toFixed(1)}%`)
              .join(', ')
          : 'derived from the data of each period (entropy)';
        process.stdout.write(
          `${file}: valid. Weights: ${weights}.${result.consistencyRatio !== null ? ` AHP consistency ratio ${result.consistencyRatio.toFixed(3)}.` : ''}\n`,
        );
      } catch (error) {
        fail(error);
      }
    });
  tenantOption(
    policy
      .command('save')
      .description('Save a policy document as the next version of its name')
      .argument('<file>', 'policy JSON')
      .option('--note <text>', 'what changed and why', ''),
  ).action(async (file: string, opts: TenantOptions & { note: string }) => {
    try {
      const document = await readJson(file);
      const saved = await inTenant(opts, (db, tenantId) =>
        createPolicyVersion(db, tenantId, document, opts.note, cliOrigin()),
      );
      process.stdout.write(
        `Saved policy ${saved.name} version ${saved.version} (id ${saved.id}).\n`,
      );
    } catch (error) {
      fail(error);
    }
  });
  tenantOption(policy.command('list').description('Policies and their latest versions')).action(
    async (opts: TenantOptions) => {
      try {
        const items = await inTenant(opts, (db, tenantId) => listPolicies(db, tenantId));
        for (const p of items) {
          process.stdout.write(
            `${p.name}  v${p.latestVersion}  ${p.cycle}  from ${p.effectiveFrom}  ${p.tiers.map((t) => t.name).join('/')}\n`,
          );
        }
        if (items.length === 0)
          process.stdout.write('No policies yet: save one with `tierline policy save <file>`.\n');
      } catch (error) {
        fail(error);
      }
    },
  );
  return policy;
}

export function assessCommand(): Command {
  return tenantOption(
    new Command('assess')
      .description('Compute the assessment of a period as a draft (idempotent), or publish it')
      .requiredOption('--period <period>', '2026-10 (month), 2026-Q3, 2026-H1 or 2026')
      .option('--policy <name>', 'policy name', 'default')
      .option(
        '--version <n>',
        'policy version (the latest when absent)',
        parseInteger('--version', 1, 1_000_000),
      )
      .option(
        '--publish',
        'approve and publish at once (recorded as the CLI user, for both steps)',
        false,
      ),
  ).action(
    async (
      opts: TenantOptions & { period: string; policy: string; version?: number; publish: boolean },
    ) => {
      try {
        const started = performance.now();
        const origin = cliOrigin();
        const run = await inTenant(opts, async (db, tenantId) => {
          let r = await createRun(
            db,
            tenantId,
            { period: opts.period, policy: opts.policy, version: opts.version },
            origin,
          );
          if (opts.publish) {
            if (r.status === 'draft') r = await approveRun(db, tenantId, r.id, origin);
            if (r.status === 'approved') r = await publishRun(db, tenantId, r.id, origin);
          }
          return r;
        });
        process.stdout.write(runLines(run, (performance.now() - started) / 1000));
      } catch (error) {
        fail(error);
      }
    },
  );
}

function simulationLines(sim: Simulation): string {
  const tiers = sim.tiers.map((t) => t.code);
  const width = Math.max(8, ...tiers.map((t) => t.length + 1));
  const lines = [
    `Simulated ${sim.policy.name} over ${sim.periods.length} period(s), ${sim.dealerCount} dealers, ${(sim.elapsedMs / 1000).toFixed(1)} s. Nothing was written.`,
    `${'period'.padEnd(9)}${tiers.map((t) => pad(t, width)).join('')}${pad('up', 6)}${pad('down', 6)}`,
    ...sim.periods.map(
      (p) =>
        `${p.period.padEnd(9)}${tiers.map((t) => pad(p.counts[t] ?? 0, width)).join('')}${pad(p.up, 6)}${pad(p.down, 6)}`,
    ),
    '',
    `Migration from the published tiers${sim.current.period ? ` (${sim.current.period})` : ''} to ${sim.periods.at(-1)?.period ?? ''} (rows: from, columns: to):`,
    `${''.padEnd(12)}${tiers.map((t) => pad(t, width)).join('')}${pad('new', 6)}`,
    ...tiers.map(
      (from, i) =>
        `${from.padEnd(12)}${tiers.map((_, j) => pad(sim.matrix.counts[i]?.[j] ?? 0, width)).join('')}${pad('', 6)}`,
    ),
    `${'(none)'.padEnd(12)}${tiers.map((_, j) => pad(sim.matrix.entered[j] ?? 0, width)).join('')}`,
    `  up ${sim.matrix.up}   down ${sim.matrix.down}   same ${sim.matrix.same}`,
  ];
  if (sim.movers.length > 0) {
    lines.push('', 'Who would move:');
    for (const m of sim.movers) {
      lines.push(
        `  ${m.dealer.code.padEnd(12)} ${m.dealer.name}  ${m.from ?? '(none)'} → ${m.to}  score ${m.score.toFixed(1)}  ${m.reasons.join(', ')}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

export function simulateCommand(): Command {
  return tenantOption(
    new Command('simulate')
      .description('What-if / backtest: run a policy over past periods without publishing anything')
      .requiredOption(
        '--policy <file-or-name>',
        'a policy JSON file (a draft) or the name of a saved policy',
      )
      .requiredOption('--from <period>', 'first period')
      .requiredOption('--to <period>', 'last period')
      .option('--movers <n>', 'how many movers to list', parseInteger('--movers', 0, 1000), 20)
      .option('--json', 'print the whole result as JSON', false),
  ).action(
    async (
      opts: TenantOptions & {
        policy: string;
        from: string;
        to: string;
        movers: number;
        json: boolean;
      },
    ) => {
      try {
        const policy = opts.policy.endsWith('.json')
          ? { document: await readJson(opts.policy) }
          : { name: opts.policy };
        const sim = await inTenant(opts, (db, tenantId) =>
          simulate(db, tenantId, { policy, from: opts.from, to: opts.to, movers: opts.movers }),
        );
        process.stdout.write(
          opts.json ? `${JSON.stringify(sim, null, 2)}\n` : simulationLines(sim),
        );
      } catch (error) {
        fail(error);
      }
    },
  );
}

export function exportCommand(): Command {
  const command = new Command('export').description('Export data as CSV or XLSX');
  tenantOption(
    command
      .command('decisions')
      .description("A period's tier decisions with every metric value and its points")
      .requiredOption('--period <period>', 'the period (its published run, else its latest run)')
      .addOption(
        new Option('--format <format>', 'csv or xlsx').choices(['csv', 'xlsx']).default('csv'),
      )
      .option('--out <file>', 'write to this file (stdout when absent)'),
  ).action(
    async (opts: TenantOptions & { period: string; format: 'csv' | 'xlsx'; out?: string }) => {
      try {
        if (opts.format === 'xlsx' && !opts.out)
          throw new UsageError('--format xlsx needs --out <file>.');
        const store = await openStoreFromOptions(opts);
        try {
          const tenant = await getTenantBySlug(store.db, opts.tenant);
          const runs = await withTenant(
            store.db,
            tenant.id,
            (trx) => listRuns(trx, tenant.id, { period: opts.period }),
            { readOnly: true },
          );
          const run =
            runs.find((r) => r.status === 'published') ??
            runs.find((r) => r.status !== 'discarded');
          if (!run)
            throw new DomainError(
              'not_found',
              `No assessment of ${opts.period} exists; compute one with \`tierline assess --period ${opts.period}\`.`,
            );
          const table = await decisionExport(store.db, tenant.id, { kind: 'tenant' }, run.id);
          await pipeline(
            exportTable(opts.format, 'decisions', table.header, table.rows),
            opts.out ? createWriteStream(opts.out) : process.stdout,
          );
          if (opts.out)
            process.stderr.write(`Wrote run ${run.id} (${run.status}) to ${opts.out}.\n`);
        } finally {
          await store.close();
        }
      } catch (error) {
        fail(error);
      }
    },
  );
  return command;
}
