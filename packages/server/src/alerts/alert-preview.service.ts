import type { Kysely } from 'kysely';
import {
  addMonths,
  daysInMonth,
  DomainError,
  evaluateRule,
  monthIndex,
  monthRange,
  ruleLookback,
  type AlertRule,
  type DealerAlertInput,
  type LicenceFact,
  type OpenInvoiceFact,
  type StockFact,
} from '@tierline/core';
import type { AlertRulePreview } from '@tierline/contract';
import type { Database } from '../db/database.js';
import {
  listAlertDealers,
  loadChannelMonths,
  loadDealerMonths,
  loadLicences,
  loadOpenInvoices,
  loadStock,
  rollupMonthRange,
} from './alert-data.repository.js';
import { ruleColumns } from './alert-evaluation.service.js';
import { requireValidRule } from './alert-rule.service.js';

/** The longest range a preview covers. */
const MAX_MONTHS = 36;

/**
 * What a rule (saved or a draft) would have raised on past data, month by month from `from` to
 * `to`: each month judged as of its own end, with only the data up to it. Writes nothing. Every
 * trading dealer of the tenant is evaluated; `limit` dealers are listed per month.
 */
export async function previewRule(
  db: Kysely<Database>,
  tenantId: number,
  request: { document: unknown; from: string; to: string; limit: number },
): Promise<AlertRulePreview> {
  const started = performance.now();
  const document = requireValidRule(request.document);
  const rule = { ...document, enabled: true } as AlertRule;
  const count = monthIndex(request.to) - monthIndex(request.from) + 1;
  if (count < 1 || count > MAX_MONTHS) {
    throw new DomainError(
      'validation_failed',
      `The preview range must run forward over 1 to ${MAX_MONTHS} months; ${request.from} to ${request.to} is ${count}.`,
      { field: 'to', value: request.to },
    );
  }
  const months = monthRange(request.from, request.to);
  const loadFrom = addMonths(request.from, -(ruleLookback(rule) - 1));
  const channel = await loadChannelMonths(db, tenantId, addMonths(loadFrom, -11), request.to);
  const range = await rollupMonthRange(db, tenantId);
  const dataStart = range?.first ?? request.from;
  const tenant = await db
    .selectFrom('tenant')
    .select(['currency', 'currency_minor_units'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const currency = { code: tenant.currency, minorUnits: tenant.currency_minor_units };
  const dealers = (await listAlertDealers(db, tenantId)).filter(
    (d) => d.status === 'active' || d.status === 'probation',
  );
  const out: AlertRulePreview['months'] = months.map((month) => ({
    month,
    raised: 0,
    dealers: [],
  }));
  const raised = new Set<number>();
  const endOf = (m: string) => `${m}-${String(daysInMonth(m)).padStart(2, '0')}`;
  for (let i = 0; i < dealers.length; i += 2000) {
    const part = dealers.slice(i, i + 2000);
    const ids = part.map((d) => d.id);
    const rows = await loadDealerMonths(db, tenantId, ids, loadFrom, request.to, [
      'sales_amount',
      ...ruleColumns(rule),
    ]);
    for (const [k, month] of months.entries()) {
      const day = endOf(month);
      let licences: Map<number, LicenceFact[]> | null = null;
      let invoices: Map<number, OpenInvoiceFact[]> | null = null;
      let stock: Map<number, StockFact[]> | null = null;
      if (rule.kind === 'licence_expiry') licences = await loadLicences(db, tenantId, ids, day);
      if (rule.kind === 'collection_overdue')
        invoices = await loadOpenInvoices(db, tenantId, ids, day);
      if (rule.kind === 'stockout_risk') stock = await loadStock(db, tenantId, ids, day);
      const entry = out[k] as AlertRulePreview['months'][number];
      for (const dealer of part) {
        const onboarded = dealer.onboardedOn.slice(0, 7);
        const input: DealerAlertInput = {
          months: (rows.get(dealer.id) ?? []).filter((m) => m.month <= month),
          since: onboarded > dataStart ? onboarded : dataStart,
          licences: licences?.get(dealer.id) ?? [],
          openInvoices: invoices?.get(dealer.id) ?? [],
          stock: stock?.get(dealer.id) ?? [],
        };
        if (onboarded > month) continue;
        const condition = evaluateRule(rule, input, { asOf: month, day, channel, currency });
        if (!condition) continue;
        entry.raised++;
        raised.add(dealer.id);
        if (entry.dealers.length < request.limit) {
          entry.dealers.push({
            id: dealer.id,
            code: dealer.code,
            name: dealer.name,
            severity: condition.severity,
            title: condition.title.zh,
            summary: condition.evidence.summary.zh,
          });
        }
      }
    }
  }
  return {
    rule: document,
    months: out,
    dealersEvaluated: dealers.length,
    dealersRaised: raised.size,
    elapsedMs: Math.round(performance.now() - started),
  };
}
