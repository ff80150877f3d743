import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';

export interface RollupScope {
  /** Only these dealers; all of the tenant's when absent. */
  dealerIds?: readonly number[];
  /**
   * Only the months from `from` to `to` (first days of months, `YYYY-MM-01`, both included);
   * every month when absent. Every rollup figure is a function of its own month's facts, so a
   * refresh of some months leaves the others as a rebuild would make them.
   */
  months?: { from: string; to: string };
}

/** First day of the month of a date column, in date arithmetic only (no time zones involved). */
const FIRST_OF_MONTH = /^\d{4}-\d{2}-01$/;

const monthOf = (column: string) => sql.raw(`(${column} - (extract(day from ${column})::int - 1))`);

/**
 * Recompute the monthly rollups (dealer_month, dealer_category_month) of a tenant from its
 * facts, for every dealer or only those in `scope`. Rows of the scope are deleted and written
 * anew, so an incremental refresh after an import and a full rebuild give identical rows.
 * Run it in the transaction that wrote the facts so that rollups never lag behind them.
 *
 * Definitions: inventory figures come from each month's last snapshot date; near-expiry stock
 * has at most a third of its product's shelf life left at the snapshot; new-product sales are
 * sales of products launched in the 12 months before the month's start.
 */
export async function refreshRollups(
  db: Kysely<Database>,
  tenantId: number,
  scope: RollupScope = {},
): Promise<void> {
  const dealerFilter = (alias: string): RawBuilder<unknown> =>
    scope.dealerIds
      ? sql`and ${sql.ref(`${alias}.dealer_id`)} = any(${sql.val([...scope.dealerIds])}::bigint[])`
      : sql``;
  if (scope.dealerIds && scope.dealerIds.length === 0) return;
  const months = scope.months;
  if (months && !(FIRST_OF_MONTH.test(months.from) && FIRST_OF_MONTH.test(months.to))) {
    throw new Error(
      `a rollup month range is of first days of months, not ${months.from}…${months.to}`,
    );
  }
  // The facts of the months in scope, by their date column; the rollups, by their month.
  const within = (column: string): RawBuilder<unknown> =>
    months
      ? sql`and ${sql.ref(column)} >= ${months.from}::date and ${sql.ref(column)} < ${months.to}::date + interval '1 month'`
      : sql``;
  const scoped = (alias: string, dateColumn: string): RawBuilder<unknown> =>
    sql`${dealerFilter(alias)} ${within(`${alias}.${dateColumn}`)}`;

  await sql`delete from dealer_month where tenant_id = ${tenantId} ${scoped('dealer_month', 'month')}`.execute(
    db,
  );
  await sql`delete from dealer_category_month where tenant_id = ${tenantId} ${scoped('dealer_category_month', 'month')}`.execute(
    db,
  );

  await sql`
    insert into dealer_month (
      tenant_id, dealer_id, month, sales_amount, sales_quantity, order_count, order_line_count,
      sku_count, new_product_amount, ordering_outlet_count, visited_outlet_count, visit_count,
      invoice_amount, payment_amount, target_amount, complaint_count, compliance_event_count,
      compliance_severity_points, inventory_quantity, inventory_value, near_expiry_value,
      batch_tracked_quantity, campaign_tasks_planned, campaign_tasks_completed)
    with
    ol as (
      select o.dealer_id, ${monthOf('o.ordered_on')} as month,
        sum(o.amount) as sales_amount, sum(o.quantity) as sales_quantity,
        count(distinct o.order_no) as order_count, count(*) as order_line_count,
        count(distinct o.product_id) as sku_count,
        sum(case when p.launched_on is not null
                  and p.launched_on >= ${monthOf('o.ordered_on')} - interval '12 months'
             then o.amount else 0 end) as new_product_amount,
        count(distinct o.outlet_id) as ordering_outlet_count
      from order_line o
      join product p on p.tenant_id = o.tenant_id and p.id = o.product_id
      where o.tenant_id = ${tenantId} ${scoped('o', 'ordered_on')}
      group by 1, 2),
    vi as (
      select v.dealer_id, ${monthOf('v.visited_on')} as month,
        count(distinct v.outlet_id) as visited_outlet_count, count(*) as visit_count
      from outlet_visit v where v.tenant_id = ${tenantId} ${scoped('v', 'visited_on')} group by 1, 2),
    iv as (
      select i.dealer_id, ${monthOf('i.issued_on')} as month, sum(i.amount) as invoice_amount
      from invoice i where i.tenant_id = ${tenantId} ${scoped('i', 'issued_on')} group by 1, 2),
    pa as (
      select y.dealer_id, ${monthOf('y.paid_on')} as month, sum(y.amount) as payment_amount
      from payment y where y.tenant_id = ${tenantId} ${scoped('y', 'paid_on')} group by 1, 2),
    tg as (
      select t.dealer_id, t.month, t.amount as target_amount
      from sales_target t where t.tenant_id = ${tenantId} ${scoped('t', 'month')}),
    cp as (
      select c.dealer_id, ${monthOf('c.received_on')} as month, count(*) as complaint_count
      from complaint c where c.tenant_id = ${tenantId} ${scoped('c', 'received_on')} group by 1, 2),
    ce as (
      select e.dealer_id, ${monthOf('e.occurred_on')} as month,
        count(*) as compliance_event_count, sum(e.severity) as compliance_severity_points
      from compliance_event e where e.tenant_id = ${tenantId} ${scoped('e', 'occurred_on')} group by 1, 2),
    last_snapshot as (
      select s.dealer_id, ${monthOf('s.snapshot_on')} as month, max(s.snapshot_on) as snapshot_on
      from inventory_snapshot s where s.tenant_id = ${tenantId} ${scoped('s', 'snapshot_on')} group by 1, 2),
    st as (
      select l.dealer_id, l.month,
        sum(s.quantity) as inventory_quantity,
        sum(s.quantity * p.list_price) as inventory_value,
        sum(case when s.expires_on is not null and p.shelf_life_days is not null
                  and (s.expires_on - s.snapshot_on) * 3 <= p.shelf_life_days
             then s.quantity * p.list_price else 0 end) as near_expiry_value,
        sum(case when s.batch_no <> '' then s.quantity else 0 end) as batch_tracked_quantity
      from last_snapshot l
      join inventory_snapshot s on s.tenant_id = ${tenantId} and s.dealer_id = l.dealer_id
        and s.snapshot_on = l.snapshot_on
      join product p on p.tenant_id = s.tenant_id and p.id = s.product_id
      group by 1, 2),
    cx as (
      select x.dealer_id, ${monthOf('x.reported_on')} as month,
        sum(x.tasks_planned) as campaign_tasks_planned,
        sum(x.tasks_completed) as campaign_tasks_completed
      from campaign_execution x where x.tenant_id = ${tenantId} ${scoped('x', 'reported_on')} group by 1, 2),
    keys as (
      select dealer_id, month from ol union select dealer_id, month from vi
      union select dealer_id, month from iv union select dealer_id, month from pa
      union select dealer_id, month from tg union select dealer_id, month from cp
      union select dealer_id, month from ce union select dealer_id, month from st
      union select dealer_id, month from cx)
    select ${tenantId}, k.dealer_id, k.month,
      coalesce(ol.sales_amount, 0), coalesce(ol.sales_quantity, 0), coalesce(ol.order_count, 0),
      coalesce(ol.order_line_count, 0), coalesce(ol.sku_count, 0),
      coalesce(ol.new_product_amount, 0), coalesce(ol.ordering_outlet_count, 0),
      coalesce(vi.visited_outlet_count, 0), coalesce(vi.visit_count, 0),
      coalesce(iv.invoice_amount, 0), coalesce(pa.payment_amount, 0), tg.target_amount,
      coalesce(cp.complaint_count, 0), coalesce(ce.compliance_event_count, 0),
      coalesce(ce.compliance_severity_points, 0), coalesce(st.inventory_quantity, 0),
      coalesce(st.inventory_value, 0), coalesce(st.near_expiry_value, 0),
      coalesce(st.batch_tracked_quantity, 0), coalesce(cx.campaign_tasks_planned, 0),
      coalesce(cx.campaign_tasks_completed, 0)
    from keys k
    left join ol on ol.dealer_id = k.dealer_id and ol.month = k.month
    left join vi on vi.dealer_id = k.dealer_id and vi.month = k.month
    left join iv on iv.dealer_id = k.dealer_id and iv.month = k.month
    left join pa on pa.dealer_id = k.dealer_id and pa.month = k.month
    left join tg on tg.dealer_id = k.dealer_id and tg.month = k.month
    left join cp on cp.dealer_id = k.dealer_id and cp.month = k.month
    left join ce on ce.dealer_id = k.dealer_id and ce.month = k.month
    left join st on st.dealer_id = k.dealer_id and st.month = k.month
    left join cx on cx.dealer_id = k.dealer_id and cx.month = k.month
  `.execute(db);

  await sql`
    insert into dealer_category_month (
      tenant_id, dealer_id, category, month, sales_amount, sales_quantity, order_line_count, sku_count)
    select ${tenantId}, o.dealer_id, p.category, ${monthOf('o.ordered_on')},
      sum(o.amount), sum(o.quantity), count(*), count(distinct o.product_id)
    from order_line o
    join product p on p.tenant_id = o.tenant_id and p.id = o.product_id
    where o.tenant_id = ${tenantId} ${scoped('o', 'ordered_on')}
    group by o.dealer_id, p.category, ${monthOf('o.ordered_on')}
  `.execute(db);
}
