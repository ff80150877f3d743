import type { Kysely } from 'kysely';
import {
  addMonths,
  healthBand,
  monthlyValues,
  type AlertSeverity,
  type DealerAlertInput,
  type DealerMonth,
} from '@tierline/core';
import type { Database } from '../db/database.js';
import type { AlertDealerRow } from './alert-data.repository.js';
import { stableJson } from './alert-plan.js';

/** Recompute and store the health band of the trading dealers of a chunk (changed rows only). */
export async function saveHealth(
  db: Kysely<Database>,
  tenantId: number,
  dealers: readonly AlertDealerRow[],
  severities: ReadonlyMap<number, AlertSeverity[]>,
  months: ReadonlyMap<number, readonly DealerMonth[]>,
  asOf: string,
  now: Date,
): Promise<void> {
  const trading = dealers.filter((d) => d.status === 'active' || d.status === 'probation');
  if (trading.length === 0) return;
  const existing = new Map(
    (
      await db
        .selectFrom('dealer_health')
        .select(['dealer_id', 'band', 'reasons', 'trend', 'open_alerts', 'month'])
        .where('tenant_id', '=', tenantId)
        .where(
          'dealer_id',
          'in',
          trading.map((d) => d.id),
        )
        .execute()
    ).map((r) => [r.dealer_id, r]),
  );
  const rows = [];
  for (const dealer of trading) {
    const open = (severities.get(dealer.id) ?? []).map((severity) => ({ severity }));
    const input: DealerAlertInput = { months: months.get(dealer.id) ?? [] };
    const sum = (f: string, t: string) =>
      monthlyValues(input, 'sales_amount', f, t).reduce<number | null>(
        (s, v) => (s === null || v === null ? null : s + v),
        0,
      );
    const recent = sum(addMonths(asOf, -2), asOf);
    const before = sum(addMonths(asOf, -14), addMonths(asOf, -12));
    const trend = recent !== null && before !== null && before > 0 ? recent / before - 1 : null;
    const { band, reasons } = healthBand({ open, trend });
    const seen = existing.get(dealer.id);
    const rounded = trend === null ? null : Math.round(trend * 10_000) / 10_000;
    if (
      seen &&
      seen.band === band &&
      seen.trend === rounded &&
      seen.open_alerts === open.length &&
      seen.month === asOf &&
      stableJson(seen.reasons) === stableJson(reasons)
    ) {
      continue;
    }
    rows.push({
      tenant_id: tenantId,
      dealer_id: dealer.id,
      band,
      reasons: JSON.stringify(reasons),
      trend: rounded,
      open_alerts: open.length,
      month: asOf,
      updated_at: now,
    });
  }
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('dealer_health')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'dealer_id']).doUpdateSet((eb) => ({
          band: eb.ref('excluded.band'),
          reasons: eb.ref('excluded.reasons'),
          trend: eb.ref('excluded.trend'),
          open_alerts: eb.ref('excluded.open_alerts'),
          month: eb.ref('excluded.month'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
