import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { DomainError } from '@tierline/core';
import type { AlertListQuery, AlertSummary } from '@tierline/contract';
import {
  evaluateAlerts,
  exportTable,
  getTenantBySlug,
  listAlertRules,
  listAlertRuleVersions,
  listAlerts,
  saveAlertRule,
  validateAlertRuleDocument,
  withTenant,
  type Store,
} from '@tierline/server';
import { openStoreFromOptions, tenantOption, type TenantOptions } from '../store-options.js';
import { EXIT, fail, UsageError } from '../errors.js';
import { cliOrigin } from '../cli-origin.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Open the store, find the tenant, run `fn` in one transaction scoped to it, close. */
async function inTenant<T>(
  opts: TenantOptions,
  fn: (db: Store['db'], tenantId: number) => Promise<T>,
  readOnly = false,
): Promise<T> {
  const store = await openStoreFromOptions(opts);
  try {
    const tenant = await getTenantBySlug(store.db, opts.tenant);
    return await withTenant(store.db, tenant.id, (trx) => fn(trx, tenant.id), { readOnly });
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

function evaluateCommand(): Command {
  return tenantOption(
    new Command('evaluate')
      .description(
        'Evaluate the alert rules now: open, update and resolve alerts (installs the default rules of a tenant that has none)',
      )
      .option(
        '--as-of <month>',
        'month to judge, YYYY-MM (default: the last complete month with data)',
      )
      .option('--dealer <code>', 'only this dealer'),
  ).action(async (opts: TenantOptions & { asOf?: string; dealer?: string }) => {
    try {
      if (opts.asOf !== undefined && !MONTH.test(opts.asOf)) {
        throw new UsageError(`--as-of must be a month as YYYY-MM, got "${opts.asOf}".`);
      }
      const result = await inTenant(opts, async (db, tenantId) => {
        let dealerIds: number[] | undefined;
        if (opts.dealer !== undefined) {
          const dealer = await db
            .selectFrom('dealer')
            .select('id')
            .where('tenant_id', '=', tenantId)
            .where('code', '=', opts.dealer)
            .executeTakeFirst();
          if (!dealer) throw new DomainError('not_found', `Dealer ${opts.dealer} does not exist.`);
          dealerIds = [dealer.id];
        }
        return evaluateAlerts(db, tenantId, {
          asOf: opts.asOf,
          dealerIds,
          origin: cliOrigin(),
          trigger: 'cli',
          installDefaults: true,
        });
      });
      process.stdout.write(
        [
          `Evaluated ${result.rules} rule(s) for ${result.dealers} dealer(s) as of ${result.asOf} (time rules: ${result.day}) in ${(result.elapsedMs / 1000).toFixed(1)} s.`,
          `  opened ${result.opened}   reopened ${result.reopened}   updated ${result.updated}   escalated ${result.escalated}   resolved ${result.resolved}   unchanged ${result.unchanged}   notices ${result.notices}`,
          '',
        ].join('\n'),
      );
    } catch (error) {
      fail(error);
    }
  });
}

const HEADER = [
  'id',
  'severity',
  'status',
  'rule',
  'dealer_code',
  'dealer',
  'region',
  'owner',
  'month',
  'opened_at',
  'title',
];

function cells(a: AlertSummary): (string | number)[] {
  return [
    a.id,
    a.severity,
    a.status,
    a.rule.code,
    a.dealer.code,
    a.dealer.name,
    a.dealer.region?.name ?? '',
    a.owner?.name ?? '',
    a.month,
    a.openedAt,
    a.title,
  ];
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

function listCommand(): Command {
  return tenantOption(
    new Command('list')
      .description('The alert board: alerts, newest first')
      .addOption(
        new Option(
          '--status <status>',
          'open, acknowledged, resolved, dismissed or active (open or acknowledged)',
        )
          .choices(['open', 'acknowledged', 'resolved', 'dismissed', 'active'])
          .default('active'),
      )
      .addOption(
        new Option('--severity <severity>', 'info, warning or critical').choices([
          'info',
          'warning',
          'critical',
        ]),
      )
      .option('--rule <code>', 'only this rule')
      .addOption(
        new Option('--format <format>', 'table, csv or json')
          .choices(['table', 'csv', 'json'])
          .default('table'),
      )
      .option('--limit <n>', 'at most this many (default 500)', '500'),
  ).action(
    async (
      opts: TenantOptions & {
        status: AlertListQuery['status'];
        severity?: AlertListQuery['severity'];
        rule?: string;
        format: 'table' | 'csv' | 'json';
        limit: string;
      },
    ) => {
      try {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
          throw new UsageError(
            `--limit must be a whole number from 1 to 100000, got "${opts.limit}".`,
          );
        }
        const { items, total, totals } = await inTenant(
          opts,
          async (db, tenantId) => {
            const all: AlertSummary[] = [];
            let cursor: string | undefined;
            let page;
            do {
              page = await listAlerts(
                db,
                tenantId,
                { kind: 'tenant' },
                {
                  status: opts.status,
                  severity: opts.severity,
                  rule: opts.rule,
                  limit: Math.min(500, limit - all.length),
                  cursor,
                },
                null,
              );
              all.push(...page.items);
              cursor = page.nextCursor ?? undefined;
            } while (cursor && all.length < limit);
            return { items: all, total: page.total, totals: page.totals };
          },
          true,
        );
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify({ total, totals, items }, null, 2)}\n`);
          return;
        }
        if (opts.format === 'csv') {
          await pipeline(
            exportTable(
              'csv',
              'alerts',
              HEADER,
              (async function* () {
                for (const a of items) yield cells(a);
              })(),
            ),
            process.stdout,
          );
          return;
        }
        if (items.length === 0) {
          process.stdout.write('No alerts match.\n');
          return;
        }
        const rows = items.map((a) => cells(a).map(String));
        const columns = [0, 1, 2, 3, 4, 5, 8, 10];
        const widths = columns.map((c) =>
          Math.max(width(HEADER[c] ?? ''), ...rows.map((r) => width(r[c] ?? ''))),
        );
        const line = (r: readonly string[]) =>
          columns
            .map((c, k) => pad(r[c] ?? '', widths[k] ?? 0))
            .join('  ')
            .trimEnd();
        process.stdout.write(`${[line(HEADER), ...rows.map(line)].join('\n')}\n`);
        process.stdout.write(
          `${items.length} of ${total} shown · critical ${totals.severity['critical'] ?? 0}, warning ${totals.severity['warning'] ?? 0}, info ${totals.severity['info'] ?? 0}\n`,
        );
      } catch (error) {
        fail(error);
      }
    },
  );
}

function rulesCommand(): Command {
  const rules = new Command('rules').description('Alert rules: list, show, set');
  tenantOption(rules.command('list').description('Every rule with its latest version')).action(
    async (opts: TenantOptions) => {
      try {
        const items = await inTenant(opts, (db, tenantId) => listAlertRules(db, tenantId), true);
        if (items.length === 0) {
          process.stdout.write(
            'No alert rules yet: `tierline alerts evaluate` installs the default set.\n',
          );
          return;
        }
        for (const v of items) {
          const d = v.document;
          process.stdout.write(
            `${d.code.padEnd(24)} v${String(v.version).padEnd(3)} ${d.enabled ? 'enabled ' : 'disabled'} ${d.severity.padEnd(8)} ${d.kind.padEnd(22)} ${d.name}\n`,
          );
        }
      } catch (error) {
        fail(error);
      }
    },
  );
  tenantOption(
    rules
      .command('show')
      .description('A rule: its latest document (JSON) and its versions')
      .argument('<code>', 'rule code'),
  ).action(async (code: string, opts: TenantOptions) => {
    try {
      const versions = await inTenant(
        opts,
        (db, tenantId) => listAlertRuleVersions(db, tenantId, code),
        true,
      );
      const latest = versions[0];
      if (!latest) throw new DomainError('not_found', `Alert rule ${code} does not exist.`);
      process.stdout.write(`${JSON.stringify(latest.document, null, 2)}\n`);
      process.stderr.write(
        versions
          .map((v) => `v${v.version}  ${v.createdAt}  ${v.createdBy ?? ''}  ${v.note}`)
          .join('\n') + '\n',
      );
    } catch (error) {
      fail(error);
    }
  });
  tenantOption(
    rules
      .command('set')
      .description(
        'Save a rule document as the next version of its code (or version 1 of a new code)',
      )
      .requiredOption('--file <file>', 'rule JSON (docs/alerts.md)')
      .option('--note <text>', 'what changed and why', ''),
  ).action(async (opts: TenantOptions & { file: string; note: string }) => {
    try {
      const document = await readJson(opts.file);
      const check = validateAlertRuleDocument(document);
      if (!check.rule) {
        process.stderr.write(`${opts.file}: ${check.issues.length} problem(s):\n`);
        for (const issue of check.issues)
          process.stderr.write(`  ${issue.path || '(document)'}: ${issue.message}\n`);
        process.exit(EXIT.failed);
      }
      const saved = await inTenant(opts, (db, tenantId) =>
        saveAlertRule(db, tenantId, document, opts.note, cliOrigin(), { kind: 'upsert' }),
      );
      process.stdout.write(
        `Saved alert rule ${saved.code} version ${saved.version} (id ${saved.id}).\n`,
      );
    } catch (error) {
      fail(error);
    }
  });
  return rules;
}

/** `tierline alerts …`: evaluate, list, rules. */
export function alertsCommand(): Command {
  return new Command('alerts')
    .description('Monitoring and early warning: evaluate rules, list alerts, manage rules')
    .addCommand(evaluateCommand())
    .addCommand(listCommand())
    .addCommand(rulesCommand());
}
