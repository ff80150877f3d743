import { sql, type Kysely, type RawBuilder } from 'kysely';
import {
  addMonths,
  BASE_MEASURES,
  CUSTOM_MEASURE_PREFIX,
  daysInMonth,
  type MeasureColumns,
  type Period,
} from '@tierline/core';
import type { Database } from '../db/database.js';

/** A frame the engine asks for: one earlier period (lag) and the base measures it reads there. */
export interface FrameRequest {
  lag: number;
  period: Period;
  measures: readonly string[];
}

export interface LoadedFrames {
  dealerIds: number[];
  frames: Map<number, MeasureColumns>;
}

const MEASURE_BY_KEY = new Map(BASE_MEASURES.map((m) => [m.key, m]));

/**
 * Read the base measures the engine needs from the monthly rollups (and, for outlets,
 * qualifications and custom measures, from those small tables), aggregated per dealer and
 * period in SQL, so that 100,000 dealers come back as 100,000 rows whatever the window.
 *
 * Dealers assessed: not terminated, onboarded by the end of the assessed period (lag 0).
 */
export async function loadMeasureFrames(
  db: Kysely<Database>,
  tenantId: number,
  requests: readonly FrameRequest[],
  dealerIds?: readonly number[],
): Promise<LoadedFrames> {
  const current = requests.find((r) => r.lag === 0)?.period ?? requests[0]?.period;
  if (!current) return { dealerIds: [], frames: new Map() };
  const monthly: RawBuilder<unknown>[] = [];
  const qualification: RawBuilder<unknown>[] = [];
  const custom: RawBuilder<unknown>[] = [];
  const columns: { alias: string; lag: number; measure: string }[] = [];
  let windowFrom = current.from;
  let windowTo = current.to;

  requests.forEach((request, r) => {
    const { from, to } = request.period;
    if (from < windowFrom) windowFrom = from;
    if (to > windowTo) windowTo = to;
    const inPeriod = sql`dm.month between ${`${from}-01`}::date and ${`${to}-01`}::date`;
    const months = monthsBetween(from, to);
    const end = `${to}-${String(daysInMonth(to)).padStart(2, '0')}`;
    request.measures.forEach((measure, i) => {
      const alias = `c${r}_${i}`;
      columns.push({ alias, lag: request.lag, measure });
      if (measure.startsWith(CUSTOM_MEASURE_PREFIX)) {
        const name = measure.slice(CUSTOM_MEASURE_PREFIX.length);
        custom.push(
          sql`avg(cm.value) filter (where cm.measure = ${name} and cm.measured_on between ${`${from}-01`}::date and ${end}::date) as ${sql.ref(alias)}`,
        );
        return;
      }
      const base = MEASURE_BY_KEY.get(measure);
      if (!base) throw new Error(`unknown base measure ${measure}`);
      const col = sql.ref(`dm.${base.column ?? measure}`);
      switch (base.aggregate) {
        case 'sum':
          monthly.push(
            measure === 'target_amount'
              ? sql`sum(${col}) filter (where ${inPeriod}) as ${sql.ref(alias)}`
              : sql`coalesce(sum(${col}) filter (where ${inPeriod}), 0) as ${sql.ref(alias)}`,
          );
          break;
        case 'monthly_mean':
          monthly.push(
            sql`coalesce(sum(${col}) filter (where ${inPeriod}), 0)::float8 / ${months} as ${sql.ref(alias)}`,
          );
          break;
        case 'period_end':
          monthly.push(
            sql`(array_agg(${col} order by dm.month desc) filter (where ${inPeriod} and dm.inventory_quantity > 0))[1] as ${sql.ref(alias)}`,
          );
          break;
        case 'snapshot_mean':
          monthly.push(
            sql`avg(${col}) filter (where ${inPeriod} and dm.inventory_quantity > 0)::float8 as ${sql.ref(alias)}`,
          );
          break;
        case 'receivable': {
          const from12 = addMonths(to, -11);
          if (from12 < windowFrom) windowFrom = from12;
          monthly.push(
            sql`greatest(0, coalesce(sum(dm.invoice_amount - dm.payment_amount) filter (where dm.month between ${`${from12}-01`}::date and ${`${to}-01`}::date), 0)) as ${sql.ref(alias)}`,
          );
          break;
        }
        case 'as_of_end':
          if (measure === 'outlet_count' || measure === 'outlet_region_count') {
            monthly.push(sql`max(o.${sql.ref(measure)}) as ${sql.ref(alias)}`);
          } else {
            const valid =
              measure === 'qualification_valid_count'
                ? sql`and (q.expires_on is null or q.expires_on >= ${end}::date)`
                : sql``;
            qualification.push(
              sql`count(*) filter (where q.issued_on <= ${end}::date ${valid}) as ${sql.ref(alias)}`,
            );
          }
          break;
        case 'calendar':
          break;
      }
    });
  });

  const assessedTo = `${current.to}-${String(daysInMonth(current.to)).padStart(2, '0')}`;
  const dealerFilter = dealerIds
    ? sql`and d.id = any(${sql.val([...dealerIds])}::bigint[])`
    : sql``;
  const qualificationAliases = columns.filter((c) => c.measure.startsWith('qualification_'));
  const customAliases = columns.filter((c) => c.measure.startsWith(CUSTOM_MEASURE_PREFIX));
  const monthlyAliases = columns.filter(
    (c) => !c.measure.startsWith('qualification_') && !c.measure.startsWith(CUSTOM_MEASURE_PREFIX),
  );

  const result = await sql<Record<string, number | string | null>>`
    with assessed as (
      select d.id from dealer d
      where d.tenant_id = ${tenantId} and d.status <> 'terminated'
        and d.onboarded_on <= ${assessedTo}::date ${dealerFilter}
    ),
    o as (
      select dealer_id, count(*) as outlet_count, count(distinct region_id) as outlet_region_count
      from outlet where tenant_id = ${tenantId} and status = 'active' group by dealer_id
    ),
    m as (
      select a.id as dealer_id ${monthly.length ? sql`, ${sql.join(monthly)}` : sql``}
      from assessed a
      left join dealer_month dm on dm.tenant_id = ${tenantId} and dm.dealer_id = a.id
        and dm.month between ${`${windowFrom}-01`}::date and ${`${windowTo}-01`}::date
      left join o on o.dealer_id = a.id
      group by a.id
    )
    ${
      qualification.length
        ? sql`, q as (
      select q.dealer_id, ${sql.join(qualification)}
      from qualification q where q.tenant_id = ${tenantId} group by q.dealer_id)`
        : sql``
    }
    ${
      custom.length
        ? sql`, cm as (
      select cm.dealer_id, ${sql.join(custom)}
      from custom_measure cm where cm.tenant_id = ${tenantId} group by cm.dealer_id)`
        : sql``
    }
    select m.dealer_id
      ${monthlyAliases.length ? sql`, ${sql.join(monthlyAliases.map((c) => sql.ref(`m.${c.alias}`)))}` : sql``}
      ${qualificationAliases.length ? sql`, ${sql.join(qualificationAliases.map((c) => sql`coalesce(q.${sql.ref(c.alias)}, 0) as ${sql.ref(c.alias)}`))}` : sql``}
      ${customAliases.length ? sql`, ${sql.join(customAliases.map((c) => sql.ref(`cm.${c.alias}`)))}` : sql``}
    from m
    ${qualificationAliases.length ? sql`left join q on q.dealer_id = m.dealer_id` : sql``}
    ${customAliases.length ? sql`left join cm on cm.dealer_id = m.dealer_id` : sql``}
    order by m.dealer_id`.execute(db);

  const rows = result.rows;
  const n = rows.length;
  const ids = new Array<number>(n);
  const frames = new Map<number, Map<string, Float64Array>>();
  const targets = columns.map((c) => {
    let frame = frames.get(c.lag);
    if (!frame) frames.set(c.lag, (frame = new Map<string, Float64Array>()));
    const array = new Float64Array(n);
    frame.set(c.measure, array);
    return {
      alias: c.alias,
      array,
      zeroWhenNull: c.measure === 'outlet_count' || c.measure === 'outlet_region_count',
    };
  });
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    ids[i] = Number(row['dealer_id']);
    for (const t of targets) {
      const v = row[t.alias];
      t.array[i] = v === null || v === undefined ? (t.zeroWhenNull ? 0 : Number.NaN) : Number(v);
    }
  }
  return { dealerIds: ids, frames };
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}
