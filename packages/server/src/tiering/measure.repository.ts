import { sql, type Kysely, type RawBuilder } from 'kysely';
import {
  addMonths,
  BASE_MEASURES,
  CUSTOM_MEASURE_PREFIX,
  daysInMonth,
  periodMonths,
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
  /** `source`: m (rollups), o (outlets), q (qualifications), cm (custom); `zero`: 0 when absent. */
  const columns: { alias: string; lag: number; measure: string; source: string; zero: boolean }[] =
    [];
  let windowFrom = current.from;
  let windowTo = current.to;

  requests.forEach((request, r) => {
    const { from, to } = request.period;
    if (from < windowFrom) windowFrom = from;
    if (to > windowTo) windowTo = to;
    const inPeriod = sql`dm.month between ${`${from}-01`}::date and ${`${to}-01`}::date`;
    const months = periodMonths(request.period);
    const end = lastDay(to);
    request.measures.forEach((measure, i) => {
      const alias = `c${r}_${i}`;
      const base = MEASURE_BY_KEY.get(measure);
      const source = measure.startsWith(CUSTOM_MEASURE_PREFIX)
        ? 'cm'
        : measure.startsWith('qualification_')
          ? 'q'
          : measure.startsWith('outlet_')
            ? 'o'
            : 'm';
      // Flows and averages are 0 for a dealer without rollups in the window; period-end stock,
      // targets and custom measures are missing instead.
      const zero =
        source === 'o' ||
        source === 'q' ||
        (base !== undefined &&
          ['sum', 'monthly_mean', 'receivable'].includes(base.aggregate) &&
          measure !== 'target_amount');
      columns.push({ alias, lag: request.lag, measure, source, zero });
      if (measure.startsWith(CUSTOM_MEASURE_PREFIX)) {
        const name = measure.slice(CUSTOM_MEASURE_PREFIX.length);
        custom.push(
          sql`avg(cm.value) filter (where cm.measure = ${name} and cm.measured_on between ${`${from}-01`}::date and ${end}::date) as ${sql.ref(alias)}`,
        );
        return;
      }
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
          // A one-month period has one candidate month: a plain filtered max, much cheaper than
          // collecting and sorting the period's months per dealer.
          monthly.push(
            months === 1
              ? sql`max(${col}) filter (where dm.month = ${`${to}-01`}::date and dm.inventory_quantity > 0) as ${sql.ref(alias)}`
              : sql`(array_agg(${col} order by dm.month desc) filter (where ${inPeriod} and dm.inventory_quantity > 0))[1] as ${sql.ref(alias)}`,
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
          if (source === 'q') {
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

  const assessedTo = lastDay(current.to);
  const dealerFilter = dealerIds
    ? sql`and d.id = any(${sql.val([...dealerIds])}::bigint[])`
    : sql``;
  const pick = (c: (typeof columns)[number]) => {
    const ref = sql.ref(`${c.source}.${c.source === 'o' ? c.measure : c.alias}`);
    return c.zero
      ? sql`coalesce(${ref}, 0) as ${sql.ref(c.alias)}`
      : sql`${ref} as ${sql.ref(c.alias)}`;
  };
  const uses = (source: string) => columns.some((c) => c.source === source);

  // The rollups are aggregated per dealer first (one pass over the window, no join), then
  // joined to the dealers assessed: at 100,000 dealers this is a third faster on PGlite than
  // aggregating the join.
  const result = await sql<Record<string, number | string | null>>`
    with assessed as (
      select d.id from dealer d
      where d.tenant_id = ${tenantId} and d.status <> 'terminated'
        and d.onboarded_on <= ${assessedTo}::date ${dealerFilter}
    )
    ${
      monthly.length
        ? sql`, m as (
      select dm.dealer_id, ${sql.join(monthly)}
      from dealer_month dm
      where dm.tenant_id = ${tenantId}
        and dm.month between ${`${windowFrom}-01`}::date and ${`${windowTo}-01`}::date
      group by dm.dealer_id)`
        : sql``
    }
    ${
      uses('o')
        ? sql`, o as (
      select dealer_id, count(*) as outlet_count, count(distinct region_id) as outlet_region_count
      from outlet where tenant_id = ${tenantId} and status = 'active' group by dealer_id)`
        : sql``
    }
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
    select a.id as dealer_id ${columns.length ? sql`, ${sql.join(columns.map(pick))}` : sql``}
    from assessed a
    ${monthly.length ? sql`left join m on m.dealer_id = a.id` : sql``}
    ${uses('o') ? sql`left join o on o.dealer_id = a.id` : sql``}
    ${qualification.length ? sql`left join q on q.dealer_id = a.id` : sql``}
    ${custom.length ? sql`left join cm on cm.dealer_id = a.id` : sql``}
    order by a.id`.execute(db);

  const rows = result.rows;
  const n = rows.length;
  const ids = new Array<number>(n);
  const frames = new Map<number, Map<string, Float64Array>>();
  const targets = columns.map((c) => {
    let frame = frames.get(c.lag);
    if (!frame) frames.set(c.lag, (frame = new Map<string, Float64Array>()));
    const array = new Float64Array(n);
    frame.set(c.measure, array);
    return { alias: c.alias, array };
  });
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    ids[i] = Number(row['dealer_id']);
    for (const t of targets) {
      const v = row[t.alias];
      t.array[i] = v === null || v === undefined ? Number.NaN : Number(v);
    }
  }
  return { dealerIds: ids, frames };
}

/** The last day of a month 'YYYY-MM', as a date. */
function lastDay(month: string): string {
  return `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
}
