import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { DomainError } from '@tierline/core';
import {
  FundClaimStatus,
  FundRequestStatus,
  GrantFund,
  type DealerFundBalance,
  type FundBalance,
  type FundClaim,
  type FundRequest,
} from '@tierline/contract';
import {
  exportTable,
  findFundDealerIdByCode,
  getTenantBySlug,
  grantFund,
  listFundBalances,
  listFundClaims,
  listFundRequests,
  fundTenantToday,
  withTenant,
  type Cell,
  type Store,
} from '@tierline/server';
import { openStoreFromOptions, tenantOption, type TenantOptions } from '../store-options.js';
import { fail, UsageError } from '../errors.js';
import { cliOrigin } from '../cli-origin.js';

type Format = 'table' | 'csv' | 'json';

const formatOption = () =>
  new Option('--format <format>', 'table, csv (major units) or json')
    .choices(['table', 'csv', 'json'])
    .default('table');

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

/**
 * An amount in major units written as decimal text (50000, 50000.5, 1,000.25) as exact minor
 * units; refuses more decimals than the currency has, signs, exponents and amounts past 2^53.
 */
export function parseMajorAmount(text: string, minorUnits: number, option: string): number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim().replaceAll(',', ''));
  if (!m) {
    throw new UsageError(
      `${option} must be an amount in major units such as 50000 or 50000.50, got "${text}".`,
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
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`${option} is too large.`);
  return Number(minor);
}

/** Minor units as major units with grouping: 123456 → "1,234.56". */
function money(minor: number, minorUnits: number): string {
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(minorUnits + 1, '0');
  const whole = minorUnits > 0 ? digits.slice(0, -minorUnits) : digits;
  const fraction = minorUnits > 0 ? `.${digits.slice(-minorUnits)}` : '';
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** Minor units as a plain decimal number for CSV (no grouping): 123456 → 1234.56. */
function major(minor: number, minorUnits: number): number {
  return minor / 10 ** minorUnits;
}

/** A text table: the first `left` columns left-aligned, the rest right-aligned. */
function table(rows: string[][], left: number): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i < left ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function writeCsv(name: string, header: string[], rows: Cell[][]): Promise<void> {
  async function* all(): AsyncGenerator<Cell[]> {
    yield* rows;
  }
  await pipeline(exportTable('csv', name, header, all()), process.stdout);
}

/** Every page of a keyset-paged list. */
async function allPages<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    items.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

const BALANCE_COLUMNS = ['allocated', 'pending', 'approved', 'paid', 'available'] as const;

function balanceCells(b: FundBalance, m: (minor: number) => string): string[] {
  return BALANCE_COLUMNS.map((k) => m(b[k]));
}

export function fundsCommand(): Command {
  const funds = new Command('funds').description(
    'Market development funds (市场费用): balances, manual grants, requests and claims',
  );

  tenantOption(
    funds
      .command('balances')
      .description('Fund balances per dealer: allocated, pending, approved, paid, available')
      .option('--q <text>', 'only dealers whose code starts with, or name contains, this text')
      .addOption(formatOption()),
  ).action(async (opts: TenantOptions & { q?: string; format: Format }) => {
    try {
      const { items, totals, minorUnits } = await inTenant(
        opts,
        async (db, tenantId, minorUnits) => {
          const today = await fundTenantToday(db, tenantId);
          let totals: FundBalance | undefined;
          const items = await allPages<DealerFundBalance>(async (cursor) => {
            const query = { q: opts.q, cursor, limit: 500 };
            const page = await listFundBalances(db, tenantId, { kind: 'tenant' }, query, today);
            totals ??= page.totals;
            return page;
          });
          return { items, totals: totals!, minorUnits };
        },
        true,
      );
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify({ items, totals }, null, 2)}\n`);
        return;
      }
      if (opts.format === 'csv') {
        await writeCsv(
          'fund balances',
          ['dealer_code', 'dealer_name', 'funds', ...BALANCE_COLUMNS, 'next_deadline'],
          items.map((i) => [
            i.dealer.code,
            i.dealer.name,
            i.funds,
            ...BALANCE_COLUMNS.map((k) => major(i[k], minorUnits)),
            i.nextDeadline,
          ]),
        );
        return;
      }
      if (items.length === 0) {
        process.stdout.write(
          'No market development funds yet: publish a market fund allocation, or grant one with `tierline funds grant`.\n',
        );
        return;
      }
      const m = (minor: number) => money(minor, minorUnits);
      process.stdout.write(
        `${table(
          [
            ['dealer', 'name', 'next deadline', 'funds', ...BALANCE_COLUMNS],
            ...items.map((i) => [
              i.dealer.code,
              i.dealer.name,
              i.nextDeadline ?? '-',
              String(i.funds),
              ...balanceCells(i, m),
            ]),
            [`total (${items.length})`, '', '', '', ...balanceCells(totals, m)],
          ],
          3,
        )}\n`,
      );
    } catch (error) {
      fail(error);
    }
  });

  tenantOption(
    funds
      .command('grant')
      .description('Grant a market development fund to a dealer by hand')
      .requiredOption('--dealer <code>', 'dealer code')
      .requiredOption('--period <period>', 'period key, e.g. 2026-Q1')
      .requiredOption('--amount <amount>', 'amount in major units, e.g. 50000 or 50000.50')
      .requiredOption('--deadline <date>', 'claim deadline, YYYY-MM-DD')
      .option('--note <text>', 'note', ''),
  ).action(
    async (
      opts: TenantOptions & {
        dealer: string;
        period: string;
        amount: string;
        deadline: string;
        note: string;
      },
    ) => {
      try {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.deadline)) {
          throw new UsageError(`--deadline must be a date as YYYY-MM-DD, got "${opts.deadline}".`);
        }
        const fund = await inTenant(opts, async (db, tenantId, minorUnits) => {
          const dealerId = await findFundDealerIdByCode(db, tenantId, opts.dealer);
          if (dealerId === undefined) {
            throw new DomainError('not_found', `No dealer has the code "${opts.dealer}".`);
          }
          const parsed = GrantFund.safeParse({
            dealerId,
            period: opts.period,
            amount: parseMajorAmount(opts.amount, minorUnits, '--amount'),
            claimDeadline: opts.deadline,
            note: opts.note,
          });
          if (!parsed.success) {
            const issue = parsed.error.issues[0]!;
            throw new UsageError(`${issue.path.join('.')}: ${issue.message}`);
          }
          const created = await grantFund(
            db,
            tenantId,
            { kind: 'tenant' },
            parsed.data,
            cliOrigin(),
          );
          return { ...created, minorUnits };
        });
        process.stdout.write(
          `Granted fund ${fund.id} to ${fund.dealer.code} ${fund.dealer.name}: ${money(fund.amount, fund.minorUnits)} for ${fund.period}, claims by ${fund.claimDeadline}. Available now: ${money(fund.balance.available, fund.minorUnits)}.\n`,
        );
      } catch (error) {
        fail(error);
      }
    },
  );

  tenantOption(
    funds
      .command('requests')
      .description('Fund requests (pre-approvals), newest first')
      .addOption(
        new Option('--status <status>', 'only this status').choices(FundRequestStatus.options),
      )
      .addOption(formatOption()),
  ).action(async (opts: TenantOptions & { status?: FundRequestStatus; format: Format }) => {
    try {
      const { items, minorUnits } = await inTenant(
        opts,
        async (db, tenantId, minorUnits) => ({
          minorUnits,
          items: await allPages<FundRequest>((cursor) =>
            listFundRequests(
              db,
              tenantId,
              { kind: 'tenant' },
              { status: opts.status, cursor, limit: 500 },
            ),
          ),
        }),
        true,
      );
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
        return;
      }
      if (opts.format === 'csv') {
        await writeCsv(
          'fund requests',
          [
            'id',
            'dealer_code',
            'dealer_name',
            'period',
            'title',
            'amount',
            'activity_from',
            'activity_to',
            'status',
            'decision_reason',
            'created_at',
            'decided_at',
          ],
          items.map((r) => [
            r.id,
            r.dealer.code,
            r.dealer.name,
            r.period,
            r.title,
            major(r.amount, minorUnits),
            r.activityFrom,
            r.activityTo,
            r.status,
            r.decisionReason,
            r.createdAt,
            r.decidedAt,
          ]),
        );
        return;
      }
      if (items.length === 0) {
        process.stdout.write('No fund requests.\n');
        return;
      }
      process.stdout.write(
        `${table(
          [
            ['id', 'dealer', 'status', 'title', 'activity', 'amount'],
            ...items.map((r) => [
              String(r.id),
              r.dealer.code,
              r.status,
              r.title,
              `${r.activityFrom}..${r.activityTo}`,
              money(r.amount, minorUnits),
            ]),
          ],
          5,
        )}\n`,
      );
    } catch (error) {
      fail(error);
    }
  });

  tenantOption(
    funds
      .command('claims')
      .description('Fund claims, newest first')
      .addOption(
        new Option('--status <status>', 'only this status').choices(FundClaimStatus.options),
      )
      .addOption(formatOption()),
  ).action(async (opts: TenantOptions & { status?: FundClaimStatus; format: Format }) => {
    try {
      const { items, minorUnits } = await inTenant(
        opts,
        async (db, tenantId, minorUnits) => ({
          minorUnits,
          items: await allPages<FundClaim>((cursor) =>
            listFundClaims(
              db,
              tenantId,
              { kind: 'tenant' },
              { status: opts.status, cursor, limit: 500 },
            ),
          ),
        }),
        true,
      );
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
        return;
      }
      if (opts.format === 'csv') {
        await writeCsv(
          'fund claims',
          [
            'id',
            'request_id',
            'dealer_code',
            'dealer_name',
            'amount',
            'status',
            'proofs',
            'decision_reason',
            'payment_reference',
            'submitted_at',
            'decided_at',
            'paid_at',
          ],
          items.map((c) => [
            c.id,
            c.requestId,
            c.dealer.code,
            c.dealer.name,
            major(c.amount, minorUnits),
            c.status,
            c.proofs.map((p) => p.fileName).join('; '),
            c.decisionReason,
            c.paymentReference,
            c.submittedAt,
            c.decidedAt,
            c.paidAt,
          ]),
        );
        return;
      }
      if (items.length === 0) {
        process.stdout.write('No fund claims.\n');
        return;
      }
      process.stdout.write(
        `${table(
          [
            ['id', 'request', 'dealer', 'status', 'proofs', 'amount'],
            ...items.map((c) => [
              String(c.id),
              String(c.requestId),
              c.dealer.code,
              c.status,
              String(c.proofs.length),
              money(c.amount, minorUnits),
            ]),
          ],
          5,
        )}\n`,
      );
    } catch (error) {
      fail(error);
    }
  });

  return funds;
}
