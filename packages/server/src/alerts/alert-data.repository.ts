import { sql, type Kysely } from 'kysely';
import type {
  ChannelMonth,
  DealerMonth,
  LicenceFact,
  OpenInvoiceFact,
  StockFact,
} from '@tierline/core';
import type { Database } from '../db/database.js';

/**
 * What the alerts engine reads: dealers, their monthly rollups, the channel's monthly totals,
 * and the facts of the time rules (licences, open invoices, stock) — every query filtered by the
 * tenant and, for large tenants, run one chunk of dealers at a time.
 */

export interface AlertDealerRow {
  id: number;
  code: string;
  name: string;
  status: 'active' | 'probation' | 'suspended' | 'terminated';
  parentId: number | null;
  regionId: number;
  regionCode: string | null;
  regionName: string | null;
  onboardedOn: string;
}

/** Dealers of the tenant (or only `ids`), by id. */
export async function listAlertDealers(
  db: Kysely<Database>,
  tenantId: number,
  ids?: readonly number[],
): Promise<AlertDealerRow[]> {
  let qb = db
    .selectFrom('dealer as d')
    .leftJoin('region as r', (j) =>
      j.onRef('r.tenant_id', '=', 'd.tenant_id').onRef('r.id', '=', 'd.region_id'),
    )
    .select([
      'd.id',
      'd.code',
      'd.name',
      'd.status',
      'd.parent_id as parentId',
      'd.region_id as regionId',
      'r.code as regionCode',
      'r.name as regionName',
      'd.onboarded_on as onboardedOn',
    ])
    .where('d.tenant_id', '=', tenantId);
  if (ids) {
    if (ids.length === 0) return [];
    qb = qb.where('d.id', 'in', [...ids]);
  }
  return qb.orderBy('d.id').execute();
}

/** Every measure column of dealer_month. */
const MONTH_COLUMNS: ReadonlySet<string> = new Set([
  'sales_amount',
  'sales_quantity',
  'order_count',
  'order_line_count',
  'sku_count',
  'new_product_amount',
  'ordering_outlet_count',
  'visited_outlet_count',
  'visit_count',
  'invoice_amount',
  'payment_amount',
  'target_amount',
  'complaint_count',
  'compliance_event_count',
  'compliance_severity_points',
  'inventory_quantity',
  'inventory_value',
  'near_expiry_value',
  'batch_tracked_quantity',
  'campaign_tasks_planned',
  'campaign_tasks_completed',
]);

/** What the diagnosis and the health band read, whatever the rules. */
export const BASE_MONTH_COLUMNS = [
  'sales_amount',
  'target_amount',
  'complaint_count',
  'visit_count',
  'ordering_outlet_count',
  'invoice_amount',
  'payment_amount',
  'inventory_value',
  'near_expiry_value',
] as const;

/**
 * Monthly rollups of some dealers from `from` to `to` ('YYYY-MM'), by dealer: only the
 * `columns` asked for (unknown names are ignored). Reading few columns matters: decoding rows
 * is most of the cost of an evaluation of a large tenant.
 */
export async function loadDealerMonths(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
  from: string,
  to: string,
  columns: Iterable<string> = MONTH_COLUMNS,
): Promise<Map<number, DealerMonth[]>> {
  const out = new Map<number, DealerMonth[]>();
  if (dealerIds.length === 0) return out;
  const wanted = [...new Set(columns)].filter((c) => MONTH_COLUMNS.has(c));
  const { rows } = await sql<Record<string, number | null> & { dealer_id: number; month: string }>`
    select dealer_id, month, ${sql.join(wanted.map((c) => sql.ref(c)))}
    from dealer_month
    where tenant_id = ${tenantId} and dealer_id = any(${sql.val([...dealerIds])}::bigint[])
      and month >= ${`${from}-01`}::date and month <= ${`${to}-01`}::date
    order by dealer_id, month`.execute(db);
  for (const row of rows) {
    const values: Record<string, number | null> = {};
    for (const c of wanted) values[c] = row[c] ?? null;
    let list = out.get(row.dealer_id);
    if (!list) out.set(row.dealer_id, (list = []));
    list.push({ month: String(row.month).slice(0, 7), values });
  }
  return out;
}

/** The tenant's sales (and targets) per month from `from` to `to`, for the seasonal index. */
export async function loadChannelMonths(
  db: Kysely<Database>,
  tenantId: number,
  from: string,
  to: string,
): Promise<ChannelMonth[]> {
  const { rows } = await sql<{
    month: string;
    sales: number;
    dealers: number;
    target: number;
    targeted_sales: number;
  }>`
    select to_char(month, 'YYYY-MM') as month, coalesce(sum(sales_amount), 0)::bigint as sales,
      count(*) filter (where sales_amount > 0)::int as dealers,
      coalesce(sum(target_amount), 0)::bigint as target,
      coalesce(sum(sales_amount) filter (where target_amount > 0), 0)::bigint as targeted_sales
    from dealer_month
    where tenant_id = ${tenantId} and month >= ${`${from}-01`}::date and month <= ${`${to}-01`}::date
    group by month order by month`.execute(db);
  return rows.map((r) => ({
    month: r.month,
    sales: Number(r.sales),
    dealers: r.dealers,
    target: Number(r.target),
    targetedSales: Number(r.targeted_sales),
  }));
}

/** The first and last month with rollups of the tenant, or null when it has none. */
export async function rollupMonthRange(
  db: Kysely<Database>,
  tenantId: number,
): Promise<{ first: string; last: string } | null> {
  const { rows } = await sql<{ first: string | null; last: string | null }>`
    select to_char(min(month), 'YYYY-MM') as first, to_char(max(month), 'YYYY-MM') as last
    from dealer_month where tenant_id = ${tenantId}`.execute(db);
  const row = rows[0];
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

/** Licences issued by `day`, by dealer. */
export async function loadLicences(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
  day: string,
): Promise<Map<number, LicenceFact[]>> {
  const out = new Map<number, LicenceFact[]>();
  if (dealerIds.length === 0) return out;
  const rows = await db
    .selectFrom('qualification')
    .select(['dealer_id', 'kind', 'number', 'expires_on'])
    .where('tenant_id', '=', tenantId)
    .where('dealer_id', 'in', [...dealerIds])
    .where('issued_on', '<=', day)
    .orderBy('dealer_id')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    let list = out.get(r.dealer_id);
    if (!list) out.set(r.dealer_id, (list = []));
    list.push({ kind: r.kind, number: r.number, expiresOn: r.expires_on });
  }
  return out;
}

/**
 * Invoices issued by `day`, due before it, with something unpaid on `day`. Payments made by then
 * that name one of the dealer's invoices pay that invoice; the others (no invoice named, or one
 * the dealer does not have) are unapplied cash, applied to the dealer's open invoices oldest
 * first (by due date, then number), as a receivables clerk would: invoice k stays open by
 * clamp(open amount up to and including k − unapplied cash, 0, its own open amount).
 */
export async function loadOpenInvoices(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
  day: string,
): Promise<Map<number, OpenInvoiceFact[]>> {
  const out = new Map<number, OpenInvoiceFact[]>();
  if (dealerIds.length === 0) return out;
  const ids = sql.val([...dealerIds]);
  const { rows } = await sql<{
    dealer_id: number;
    invoice_no: string;
    due_on: string;
    outstanding: number;
  }>`
    with inv as (
      select i.dealer_id, i.invoice_no, i.due_on, i.amount from invoice i
      where i.tenant_id = ${tenantId} and i.dealer_id = any(${ids}::bigint[])
        and i.issued_on <= ${day}::date),
    pay as (
      select p.dealer_id, p.invoice_no, p.amount,
        exists (select 1 from inv where inv.dealer_id = p.dealer_id
                and inv.invoice_no = p.invoice_no) as applied
      from payment p
      where p.tenant_id = ${tenantId} and p.dealer_id = any(${ids}::bigint[])
        and p.paid_on <= ${day}::date),
    paid as (
      select dealer_id, invoice_no, sum(amount) as amount from pay where applied group by 1, 2),
    unapplied as (
      select dealer_id, sum(amount) as amount from pay where not applied group by 1),
    open as (
      select inv.dealer_id, inv.invoice_no, inv.due_on,
        inv.amount - coalesce(paid.amount, 0) as remaining
      from inv
      left join paid on paid.dealer_id = inv.dealer_id and paid.invoice_no = inv.invoice_no
      where inv.amount - coalesce(paid.amount, 0) > 0),
    fifo as (
      select open.*, sum(remaining) over (partition by open.dealer_id
          order by due_on, invoice_no rows unbounded preceding) as running,
        coalesce(unapplied.amount, 0) as cash
      from open left join unapplied on unapplied.dealer_id = open.dealer_id)
    select dealer_id, invoice_no, due_on,
      greatest(0, least(remaining, running - cash))::bigint as outstanding
    from fifo
    where due_on < ${day}::date and running - cash > 0
    order by dealer_id, due_on, invoice_no`.execute(db);
  for (const r of rows) {
    const outstanding = Number(r.outstanding);
    if (outstanding <= 0) continue;
    let list = out.get(r.dealer_id);
    if (!list) out.set(r.dealer_id, (list = []));
    list.push({ invoiceNo: r.invoice_no, dueOn: r.due_on, outstanding });
  }
  return out;
}

/**
 * Each dealer's stock at its latest snapshot within the 45 days up to `day`, per SKU, with the
 * units it ordered of that SKU in the 30 days up to the snapshot.
 */
export async function loadStock(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
  day: string,
): Promise<Map<number, StockFact[]>> {
  const out = new Map<number, StockFact[]>();
  if (dealerIds.length === 0) return out;
  const ids = sql.val([...dealerIds]);
  const { rows } = await sql<{
    dealer_id: number;
    sku: string;
    name: string;
    snapshot_on: string;
    quantity: number;
    sold: number;
  }>`
    with last as (
      select dealer_id, max(snapshot_on) as snapshot_on from inventory_snapshot
      where tenant_id = ${tenantId} and dealer_id = any(${ids}::bigint[])
        and snapshot_on <= ${day}::date and snapshot_on > ${day}::date - 45
      group by dealer_id),
    st as (
      select s.dealer_id, s.product_id, l.snapshot_on, sum(s.quantity) as quantity
      from inventory_snapshot s
      join last l on l.dealer_id = s.dealer_id and l.snapshot_on = s.snapshot_on
      where s.tenant_id = ${tenantId}
      group by 1, 2, 3),
    sold as (
      select o.dealer_id, o.product_id, sum(o.quantity) as quantity
      from order_line o join last l on l.dealer_id = o.dealer_id
      where o.tenant_id = ${tenantId} and o.dealer_id = any(${ids}::bigint[])
        and o.ordered_on > l.snapshot_on - 30 and o.ordered_on <= l.snapshot_on
      group by 1, 2)
    select st.dealer_id, p.sku, p.name, st.snapshot_on, st.quantity::bigint as quantity,
      coalesce(sold.quantity, 0)::bigint as sold
    from st
    join product p on p.tenant_id = ${tenantId} and p.id = st.product_id
    left join sold on sold.dealer_id = st.dealer_id and sold.product_id = st.product_id
    order by st.dealer_id, p.sku`.execute(db);
  for (const r of rows) {
    let list = out.get(r.dealer_id);
    if (!list) out.set(r.dealer_id, (list = []));
    list.push({
      sku: r.sku,
      name: r.name,
      snapshotOn: r.snapshot_on,
      quantity: Number(r.quantity),
      soldQuantity: Number(r.sold),
    });
  }
  return out;
}

/**
 * The owner of each dealer's alerts: an active channel manager whose regions cover the dealer's
 * region (the nearest region up the tree wins, then the lowest user id); for a 二级 dealer with
 * none, its parent's.
 */
export async function findDealerOwners(
  db: Kysely<Database>,
  tenantId: number,
  dealers: readonly { id: number; parentId: number | null }[],
): Promise<Map<number, { id: number; name: string }>> {
  const owners = await ownersByRegion(
    db,
    tenantId,
    dealers.map((d) => d.id),
  );
  const orphans = dealers.filter((d) => !owners.has(d.id) && d.parentId !== null);
  if (orphans.length > 0) {
    const parents = await ownersByRegion(db, tenantId, [
      ...new Set(orphans.map((d) => d.parentId as number)),
    ]);
    for (const d of orphans) {
      const owner = parents.get(d.parentId as number);
      if (owner) owners.set(d.id, owner);
    }
  }
  return owners;
}

async function ownersByRegion(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
): Promise<Map<number, { id: number; name: string }>> {
  const out = new Map<number, { id: number; name: string }>();
  if (dealerIds.length === 0) return out;
  const { rows } = await sql<{ dealer_id: number; user_id: number; name: string }>`
    with recursive up(dealer_id, region_id, depth) as (
      select d.id, d.region_id, 0 from dealer d
      where d.tenant_id = ${tenantId} and d.id = any(${sql.val([...dealerIds])}::bigint[])
      union all
      select up.dealer_id, r.parent_id, up.depth + 1 from up
      join region r on r.tenant_id = ${tenantId} and r.id = up.region_id
      where r.parent_id is not null)
    select distinct on (up.dealer_id) up.dealer_id, u.id as user_id, u.display_name as name
    from up
    join user_region ur on ur.tenant_id = ${tenantId} and ur.region_id = up.region_id
    join app_user u on u.tenant_id = ${tenantId} and u.id = ur.user_id
      and u.role = 'channel_manager' and u.status = 'active'
    order by up.dealer_id, up.depth, u.id`.execute(db);
  for (const r of rows) out.set(r.dealer_id, { id: r.user_id, name: r.name });
  return out;
}

/** Sales and units per category and month of some dealers over some months. */
export async function loadCategoryMonths(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
  months: readonly string[],
): Promise<
  { dealerId: number; category: string; month: string; sales: number; quantity: number }[]
> {
  if (dealerIds.length === 0 || months.length === 0) return [];
  const rows = await db
    .selectFrom('dealer_category_month')
    .select([
      'dealer_id',
      'category',
      sql<string>`to_char(month, 'YYYY-MM')`.as('m'),
      'sales_amount',
      'sales_quantity',
    ])
    .where('tenant_id', '=', tenantId)
    .where('dealer_id', 'in', [...dealerIds])
    .where(
      'month',
      'in',
      months.map((m) => `${m}-01`),
    )
    .execute();
  return rows.map((r) => ({
    dealerId: r.dealer_id,
    category: r.category,
    month: r.m,
    sales: r.sales_amount,
    quantity: r.sales_quantity,
  }));
}

/** Sales per outlet (null: lines without an outlet) and month of some dealers over some months. */
export async function loadOutletMonths(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
  months: readonly string[],
): Promise<
  { dealerId: number; code: string | null; name: string | null; month: string; sales: number }[]
> {
  if (dealerIds.length === 0 || months.length === 0) return [];
  const sorted = [...months].sort();
  const from = `${sorted[0]}-01`;
  const to = `${sorted[sorted.length - 1]}-01`;
  const { rows } = await sql<{
    dealer_id: number;
    code: string | null;
    name: string | null;
    month: string;
    sales: number;
  }>`
    select o.dealer_id, t.code, t.name, to_char(o.ordered_on, 'YYYY-MM') as month,
      sum(o.amount)::bigint as sales
    from order_line o
    left join outlet t on t.tenant_id = o.tenant_id and t.id = o.outlet_id
    where o.tenant_id = ${tenantId} and o.dealer_id = any(${sql.val([...dealerIds])}::bigint[])
      and o.ordered_on >= ${from}::date and o.ordered_on < ${to}::date + interval '1 month'
      and to_char(o.ordered_on, 'YYYY-MM') = any(${sql.val([...months])}::text[])
    group by o.dealer_id, t.code, t.name, to_char(o.ordered_on, 'YYYY-MM')`.execute(db);
  return rows.map((r) => ({
    dealerId: r.dealer_id,
    code: r.code,
    name: r.name,
    month: r.month,
    sales: Number(r.sales),
  }));
}

/** Complaints per topic and month of some dealers over some months. */
export async function loadComplaintTopics(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
  months: readonly string[],
): Promise<{ dealerId: number; topic: string; month: string; count: number }[]> {
  if (dealerIds.length === 0 || months.length === 0) return [];
  const { rows } = await sql<{ dealer_id: number; topic: string; month: string; n: number }>`
    select c.dealer_id, coalesce(c.topic, '') as topic, to_char(c.received_on, 'YYYY-MM') as month,
      count(*)::int as n
    from complaint c
    where c.tenant_id = ${tenantId} and c.dealer_id = any(${sql.val([...dealerIds])}::bigint[])
      and to_char(c.received_on, 'YYYY-MM') = any(${sql.val([...months])}::text[])
    group by 1, 2, 3`.execute(db);
  return rows.map((r) => ({ dealerId: r.dealer_id, topic: r.topic, month: r.month, count: r.n }));
}

/**
 * For each of some dealers, the province its region lies in (or the top region under the
 * country), and the sales per month of every dealer of that province over some months.
 */
export async function loadRegionSales(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
  months: readonly string[],
): Promise<{
  regionOf: Map<number, { id: number; code: string; name: string }>;
  sales: Map<number, Map<string, number>>;
}> {
  const regionOf = new Map<number, { id: number; code: string; name: string }>();
  const sales = new Map<number, Map<string, number>>();
  if (dealerIds.length === 0) return { regionOf, sales };
  const { rows } = await sql<{ dealer_id: number; id: number; code: string; name: string }>`
    with recursive up(dealer_id, region_id, depth) as (
      select d.id, d.region_id, 0 from dealer d
      where d.tenant_id = ${tenantId} and d.id = any(${sql.val([...dealerIds])}::bigint[])
      union all
      select up.dealer_id, r.parent_id, up.depth + 1 from up
      join region r on r.tenant_id = ${tenantId} and r.id = up.region_id
      where r.parent_id is not null),
    chain as (
      select up.dealer_id, r.id, r.code, r.name, r.level, up.depth,
        (select p.level from region p where p.tenant_id = r.tenant_id and p.id = r.parent_id) as parent_level
      from up join region r on r.tenant_id = ${tenantId} and r.id = up.region_id)
    select distinct on (dealer_id) dealer_id, id, code, name from chain
    where level = 'province' or parent_level = 'country' or parent_level is null
    order by dealer_id, (level = 'province') desc, depth`.execute(db);
  for (const r of rows) regionOf.set(r.dealer_id, { id: r.id, code: r.code, name: r.name });
  const regionIds = [...new Set(rows.map((r) => r.id))];
  if (regionIds.length === 0 || months.length === 0) return { regionOf, sales };
  const totals = await sql<{ region_id: number; month: string; sales: number }>`
    with recursive sub(top, id) as (
      select id, id from region where tenant_id = ${tenantId} and id = any(${sql.val(regionIds)}::bigint[])
      union
      select sub.top, r.id from region r join sub on r.parent_id = sub.id where r.tenant_id = ${tenantId})
    select sub.top as region_id, to_char(m.month, 'YYYY-MM') as month, sum(m.sales_amount)::bigint as sales
    from sub
    join dealer d on d.tenant_id = ${tenantId} and d.region_id = sub.id
    join dealer_month m on m.tenant_id = ${tenantId} and m.dealer_id = d.id
      and m.month = any(${sql.val(months.map((x) => `${x}-01`))}::date[])
    group by 1, 2`.execute(db);
  for (const r of totals.rows) {
    let byMonth = sales.get(r.region_id);
    if (!byMonth) sales.set(r.region_id, (byMonth = new Map<string, number>()));
    byMonth.set(r.month, Number(r.sales));
  }
  return { regionOf, sales };
}
