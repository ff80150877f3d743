import { sql, type Kysely, type SqlBool, type ExpressionBuilder } from 'kysely';
import { addMonths, DomainError } from '@tierline/core';
import type {
  CategorySales,
  DealerDetail,
  DealerFacets,
  DealerListQuery,
  DealerMonth,
  DealerPage,
  DealerStatus,
  DealerSummary,
} from '@tierline/contract';
import type { Database, DealerMonthRow } from '../db/database.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { DealerScope } from '../auth/policy.js';
import { dealerScopeCondition } from './dealer-scope.js';

const SORT_COLUMNS = {
  code: 'dealer.code',
  name: 'dealer.name',
  onboardedOn: 'dealer.onboarded_on',
  status: 'dealer.status',
} as const;

/** The region with this code and every region below it, as a subquery of ids. */
function regionSubtree(db: Kysely<Database>, tenantId: number, code: string) {
  return db
    .withRecursive('subtree(id)', (qb) =>
      qb
        .selectFrom('region')
        .select('region.id')
        .where('region.tenant_id', '=', tenantId)
        .where('region.code', '=', code)
        .unionAll((qb2) =>
          qb2
            .selectFrom('region as child')
            .innerJoin('subtree', 'subtree.id', 'child.parent_id')
            .select('child.id')
            .where('child.tenant_id', '=', tenantId),
        ),
    )
    .selectFrom('subtree')
    .select('subtree.id');
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filtered(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: DealerListQuery,
) {
  let qb = db.selectFrom('dealer').where('dealer.tenant_id', '=', tenantId);
  const inScope = dealerScopeCondition(scope);
  if (inScope) qb = qb.where(inScope);
  if (query.region) {
    qb = qb.where('dealer.region_id', 'in', regionSubtree(db, tenantId, query.region));
  }
  if (query.status && query.status.length > 0) qb = qb.where('dealer.status', 'in', query.status);
  if (query.channelType) qb = qb.where('dealer.channel_type', '=', query.channelType);
  if (query.chainLevel) qb = qb.where('dealer.chain_level', '=', query.chainLevel);
  if (query.tag) qb = qb.where(sql<SqlBool>`dealer.tags @> array[${query.tag}]::text[]`);
  if (query.q && query.q.trim() !== '') {
    const q = escapeLike(query.q.trim());
    qb = qb.where((eb: ExpressionBuilder<Database, 'dealer'>) =>
      eb.or([eb('dealer.code', 'ilike', `${q}%`), eb('dealer.name', 'ilike', `%${q}%`)]),
    );
  }
  return qb;
}

/** The last month with rollups for the tenant, 'YYYY-MM', or null before any data. */
export async function findDataRange(
  db: Kysely<Database>,
  tenantId: number,
): Promise<{ from: string; to: string } | null> {
  const row = await db
    .selectFrom('dealer_month')
    .select([
      sql<string | null>`to_char(min(month), 'YYYY-MM')`.as('from'),
      sql<string | null>`to_char(max(month), 'YYYY-MM')`.as('to'),
    ])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.from && row.to ? { from: row.from, to: row.to } : null;
}

/** Sum of sales over the 12 months ending `to`, per dealer. */
async function sales12m(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
  to: string | null,
): Promise<Map<number, number>> {
  if (!to || dealerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('dealer_month')
    .select(['dealer_id', sql<number>`sum(sales_amount)::bigint`.as('total')])
    .where('tenant_id', '=', tenantId)
    .where('dealer_id', 'in', dealerIds)
    .where('month', '>', `${addMonths(to, -12)}-01`)
    .where('month', '<=', `${to}-01`)
    .groupBy('dealer_id')
    .execute();
  return new Map(rows.map((r) => [r.dealer_id, r.total]));
}

function summaryQuery(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: DealerListQuery,
) {
  return filtered(db, tenantId, scope, query)
    .innerJoin('region as r', (j) =>
      j.onRef('r.tenant_id', '=', 'dealer.tenant_id').onRef('r.id', '=', 'dealer.region_id'),
    )
    .leftJoin('region as rp', (j) =>
      j.onRef('rp.tenant_id', '=', 'r.tenant_id').onRef('rp.id', '=', 'r.parent_id'),
    )
    .leftJoin('region as rpp', (j) =>
      j.onRef('rpp.tenant_id', '=', 'rp.tenant_id').onRef('rpp.id', '=', 'rp.parent_id'),
    )
    .leftJoin('dealer as parent', (j) => {
      const joined = j
        .onRef('parent.tenant_id', '=', 'dealer.tenant_id')
        .onRef('parent.id', '=', 'dealer.parent_id');
      // A sub-dealer in scope may buy from a dealer outside it: then its parent stays hidden.
      const parentInScope = dealerScopeCondition(scope, 'parent');
      return parentInScope ? joined.on(parentInScope) : joined;
    })
    .select([
      'dealer.id',
      'dealer.code',
      'dealer.name',
      'dealer.chain_level',
      'dealer.channel_type',
      'dealer.status',
      'dealer.onboarded_on',
      'dealer.tags',
      'parent.id as parent_id',
      'parent.code as parent_code',
      'parent.name as parent_name',
      'r.code as region_code',
      'r.name as region_name',
      'r.level as region_level',
      'rp.name as rp_name',
      'rp.level as rp_level',
      'rpp.name as rpp_name',
      'rpp.level as rpp_level',
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['execute']>>[number];

function toSummary(row: SummaryRow, sales: number): DealerSummary {
  const path: string[] = [];
  if (row.rpp_name && row.rpp_level !== 'country') path.push(row.rpp_name);
  if (row.rp_name && row.rp_level !== 'country') path.push(row.rp_name);
  path.push(row.region_name);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    chainLevel: row.chain_level,
    parent:
      row.parent_id !== null && row.parent_code !== null && row.parent_name !== null
        ? { id: row.parent_id, code: row.parent_code, name: row.parent_name }
        : null,
    channelType: row.channel_type,
    region: { code: row.region_code, name: row.region_name, path },
    status: row.status,
    onboardedOn: row.onboarded_on,
    tags: row.tags,
    sales12m: sales,
  };
}

/**
 * A page of dealers matching the filter, in a stable order (sort key, then id), with keyset
 * pagination so that deep pages cost the same as the first, and the total that matches.
 */
export async function listDealers(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: DealerListQuery,
): Promise<DealerPage> {
  const column = SORT_COLUMNS[query.sort];
  const desc = query.order === 'desc';
  let qb = summaryQuery(db, tenantId, scope, query);
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor, ['string', 'number']);
    qb = qb.where(
      desc
        ? sql<SqlBool>`(${sql.ref(column)}, dealer.id) < (${value}, ${id})`
        : sql<SqlBool>`(${sql.ref(column)}, dealer.id) > (${value}, ${id})`,
    );
  }
  const rows = await qb
    .orderBy(column, desc ? 'desc' : 'asc')
    .orderBy('dealer.id', desc ? 'desc' : 'asc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const [countRow, range] = await Promise.all([
    filtered(db, tenantId, scope, query)
      .select(sql<number>`count(*)::int`.as('total'))
      .executeTakeFirstOrThrow(),
    findDataRange(db, tenantId),
  ]);
  const sales = await sales12m(
    db,
    tenantId,
    page.map((r) => r.id),
    range?.to ?? null,
  );
  const last = page[page.length - 1];
  const sortValue = (row: SummaryRow): string => {
    switch (query.sort) {
      case 'code':
        return row.code;
      case 'name':
        return row.name;
      case 'onboardedOn':
        return row.onboarded_on;
      case 'status':
        return row.status;
    }
  };
  return {
    items: page.map((r) => toSummary(r, sales.get(r.id) ?? 0)),
    total: countRow.total,
    nextCursor: rows.length > query.limit && last ? encodeCursor([sortValue(last), last.id]) : null,
    dataTo: range?.to ?? null,
  };
}

function toMonth(row: DealerMonthRow): DealerMonth {
  return {
    month: row.month.slice(0, 7),
    salesAmount: row.sales_amount,
    salesQuantity: row.sales_quantity,
    orderCount: row.order_count,
    orderLineCount: row.order_line_count,
    skuCount: row.sku_count,
    newProductAmount: row.new_product_amount,
    orderingOutletCount: row.ordering_outlet_count,
    visitedOutletCount: row.visited_outlet_count,
    visitCount: row.visit_count,
    invoiceAmount: row.invoice_amount,
    paymentAmount: row.payment_amount,
    targetAmount: row.target_amount,
    complaintCount: row.complaint_count,
    complianceEventCount: row.compliance_event_count,
    complianceSeverityPoints: row.compliance_severity_points,
    inventoryQuantity: row.inventory_quantity,
    inventoryValue: row.inventory_value,
    nearExpiryValue: row.near_expiry_value,
    batchTrackedQuantity: row.batch_tracked_quantity,
    campaignTasksPlanned: row.campaign_tasks_planned,
    campaignTasksCompleted: row.campaign_tasks_completed,
  };
}

/**
 * One dealer with its master data and monthly rollups; not-found for another tenant's id and
 * for a dealer outside the caller's scope (so that ids do not reveal which dealers exist).
 */
export async function getDealer(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  dealerId: number,
): Promise<DealerDetail> {
  const row = await summaryQuery(db, tenantId, scope, { sort: 'code', order: 'asc', limit: 1 })
    .select(['dealer.legal_entity', 'dealer.contacts', 'dealer.created_at', 'dealer.updated_at'])
    .where('dealer.id', '=', dealerId)
    .executeTakeFirst();
  if (!row) {
    throw new DomainError('not_found', `Dealer ${dealerId} does not exist.`, { dealerId });
  }
  const [months, counts, range] = await Promise.all([
    db
      .selectFrom('dealer_month')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('dealer_id', '=', dealerId)
      .orderBy('month')
      .execute(),
    db
      .selectNoFrom((eb) => [
        eb
          .selectFrom('dealer')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('tenant_id', '=', tenantId)
          .where('parent_id', '=', dealerId)
          .as('sub_dealers'),
        eb
          .selectFrom('outlet')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('tenant_id', '=', tenantId)
          .where('dealer_id', '=', dealerId)
          .as('outlets'),
      ])
      .executeTakeFirstOrThrow(),
    findDataRange(db, tenantId),
  ]);
  let categories: CategorySales[] = [];
  if (range) {
    const rows = await db
      .selectFrom('dealer_category_month')
      .select([
        'category',
        sql<number>`sum(sales_amount)::bigint`.as('sales_amount'),
        sql<number>`sum(sales_quantity)::bigint`.as('sales_quantity'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('dealer_id', '=', dealerId)
      .where('month', '>', `${addMonths(range.to, -12)}-01`)
      .where('month', '<=', `${range.to}-01`)
      .groupBy('category')
      .orderBy('sales_amount', 'desc')
      .execute();
    categories = rows.map((r) => ({
      category: r.category,
      salesAmount: r.sales_amount,
      salesQuantity: r.sales_quantity,
    }));
  }
  const sales = categories.reduce((sum, c) => sum + c.salesAmount, 0);
  return {
    ...toSummary(row, sales),
    legalEntity: row.legal_entity,
    contacts: row.contacts,
    subDealerCount: Number(counts.sub_dealers ?? 0),
    outletCount: Number(counts.outlets ?? 0),
    months: months.map(toMonth),
    categories12m: categories,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Values to filter the dealer list by: channel types, tags and the count per status, over the
 * dealers in the caller's scope.
 */
export async function dealerFacets(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
): Promise<DealerFacets> {
  const dealers = () => {
    const qb = db.selectFrom('dealer').where('tenant_id', '=', tenantId);
    const inScope = dealerScopeCondition(scope);
    return inScope ? qb.where(inScope) : qb;
  };
  const [channels, tags, statuses] = await Promise.all([
    dealers().select('channel_type').distinct().orderBy('channel_type').execute(),
    db
      .selectFrom(
        dealers()
          .select(sql<string>`unnest(tags)`.as('tag'))
          .as('t'),
      )
      .select('t.tag')
      .distinct()
      .orderBy('t.tag')
      .limit(500)
      .execute(),
    dealers()
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .groupBy('status')
      .execute(),
  ]);
  const statusCounts: Record<DealerStatus, number> = {
    active: 0,
    probation: 0,
    suspended: 0,
    terminated: 0,
  };
  for (const s of statuses) statusCounts[s.status] = s.n;
  return {
    channelTypes: channels.map((c) => c.channel_type),
    tags: tags.map((t) => t.tag),
    statusCounts,
  };
}
