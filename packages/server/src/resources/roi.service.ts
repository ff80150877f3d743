import { sql, type Kysely, type SqlBool } from 'kysely';
import { DomainError, parsePeriod } from '@tierline/core';
import type { ResourceRoi, RoiFigures, TierDefinition } from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { getPolicyById, listPolicies } from '../tiering/policy.repository.js';

/** lift / resources, to 6 decimals; null without resources. */
export function roiOf(lift: number, resources: number): number | null {
  return resources === 0 ? null : Number((lift / resources).toFixed(6));
}

function figures(
  sums: { dealers: number; resources: number; sales: number; previousSales: number },
  before: number | null | undefined,
): RoiFigures {
  const lift = sums.sales - sums.previousSales;
  const roi = roiOf(lift, sums.resources);
  return {
    dealerCount: sums.dealers,
    resources: sums.resources,
    sales: sums.sales,
    previousSales: sums.previousSales,
    lift,
    roi,
    roiChange:
      roi === null || before === null || before === undefined
        ? null
        : Number((roi - before).toFixed(6)),
  };
}

interface DealerPeriodRow {
  period: string;
  period_from: string;
  period_to: string;
  previous_from: string;
  previous_to: string;
  dealer_id: number;
  code: string;
  name: string;
  tier: string;
  resources: number;
  sales: number;
  previous_sales: number;
}

/**
 * Resource ROI (资源投入回报) over the published allocations whose periods lie within
 * [from, to], every purpose summed per period and dealer: resources (allocated amounts), sales
 * in the period, sales in the equally long period just before, lift = sales − previous, and
 * ROI = lift / resources (null when resources are 0); per tier and in total, with the change of
 * ROI from the period before in the list. Only the dealers in the caller's scope count, so a
 * channel manager's tiers sum its own dealers. Sales come from `dealer_month`.
 */
export async function resourceRoi(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: {
    from: string;
    to: string;
    tier?: string | undefined;
    q?: string | undefined;
    limit: number;
  },
): Promise<ResourceRoi> {
  const from = parsePeriod(query.from);
  const to = parsePeriod(query.to);
  if (to.to < from.from) {
    throw new DomainError('validation_failed', `to (${query.to}) is before from (${query.from}).`, {
      field: 'to',
    });
  }
  const inScope = dealerScopeCondition(scope) ?? sql<SqlBool>`true`;
  const { rows } = await sql<DealerPeriodRow>`
    with lines as (
      select a.period, a.period_from, a.period_to, l.dealer_id, max(l.tier) as tier,
        sum(l.amount) as resources,
        (date_part('year', age(a.period_to, a.period_from)) * 12
          + date_part('month', age(a.period_to, a.period_from)))::int + 1 as months
      from budget_allocation a
      join budget_allocation_line l on l.tenant_id = a.tenant_id and l.allocation_id = a.id
      join dealer on dealer.tenant_id = l.tenant_id and dealer.id = l.dealer_id
      where a.tenant_id = ${tenantId} and a.status = 'published'
        and a.period_from >= ${`${from.from}-01`}::date and a.period_to <= ${`${to.to}-01`}::date
        and ${inScope}
      group by a.period, a.period_from, a.period_to, l.dealer_id
    )
    select x.period, to_char(x.period_from, 'YYYY-MM') as period_from,
      to_char(x.period_to, 'YYYY-MM') as period_to,
      to_char(x.period_from - make_interval(months => x.months), 'YYYY-MM') as previous_from,
      to_char(x.period_from - interval '1 month', 'YYYY-MM') as previous_to,
      x.dealer_id, d.code, d.name, x.tier, x.resources,
      coalesce((select sum(m.sales_amount) from dealer_month m
        where m.tenant_id = ${tenantId} and m.dealer_id = x.dealer_id
          and m.month between x.period_from and x.period_to), 0) as sales,
      coalesce((select sum(m.sales_amount) from dealer_month m
        where m.tenant_id = ${tenantId} and m.dealer_id = x.dealer_id
          and m.month >= x.period_from - make_interval(months => x.months)
          and m.month < x.period_from), 0) as previous_sales
    from lines x join dealer d on d.tenant_id = ${tenantId} and d.id = x.dealer_id
    order by x.period_to, x.period, x.dealer_id`.execute(db);

  type Sums = { dealers: number; resources: number; sales: number; previousSales: number };
  const zero = (): Sums => ({ dealers: 0, resources: 0, sales: 0, previousSales: 0 });
  const add = (s: Sums, r: DealerPeriodRow) => {
    s.dealers += 1;
    s.resources += Number(r.resources);
    s.sales += Number(r.sales);
    s.previousSales += Number(r.previous_sales);
  };
  const periods = new Map<
    string,
    { head: DealerPeriodRow; total: Sums; tiers: Map<string, Sums> }
  >();
  const dealers = new Map<
    number,
    { dealer: { id: number; code: string; name: string }; rows: DealerPeriodRow[] }
  >();
  for (const r of rows) {
    let p = periods.get(r.period);
    if (!p) periods.set(r.period, (p = { head: r, total: zero(), tiers: new Map() }));
    add(p.total, r);
    let t = p.tiers.get(r.tier);
    if (!t) p.tiers.set(r.tier, (t = zero()));
    add(t, r);
    let d = dealers.get(r.dealer_id);
    if (!d)
      dealers.set(
        r.dealer_id,
        (d = { dealer: { id: r.dealer_id, code: r.code, name: r.name }, rows: [] }),
      );
    d.rows.push(r);
  }

  const tiers = await tierScheme(db, tenantId, from.from, to.to);
  const order = (tier: string) => {
    const i = tiers.findIndex((t) => t.code === tier);
    return i < 0 ? tiers.length : i;
  };
  let beforeTotal: number | null = null;
  const beforeTier = new Map<string, number | null>();
  const periodList: ResourceRoi['periods'] = [];
  for (const p of periods.values()) {
    const total = figures(p.total, beforeTotal);
    beforeTotal = total.roi;
    const tierList = [...p.tiers.entries()]
      .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
      .map(([tier, sums]) => {
        const f = figures(sums, beforeTier.get(tier));
        beforeTier.set(tier, f.roi);
        return { tier, ...f };
      });
    periodList.push({
      period: p.head.period,
      periodFrom: p.head.period_from,
      periodTo: p.head.period_to,
      previousFrom: p.head.previous_from,
      previousTo: p.head.previous_to,
      total,
      tiers: tierList,
    });
  }

  const q = query.q?.trim().toLowerCase() ?? '';
  const matching = [...dealers.values()]
    .map((d) => {
      const last = d.rows[d.rows.length - 1]!;
      let before: number | null = null;
      const perPeriod = d.rows.map((r) => {
        const f = figures(
          {
            dealers: 1,
            resources: Number(r.resources),
            sales: Number(r.sales),
            previousSales: Number(r.previous_sales),
          },
          before,
        );
        before = f.roi;
        return {
          period: r.period,
          tier: r.tier,
          resources: f.resources,
          sales: f.sales,
          previousSales: f.previousSales,
          lift: f.lift,
          roi: f.roi,
          roiChange: f.roiChange,
        };
      });
      const resources = perPeriod.reduce((s, x) => s + x.resources, 0);
      const lift = perPeriod.reduce((s, x) => s + x.lift, 0);
      return {
        dealer: d.dealer,
        tier: last.tier,
        resources,
        lift,
        roi: roiOf(lift, resources),
        periods: perPeriod,
      };
    })
    .filter(
      (d) =>
        (query.tier === undefined || d.tier === query.tier) &&
        (q === '' ||
          d.dealer.code.toLowerCase().startsWith(q) ||
          d.dealer.name.toLowerCase().includes(q)),
    )
    .sort((a, b) => b.resources - a.resources || a.dealer.id - b.dealer.id);
  return {
    from: query.from,
    to: query.to,
    tiers,
    periods: periodList,
    dealers: matching.slice(0, query.limit),
    dealerCount: matching.length,
  };
}

/** The tiers of the latest published allocation's policy in the range, else the first policy's. */
async function tierScheme(
  db: Kysely<Database>,
  tenantId: number,
  from: string,
  to: string,
): Promise<TierDefinition[]> {
  const row = await db
    .selectFrom('budget_allocation as a')
    .innerJoin('assessment_run as r', (j) =>
      j.onRef('r.tenant_id', '=', 'a.tenant_id').onRef('r.id', '=', 'a.run_id'),
    )
    .select('r.policy_id')
    .where('a.tenant_id', '=', tenantId)
    .where('a.status', '=', 'published')
    .where('a.period_from', '>=', `${from}-01`)
    .where('a.period_to', '<=', `${to}-01`)
    .orderBy('a.period_to', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row) return (await getPolicyById(db, tenantId, row.policy_id)).document.tiers;
  return (await listPolicies(db, tenantId))[0]?.tiers ?? [];
}
