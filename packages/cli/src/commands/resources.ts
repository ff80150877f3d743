import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { DomainError } from '@tierline/core';
import {
  CreateAllocation,
  NewBenefit,
  type AllocationDetail,
  type AllocationPreview,
  type AllocationTierTotal,
  type ResourceRoi,
} from '@tierline/contract';
import {
  allocationDetail,
  allocationExport,
  benefitMatrix,
  createAllocation,
  createBenefit,
  getTenantBySlug,
  listAllocationSummaries,
  listBenefits,
  previewAllocation,
  publishAllocation,
  resourceRoi,
  saveBenefitValues,
  withTenant,
  type Store,
} from '@tierline/server';
import { openStoreFromOptions, tenantOption, type TenantOptions } from '../store-options.js';
import { EXIT, fail, parseInteger, UsageError } from '../errors.js';
import { cliOrigin } from '../cli-origin.js';

/**
 * `tierline allocate`, `allocations`, `benefits` and `roi`: the resources feature (issue 6)
 * in-process, through the same services as the API.
 */

interface TenantMoney {
  id: number;
  minorUnits: number;
  currency: string;
}

/** Open the store, find the tenant, run `fn` in one transaction scoped to it, close. */
async function inTenant<T>(
  opts: TenantOptions,
  fn: (db: Store['db'], tenant: TenantMoney) => Promise<T>,
): Promise<T> {
  const store = await openStoreFromOptions(opts);
  try {
    const row = await getTenantBySlug(store.db, opts.tenant);
    const tenant = { id: row.id, minorUnits: row.currency_minor_units, currency: row.currency };
    return await withTenant(store.db, row.id, (trx) => fn(trx, tenant));
  } finally {
    await store.close();
  }
}

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

/**
 * An amount in major units written as decimal text (1000000, 1000000.50) as exact minor units;
 * refuses more decimals than the currency has, signs, exponents and amounts past 2^53.
 */
export function parseAmount(text: string, minorUnits: number, option = '--pool'): number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim().replaceAll(',', ''));
  if (!m) {
    throw new UsageError(
      `${option} must be an amount in major units such as 1000000 or 1000000.50, got "${text}".`,
    );
  }
  const fraction = m[2] ?? '';
  if (fraction.length > minorUnits) {
    throw new UsageError(
      `${option} has ${fraction.length} decimals; the tenant's currency has ${minorUnits}.`,
    );
  }
  const minor =
    BigInt(m[1]!) * 10n ** BigInt(minorUnits) + BigInt(fraction.padEnd(minorUnits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UsageError(`${option} is too large.`);
  }
  return Number(minor);
}

/** Minor units as major units with grouping: 123456 → "1,234.56". */
export function formatAmount(minor: number, minorUnits: number): string {
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(minorUnits + 1, '0');
  const whole = minorUnits > 0 ? digits.slice(0, -minorUnits) : digits;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = minorUnits > 0 ? `${grouped}.${digits.slice(-minorUnits)}` : grouped;
  return `${negative ? '-' : ''}${text}`;
}

/** A refusal with its problems, one per line; exit 1. */
function failWithIssues(error: unknown): never {
  const issues = error instanceof DomainError ? error.details?.['issues'] : undefined;
  if (Array.isArray(issues) && issues.length > 1) {
    process.stderr.write(`tierline: ${issues.length} problem(s):\n`);
    for (const issue of issues as { path: string; message: string }[]) {
      process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
    }
    process.exit(EXIT.failed);
  }
  fail(error);
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

function shareText(share: number, unit: 'percent' | 'basis_points'): string {
  return unit === 'percent' ? `${share}%` : `${share / 100}%`;
}

function tierTable(
  tiers: readonly AllocationTierTotal[],
  unit: 'percent' | 'basis_points',
  minorUnits: number,
): string[] {
  const width = Math.max(10, ...tiers.map((t) => t.tier.length + 2));
  const money = (v: number) => pad(formatAmount(v, minorUnits), 18);
  return [
    `  ${'tier'.padEnd(width)}${pad('share', 8)}  ${'rule'.padEnd(8)}${pad('dealers', 8)}${pad('amount', 18)}${pad('carried', 18)}`,
    ...tiers.map(
      (t) =>
        `  ${t.tier.padEnd(width)}${pad(shareText(t.share, unit), 8)}  ${t.effectiveRule.padEnd(8)}${pad(t.dealerCount, 8)}${money(t.amount)}${money(t.carried)}`,
    ),
  ];
}

function planLines(
  what: string,
  plan: AllocationPreview | AllocationDetail,
  minorUnits: number,
  currency: string,
): string {
  const m = (v: number) => `${currency} ${formatAmount(v, minorUnits)}`;
  const lines = [
    `${what}: ${plan.purpose} ${plan.period}, pool ${m(plan.pool)}, allocated ${m(plan.allocated)}, unallocated ${m(plan.unallocated)}.`,
    `  tiers of run ${plan.run.id} (${plan.run.period}, policy ${plan.run.policy.name} v${plan.run.policy.version}); ${plan.dealerCount} dealers${'configSource' in plan ? `; configuration: ${plan.configSource}` : ''}`,
    ...tierTable(plan.tiers ?? [], plan.config.shareUnit, minorUnits),
  ];
  if (plan.notes.length > 0) lines.push('Notes:', ...plan.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}

type Format = 'table' | 'json';
const formatOption = () =>
  new Option('--format <format>', 'table or json').choices(['table', 'json']).default('table');

export function allocateCommand(): Command {
  return tenantOption(
    new Command('allocate')
      .description(
        'Split a budget pool for a period across tiers and dealers (a draft; --publish to publish it)',
      )
      .requiredOption('--period <period>', '2026-10 (month), 2026-Q4, 2026-H2 or 2026')
      .requiredOption('--pool <amount>', 'the pool in major units, e.g. 1000000 or 1000000.50')
      .addOption(
        new Option('--purpose <purpose>', 'general or market_fund')
          .choices(['general', 'market_fund'])
          .default('general'),
      )
      .option('--claim-deadline <date>', 'last day to claim (YYYY-MM-DD), for market_fund')
      .option('--config <file>', 'configuration JSON (tiers, shares, rules, limits, adjustments)')
      .option('--name <name>', 'a name for the allocation')
      .option('--dry-run', 'compute and print the plan, save nothing', false)
      .option('--publish', 'publish at once (final: one per period and purpose)', false)
      .addOption(formatOption()),
  ).action(
    async (
      opts: TenantOptions & {
        period: string;
        pool: string;
        purpose: 'general' | 'market_fund';
        claimDeadline?: string;
        config?: string;
        name?: string;
        dryRun: boolean;
        publish: boolean;
        format: Format;
      },
    ) => {
      try {
        if (opts.dryRun && opts.publish)
          throw new UsageError('--dry-run and --publish exclude each other.');
        const config = opts.config === undefined ? undefined : await readJson(opts.config);
        const origin = cliOrigin();
        const out = await inTenant(opts, async (db, tenant) => {
          const parsed = CreateAllocation.safeParse({
            period: opts.period,
            pool: parseAmount(opts.pool, tenant.minorUnits),
            purpose: opts.purpose,
            ...(opts.claimDeadline === undefined ? {} : { claimDeadline: opts.claimDeadline }),
            ...(opts.name === undefined ? {} : { name: opts.name }),
            ...(config === undefined ? {} : { config }),
            dryRun: opts.dryRun,
          });
          if (!parsed.success) {
            const issues = parsed.error.issues.map((i) => ({
              path: i.path.map(String).join('.') || '(request)',
              message: i.message,
            }));
            throw new DomainError(
              'validation_failed',
              `${issues[0]!.path}: ${issues[0]!.message}`,
              { issues },
            );
          }
          if (opts.dryRun) {
            const preview = await previewAllocation(db, tenant.id, parsed.data);
            return { tenant, plan: preview, what: 'Plan (not saved)' };
          }
          const id = await createAllocation(db, tenant.id, parsed.data, origin);
          const plan = opts.publish
            ? await publishAllocation(db, tenant.id, id, origin)
            : await allocationDetail(db, tenant.id, { kind: 'tenant' }, id);
          return { tenant, plan, what: `Allocation ${id} (${plan.status})` };
        });
        process.stdout.write(
          opts.format === 'json'
            ? `${JSON.stringify(out.plan, null, 2)}\n`
            : planLines(out.what, out.plan, out.tenant.minorUnits, out.tenant.currency),
        );
      } catch (error) {
        failWithIssues(error);
      }
    },
  );
}

export function allocationsCommand(): Command {
  const command = new Command('allocations').description('Budget allocations: list, show, export');
  tenantOption(
    command
      .command('list')
      .description('Allocations, newest period first')
      .option('--period <period>', 'only this period')
      .addOption(new Option('--purpose <purpose>').choices(['general', 'market_fund']))
      .addOption(new Option('--status <status>').choices(['draft', 'published', 'discarded']))
      .addOption(formatOption()),
  ).action(
    async (
      opts: TenantOptions & { period?: string; purpose?: string; status?: string; format: Format },
    ) => {
      try {
        const { items, tenant } = await inTenant(opts, async (db, t) => ({
          tenant: t,
          items: await listAllocationSummaries(db, t.id, { kind: 'tenant' }, opts),
        }));
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
          return;
        }
        if (items.length === 0) {
          process.stdout.write('No allocations yet: compute one with `tierline allocate`.\n');
          return;
        }
        for (const a of items) {
          process.stdout.write(
            `${pad(a.id, 6)}  ${a.period.padEnd(8)} ${a.purpose.padEnd(12)} ${a.status.padEnd(10)}${pad(formatAmount(a.pool, tenant.minorUnits), 18)}${pad(a.dealerCount, 8)} dealers  ${a.name}\n`,
          );
        }
      } catch (error) {
        fail(error);
      }
    },
  );
  tenantOption(
    command
      .command('show')
      .description('One allocation: tier totals, notes, what changed since the previous one')
      .argument('<id>', 'allocation id', parseInteger('id', 1, Number.MAX_SAFE_INTEGER))
      .addOption(formatOption()),
  ).action(async (id: number, opts: TenantOptions & { format: Format }) => {
    try {
      const { detail, tenant } = await inTenant(opts, async (db, t) => ({
        tenant: t,
        detail: await allocationDetail(db, t.id, { kind: 'tenant' }, id),
      }));
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
        return;
      }
      let text = planLines(
        `Allocation ${detail.id} (${detail.status})`,
        detail,
        tenant.minorUnits,
        tenant.currency,
      );
      const c = detail.comparison;
      if (c.previous) {
        text += `Since allocation ${c.previous.id} (${c.previous.period}): ${c.newDealers} new, ${c.goneDealers} gone, ${c.tierChanges} in another tier.\n`;
        for (const t of c.tiers ?? []) {
          text += `  ${t.tier.padEnd(12)}${pad(formatAmount(t.previousAmount, tenant.minorUnits), 18)} → ${pad(formatAmount(t.amount, tenant.minorUnits), 18)}  (${t.delta >= 0 ? '+' : ''}${formatAmount(t.delta, tenant.minorUnits)})\n`;
        }
      }
      process.stdout.write(text);
    } catch (error) {
      fail(error);
    }
  });
  tenantOption(
    command
      .command('export')
      .description('Write an allocation as XLSX (tier totals and dealer lines) or CSV (lines)')
      .argument('<id>', 'allocation id', parseInteger('id', 1, Number.MAX_SAFE_INTEGER))
      .requiredOption('--out <file>', 'file to write (.xlsx or .csv)')
      .addOption(
        new Option('--format <format>', 'xlsx or csv (default: from --out)').choices([
          'xlsx',
          'csv',
        ]),
      ),
  ).action(async (id: number, opts: TenantOptions & { out: string; format?: 'xlsx' | 'csv' }) => {
    try {
      const format = opts.format ?? (extname(opts.out).toLowerCase() === '.csv' ? 'csv' : 'xlsx');
      const store = await openStoreFromOptions(opts);
      try {
        const tenant = await getTenantBySlug(store.db, opts.tenant);
        const file = await allocationExport(store.db, tenant.id, { kind: 'tenant' }, id, format);
        await pipeline(file.stream, createWriteStream(opts.out));
        process.stderr.write(
          `Wrote allocation ${id} (${file.period}, ${file.purpose}) to ${opts.out}.\n`,
        );
      } finally {
        await store.close();
      }
    } catch (error) {
      fail(error);
    }
  });
  return command;
}

export function benefitsCommand(): Command {
  const command = new Command('benefits').description(
    'The benefit library and its values per tier',
  );
  tenantOption(command.command('list').description('Benefits, by code')).action(
    async (opts: TenantOptions) => {
      try {
        const items = await inTenant(opts, (db, t) => listBenefits(db, t.id));
        if (items.length === 0) process.stdout.write('No benefits yet.\n');
        for (const b of items) {
          process.stdout.write(
            `${b.code.padEnd(24)} ${b.kind.padEnd(20)} ${b.unit.padEnd(14)} ${b.name}${b.archived ? '  (archived)' : ''}\n`,
          );
        }
      } catch (error) {
        fail(error);
      }
    },
  );
  tenantOption(
    command
      .command('add')
      .description('Add a benefit to the library')
      .requiredOption('--code <code>', 'unique code: lower-case letters, digits and _')
      .requiredOption('--name <name>', 'name shown to people, e.g. 返利比例')
      .addOption(
        new Option('--kind <kind>')
          .choices([
            'rebate_rate',
            'market_fund',
            'training',
            'logistics_priority',
            'credit_limit',
            'priority_supply',
            'custom',
          ])
          .makeOptionMandatory(),
      )
      .addOption(
        new Option('--unit <unit>')
          .choices(['basis_points', 'money', 'count', 'level', 'flag', 'text'])
          .makeOptionMandatory(),
      )
      .option('--description <text>', 'what it is', ''),
  ).action(
    async (
      opts: TenantOptions & {
        code: string;
        name: string;
        kind: NewBenefit['kind'];
        unit: NewBenefit['unit'];
        description: string;
      },
    ) => {
      try {
        const input = NewBenefit.safeParse({
          code: opts.code,
          name: opts.name,
          kind: opts.kind,
          unit: opts.unit,
          description: opts.description,
        });
        if (!input.success) {
          const issue = input.error.issues[0]!;
          throw new UsageError(`--${issue.path.map(String).join('.')}: ${issue.message}`);
        }
        const benefit = await inTenant(opts, (db, t) =>
          createBenefit(db, t.id, input.data, cliOrigin()),
        );
        process.stdout.write(`Added benefit ${benefit.code} (id ${benefit.id}).\n`);
      } catch (error) {
        fail(error);
      }
    },
  );
  tenantOption(
    command
      .command('set')
      .description('Save the whole value matrix of a policy version from a JSON file')
      .requiredOption('--policy <name>', 'policy name')
      .requiredOption('--version <n>', 'policy version', parseInteger('--version', 1, 1_000_000))
      .requiredOption(
        '--file <file>',
        'JSON: { "<benefit code>": { "<tier code>": value } } (or the same under "values")',
      ),
  ).action(async (opts: TenantOptions & { policy: string; version: number; file: string }) => {
    try {
      const json = await readJson(opts.file);
      const values =
        typeof json === 'object' && json !== null && 'values' in json ? json.values : json;
      if (typeof values !== 'object' || values === null || Array.isArray(values)) {
        throw new UsageError(`${opts.file} must hold an object of benefit code → tier → value.`);
      }
      const matrix = await inTenant(opts, (db, t) =>
        saveBenefitValues(
          db,
          t.id,
          {
            policy: opts.policy,
            version: opts.version,
            values: values as Record<string, Record<string, number | string | boolean | null>>,
          },
          cliOrigin(),
        ),
      );
      const cells = matrix.rows.reduce((s, r) => s + Object.keys(r.values).length, 0);
      process.stdout.write(
        `Saved ${cells} values for policy ${matrix.policy.name} v${matrix.policy.version} (${matrix.tiers.map((t) => t.code).join(', ')}).\n`,
      );
    } catch (error) {
      failWithIssues(error);
    }
  });
  tenantOption(
    command
      .command('show')
      .description("A policy version's value matrix")
      .requiredOption('--policy <name>', 'policy name')
      .option(
        '--version <n>',
        'policy version (latest when absent)',
        parseInteger('--version', 1, 1_000_000),
      ),
  ).action(async (opts: TenantOptions & { policy: string; version?: number }) => {
    try {
      const matrix = await inTenant(opts, (db, t) =>
        benefitMatrix(db, t.id, opts.policy, opts.version),
      );
      const tiers = matrix.tiers.map((t) => t.code);
      process.stdout.write(`${'benefit'.padEnd(24)}${tiers.map((t) => pad(t, 14)).join('')}\n`);
      for (const r of matrix.rows) {
        process.stdout.write(
          `${r.benefit.code.padEnd(24)}${tiers.map((t) => pad(r.values[t] === undefined ? '—' : String(r.values[t]), 14)).join('')}\n`,
        );
      }
    } catch (error) {
      fail(error);
    }
  });
  return command;
}

function roiLines(roi: ResourceRoi, minorUnits: number): string {
  const money = (v: number) => pad(formatAmount(v, minorUnits), 18);
  const ratio = (v: number | null) => pad(v === null ? '—' : v.toFixed(3), 9);
  const lines = [
    `${'period'.padEnd(10)}${'tier'.padEnd(12)}${pad('dealers', 8)}${pad('resources', 18)}${pad('sales', 18)}${pad('previous', 18)}${pad('lift', 18)}${ratio(null).replace('—', 'ROI')}`,
  ];
  for (const p of roi.periods) {
    for (const row of [...p.tiers, { tier: 'total', ...p.total }]) {
      lines.push(
        `${p.period.padEnd(10)}${row.tier.padEnd(12)}${pad(row.dealerCount, 8)}${money(row.resources)}${money(row.sales)}${money(row.previousSales)}${money(row.lift)}${ratio(row.roi)}`,
      );
    }
  }
  if (roi.periods.length === 0) lines.push('No published allocation in this range.');
  return `${lines.join('\n')}\n`;
}

export function roiCommand(): Command {
  return tenantOption(
    new Command('roi')
      .description('Resource ROI: sales lift per unit of resources, by tier, period over period')
      .requiredOption('--from <period>', 'first period, e.g. 2026-01')
      .requiredOption('--to <period>', 'last period, e.g. 2026-12')
      .addOption(formatOption()),
  ).action(async (opts: TenantOptions & { from: string; to: string; format: Format }) => {
    try {
      const { roi, tenant } = await inTenant(opts, async (db, t) => ({
        tenant: t,
        roi: await resourceRoi(
          db,
          t.id,
          { kind: 'tenant' },
          { from: opts.from, to: opts.to, limit: 20 },
        ),
      }));
      process.stdout.write(
        opts.format === 'json'
          ? `${JSON.stringify(roi, null, 2)}\n`
          : roiLines(roi, tenant.minorUnits),
      );
    } catch (error) {
      fail(error);
    }
  });
}
