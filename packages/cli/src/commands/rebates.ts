import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { DomainError } from '@tierline/core';
import { CreateRebateProgram, type RebateLine, type RebatePreview } from '@tierline/contract';
import {
  activeProgramsFor,
  createRebateProgram,
  exportTable,
  getTenantBySlug,
  listRebatePrograms,
  rebatePreview,
  rebatePreviewExport,
  settleRebates,
  withTenant,
  type Cell,
  type Store,
} from '@tierline/server';
import { openStoreFromOptions, tenantOption, type TenantOptions } from '../store-options.js';
import { EXIT, fail, UsageError } from '../errors.js';
import { cliOrigin } from '../cli-origin.js';

/** Open the store, find the tenant, run `fn` in one transaction scoped to it, close. */
async function inTenant<T>(
  opts: TenantOptions,
  fn: (db: Store['db'], tenantId: number, minorUnits: number) => Promise<T>,
  readOnly = false,
): Promise<T> {
  const store = await openStoreFromOptions(opts);
  try {
    const tenant = await getTenantBySlug(store.db, opts.tenant);
    return await withTenant(
      store.db,
      tenant.id,
      (trx) => fn(trx, tenant.id, tenant.currency_minor_units),
      { readOnly },
    );
  } finally {
    await store.close();
  }
}

/** Print every issue of a refused input (path: message), then exit 1. */
function failWithIssues(error: unknown): never {
  const issues = (error instanceof DomainError ? error.details?.['issues'] : undefined) as
    { path: string; message: string }[] | undefined;
  if (error instanceof DomainError && Array.isArray(issues) && issues.length > 0) {
    process.stderr.write(`tierline: ${issues.length} problem(s):\n`);
    for (const issue of issues) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
    process.exit(EXIT.failed);
  }
  fail(error);
}

/** Minor units as major units with their decimals and grouping: 12345678 → 123,456.78. */
export function money(minor: number, minorUnits: number): string {
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(minorUnits + 1, '0');
  const whole = minorUnits > 0 ? digits.slice(0, -minorUnits) : digits;
  const fraction = minorUnits > 0 ? `.${digits.slice(-minorUnits)}` : '';
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

const rate = (basisPoints: number) => `${basisPoints / 100}%`;

function previewTable(p: RebatePreview, minorUnits: number): string {
  const m = (minor: number) => money(minor, minorUnits);
  const head = [
    `${p.program.code} ${p.program.name} · ${p.period} · ${p.program.basis} · ${p.program.method}`,
    `  sales to ${p.asOf} (${p.monthsElapsed} of ${p.monthsTotal} months); projection: run rate (to date × ${p.monthsTotal} / ${p.monthsElapsed})${p.closed ? '; CLOSED by a final settlement' : ''}${p.settlements > 0 ? `; ${p.settlements} settlement(s) so far` : ''}`,
  ];
  const columns = [
    'dealer',
    'tier',
    'to date',
    'projected',
    'rate',
    'rebate now',
    'projected rebate',
    'next',
    'shortfall',
    'extra',
    'paid',
    'due',
  ];
  const row = (l: RebateLine): string[] => [
    l.dealer.code,
    l.tier ?? '-',
    m(l.salesToDate),
    m(l.projectedSales),
    l.eligible ? rate(l.current.rateBasisPoints) : 'n/a',
    m(l.current.amount),
    m(l.projected.amount),
    l.next ? rate(l.next.rateBasisPoints) : 'top',
    l.next ? m(l.next.shortfall) : '-',
    l.next ? m(l.next.extraRebate) : '-',
    m(l.alreadyPaid),
    m(l.due),
  ];
  const t = p.totals;
  const rows = [
    columns,
    ...p.items.map(row),
    [
      `total (${t.dealers})`,
      '',
      m(t.salesToDate),
      m(t.projectedSales),
      '',
      m(t.currentRebate),
      m(t.projectedRebate),
      '',
      '',
      '',
      m(t.alreadyPaid),
      m(t.due),
    ],
  ];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) =>
    r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
  );
  return [...head, ...lines, ''].join('\n');
}

/** Every line of a program's preview, page by page. */
async function wholePreview(
  db: Store['db'],
  tenantId: number,
  query: { program: string; period: string; asOf?: string | undefined },
): Promise<RebatePreview> {
  const first = await rebatePreview(
    db,
    tenantId,
    { kind: 'tenant' },
    {
      ...query,
      sort: 'code',
      limit: 500,
      offset: 0,
    },
  );
  const items = [...first.items];
  let next = first.nextOffset;
  while (next !== null) {
    const page = await rebatePreview(
      db,
      tenantId,
      { kind: 'tenant' },
      {
        ...query,
        sort: 'code',
        limit: 500,
        offset: next,
      },
    );
    items.push(...page.items);
    next = page.nextOffset;
  }
  return { ...first, items, nextOffset: null };
}

export function rebatesCommand(): Command {
  const rebates = new Command('rebates').description(
    'Ladder rebates (阶梯返利): programs, the projected rebate preview, settlements',
  );

  tenantOption(rebates.command('programs').description('Rebate programs and their terms')).action(
    async (opts: TenantOptions) => {
      try {
        const items = await inTenant(
          opts,
          (db, tenantId) => listRebatePrograms(db, tenantId),
          true,
        );
        for (const p of items) {
          const tiers = Object.keys(p.ladders.tiers);
          process.stdout.write(
            `${p.code}  ${p.name}  ${p.periodKind} ${p.basis} ${p.method}  ladders: ${[...tiers, ...(p.ladders.default ? ['default'] : [])].join(', ')}  ${p.active ? 'active' : 'inactive'}  settlements ${p.settlements}${p.closedPeriods.length > 0 ? `  closed: ${p.closedPeriods.join(', ')}` : ''}\n`,
          );
        }
        if (items.length === 0) {
          process.stdout.write(
            'No rebate programs yet: create one with `tierline rebates create --file program.json`.\n',
          );
        }
      } catch (error) {
        fail(error);
      }
    },
  );

  tenantOption(
    rebates
      .command('create')
      .description('Create a rebate program from a JSON file (see docs/resources.md)')
      .requiredOption(
        '--file <file>',
        'program JSON: code, name, periodKind, basis, method, ladders',
      ),
  ).action(async (opts: TenantOptions & { file: string }) => {
    try {
      let text: string;
      try {
        text = await readFile(opts.file, 'utf8');
      } catch {
        throw new UsageError(`Cannot read ${opts.file}: no such file.`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new UsageError(`${opts.file} is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = CreateRebateProgram.safeParse(json);
      if (!parsed.success) {
        throw new DomainError('validation_failed', `${opts.file} is not a rebate program.`, {
          issues: parsed.error.issues.map((i) => ({
            path: i.path
              .map((p, k) =>
                typeof p === 'number' ? `[${p}]` : k === 0 ? String(p) : `.${String(p)}`,
              )
              .join(''),
            message: i.message,
          })),
        });
      }
      const created = await inTenant(opts, (db, tenantId) =>
        createRebateProgram(db, tenantId, parsed.data, cliOrigin()),
      );
      process.stdout.write(
        `Created rebate program ${created.code} (id ${created.id}): ${created.periodKind}, ${created.basis}, ${created.method}.\n`,
      );
    } catch (error) {
      failWithIssues(error);
    }
  });

  tenantOption(
    rebates
      .command('preview')
      .description('The projected rebate of every dealer for a period, before settlement')
      .requiredOption('--period <period>', '2026-Q3, 2026-H1, 2026 or 2026-10')
      .option('--program <code>', 'one program (default: every active program of that period kind)')
      .option('--as-of <month>', 'count sales up to this month (default: the latest with data)')
      .addOption(
        new Option('--format <format>', 'table, csv (major units) or json')
          .choices(['table', 'csv', 'json'])
          .default('table'),
      ),
  ).action(
    async (
      opts: TenantOptions & {
        period: string;
        program?: string;
        asOf?: string;
        format: 'table' | 'csv' | 'json';
      },
    ) => {
      try {
        if (opts.asOf !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.asOf)) {
          throw new UsageError(`--as-of must be a month as YYYY-MM, got "${opts.asOf}".`);
        }
        const store = await openStoreFromOptions(opts);
        try {
          const tenant = await getTenantBySlug(store.db, opts.tenant);
          const codes = await withTenant(
            store.db,
            tenant.id,
            async (trx) =>
              opts.program !== undefined
                ? [opts.program]
                : (await activeProgramsFor(trx, tenant.id, opts.period)).map((p) => p.code),
            { readOnly: true },
          );
          if (codes.length === 0) {
            throw new DomainError(
              'not_found',
              `No active rebate program is settled per period like ${opts.period}; name one with --program, or create one with \`tierline rebates create\`.`,
            );
          }
          const query = (program: string) => ({ program, period: opts.period, asOf: opts.asOf });
          if (opts.format === 'csv') {
            const tables: Awaited<ReturnType<typeof rebatePreviewExport>>[] = [];
            for (const code of codes) {
              tables.push(
                await rebatePreviewExport(store.db, tenant.id, { kind: 'tenant' }, query(code)),
              );
            }
            async function* rows(): AsyncGenerator<Cell[]> {
              for (const table of tables) yield* table.rows;
            }
            await pipeline(
              exportTable('csv', 'rebates', tables[0]!.header, rows()),
              process.stdout,
            );
            return;
          }
          const previews = await withTenant(
            store.db,
            tenant.id,
            async (trx) => {
              const out: RebatePreview[] = [];
              for (const code of codes) out.push(await wholePreview(trx, tenant.id, query(code)));
              return out;
            },
            { readOnly: true },
          );
          process.stdout.write(
            opts.format === 'json'
              ? `${JSON.stringify(previews, null, 2)}\n`
              : previews.map((p) => previewTable(p, tenant.currency_minor_units)).join('\n'),
          );
        } finally {
          await store.close();
        }
      } catch (error) {
        fail(error);
      }
    },
  );

  tenantOption(
    rebates
      .command('settle')
      .description(
        'Settle a program’s period: each dealer’s rebate to date less what was paid (clawbacks flagged)',
      )
      .requiredOption('--program <code>', 'the program')
      .requiredOption('--period <period>', 'the period, of the program’s kind')
      .option('--final', 'the final settlement: needs the whole period, then closes it', false)
      .option('--as-of <month>', 'interim: count sales up to this month'),
  ).action(
    async (
      opts: TenantOptions & { program: string; period: string; final: boolean; asOf?: string },
    ) => {
      try {
        if (opts.asOf !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.asOf)) {
          throw new UsageError(`--as-of must be a month as YYYY-MM, got "${opts.asOf}".`);
        }
        const result = await inTenant(opts, (db, tenantId, minorUnits) =>
          settleRebates(
            db,
            tenantId,
            { program: opts.program, period: opts.period, final: opts.final, asOf: opts.asOf },
            cliOrigin(),
          ).then((r) => ({ ...r, minorUnits })),
        );
        const b = result.batch;
        const m = (minor: number) => money(minor, result.minorUnits);
        process.stdout.write(
          [
            `Settled ${result.program.code} ${b.period} (settlement ${b.seq}, ${b.final ? 'final: the period is now closed' : 'interim'}), sales to ${b.asOf}.`,
            `  dealers ${b.dealers}   rebate ${m(b.rebate)}   already paid ${m(b.alreadyPaid)}   due ${m(b.due)}   clawbacks ${b.clawbacks}`,
            ...result.skipped.map((s) => `  skipped ${s.dealer.code}: ${s.reason}`),
            `  ${result.ledger.count} ledger record(s) from #${result.ledger.from}.`,
            '',
          ].join('\n'),
        );
      } catch (error) {
        fail(error);
      }
    },
  );
  return rebates;
}
