import { sql, type Kysely } from 'kysely';
import type { Period } from '@tierline/core';
import type { Database } from '../db/database.js';

/** One dealer that takes part in an allocation, with what the split rules and adjustments read. */
export interface AllocationCandidate {
  dealerId: number;
  code: string;
  tier: string;
  standing: 'good' | 'at_risk' | 'probation' | 'elimination';
  score: number;
  /** Sales in the reference (assessment) period, minor units. */
  sales: number;
  /** Sales target of the allocation period (else of the reference period); null when none. */
  target: number | null;
  /** Consecutive months, up to the reference period's last, with sales below a target > 0. */
  missedTargetPeriods: number;
}

/** How far back a missed-target streak is counted (months), at least. */
export const STREAK_LOOKBACK = 24;

/**
 * The dealers an allocation splits the pool across: those still trading (status active or
 * probation) with a decision in `run` (the latest published assessment before the allocation
 * period), with the run's tier, standing and score; the run period's sales; the allocation
 * period's targets (the run period's when the dealer has none there); and, when `streakMonths`
 * is above 0, the months of target missed running up to the run period's last month, counted
 * back at most that far (a declared missed-target rule needs it; without one it is 0). All from
 * `dealer_month` in one statement.
 */
export async function allocationCandidates(
  db: Kysely<Database>,
  tenantId: number,
  run: { id: number; periodFrom: string; periodTo: string },
  period: Period,
  streakMonths: number,
): Promise<AllocationCandidate[]> {
  const runFrom = `${run.periodFrom}-01`;
  const runTo = `${run.periodTo}-01`;
  const from = `${period.from}-01`;
  const to = `${period.to}-01`;
  const { rows } = await sql<{
    dealer_id: number;
    code: string;
    tier: string;
    standing: AllocationCandidate['standing'];
    score: number;
    sales: number | null;
    target: number | null;
    run_target: number | null;
    streak: number | null;
  }>`
    with d as materialized (
      select td.dealer_id, dealer.code, td.tier, td.standing, td.score
      from tier_decision td
      join dealer on dealer.tenant_id = td.tenant_id and dealer.id = td.dealer_id
      where td.tenant_id = ${tenantId} and td.run_id = ${run.id}
        and dealer.status in ('active', 'probation')
    ),
    months as (
      select m.dealer_id, m.month, m.sales_amount, m.target_amount
      from dealer_month m join d on d.dealer_id = m.dealer_id
      where m.tenant_id = ${tenantId}
        and (m.month between ${runFrom}::date and ${runTo}::date
          or m.month between ${from}::date and ${to}::date
          or (m.month > ${runTo}::date - make_interval(months => ${streakMonths})
            and m.month <= ${runTo}::date))
    ),
    ref as (
      select dealer_id,
        sum(sales_amount) filter (where month between ${runFrom}::date and ${runTo}::date) as sales,
        sum(target_amount) filter (where month between ${from}::date and ${to}::date) as target,
        sum(target_amount) filter (where month between ${runFrom}::date and ${runTo}::date) as run_target
      from months group by dealer_id
    ),
    back as (
      select dealer_id,
        coalesce(target_amount > 0 and sales_amount < target_amount, false) as miss,
        row_number() over (partition by dealer_id order by month desc) as rn,
        (date_part('year', age(${runTo}::date, month)) * 12
          + date_part('month', age(${runTo}::date, month)))::int + 1 as back
      from months
      where month <= ${runTo}::date
        and month > ${runTo}::date - make_interval(months => ${streakMonths})
    ),
    streak as (
      select dealer_id,
        coalesce(min(rn) filter (where not (miss and rn = back)), max(rn) + 1) - 1 as streak
      from back group by dealer_id
    )
    select d.dealer_id, d.code, d.tier, d.standing, d.score, ref.sales, ref.target, ref.run_target,
      streak.streak
    from d
    left join ref on ref.dealer_id = d.dealer_id
    left join streak on streak.dealer_id = d.dealer_id
    order by d.dealer_id`.execute(db);
  return rows.map((r) => ({
    dealerId: r.dealer_id,
    code: r.code,
    tier: r.tier,
    standing: r.standing,
    score: r.score,
    sales: Number(r.sales ?? 0),
    target:
      r.target !== null && Number(r.target) > 0
        ? Number(r.target)
        : r.run_target === null
          ? null
          : Number(r.run_target),
    missedTargetPeriods: Number(r.streak ?? 0),
  }));
}
