import { z } from 'zod';
import { Cursor, IsoDate, IsoMonth, Limit, Money, pageOf } from './common.js';

export const DealerStatus = z.enum(['active', 'probation', 'suspended', 'terminated']);
export type DealerStatus = z.infer<typeof DealerStatus>;

export const ChainLevel = z.union([z.literal(1), z.literal(2)]).describe('1 = 一级, 2 = 二级');
export type ChainLevel = z.infer<typeof ChainLevel>;

export const RegionRef = z.object({
  code: z.string(),
  name: z.string(),
  path: z.array(z.string()).describe('Names from the province down, e.g. 广东省, 广州市, 天河区'),
});
export type RegionRef = z.infer<typeof RegionRef>;

export const DealerRef = z.object({ id: z.number().int(), code: z.string(), name: z.string() });
export type DealerRef = z.infer<typeof DealerRef>;

export const DealerSummary = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  chainLevel: ChainLevel,
  parent: DealerRef.nullable().describe('The 一级 dealer a 二级 dealer buys from'),
  channelType: z.string(),
  region: RegionRef,
  status: DealerStatus,
  onboardedOn: IsoDate,
  tags: z.array(z.string()),
  sales12m: Money.describe('Sales over the trailing 12 months of data, minor units'),
});
export type DealerSummary = z.infer<typeof DealerSummary>;

export const DealerSort = z.enum(['code', 'name', 'onboardedOn', 'status']);
export type DealerSort = z.infer<typeof DealerSort>;

const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').filter((s) => s !== '') : v),
    z.array(item).max(20),
  );

export const DealerListQuery = z.object({
  region: z
    .string()
    .max(64)
    .optional()
    .describe('Region code; matches dealers in that region and every region below it'),
  status: csvList(DealerStatus).optional().describe('One or more statuses, comma-separated'),
  channelType: z.string().max(64).optional().describe('Only this channel type'),
  chainLevel: z.coerce.number().pipe(ChainLevel).optional().describe('1 or 2'),
  tag: z.string().max(64).optional().describe('Only dealers carrying this tag'),
  q: z
    .string()
    .max(100)
    .optional()
    .describe('Search dealer code (prefix) or name (substring), case-insensitive'),
  sort: DealerSort.default('code').describe('Sort key'),
  order: z.enum(['asc', 'desc']).default('asc'),
  cursor: Cursor,
  limit: Limit,
});
export type DealerListQuery = z.infer<typeof DealerListQuery>;
export type DealerListQueryInput = z.input<typeof DealerListQuery>;

export const DealerPage = pageOf(DealerSummary).extend({
  dataTo: IsoMonth.nullable().describe('Last month of data; sales12m ends with it'),
});
export type DealerPage = z.infer<typeof DealerPage>;

export const DealerContact = z.object({
  name: z.string(),
  role: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
});
export type DealerContact = z.infer<typeof DealerContact>;

/** One month of a dealer's rollup; amounts in minor units. */
export const DealerMonth = z.object({
  month: IsoMonth,
  salesAmount: Money,
  salesQuantity: z.number().int(),
  orderCount: z.number().int(),
  orderLineCount: z.number().int(),
  skuCount: z.number().int().describe('Distinct SKUs ordered'),
  newProductAmount: Money.describe('Sales of products launched in the 12 months before'),
  orderingOutletCount: z.number().int().describe('Distinct outlets with orders'),
  visitedOutletCount: z.number().int().describe('Distinct outlets visited'),
  visitCount: z.number().int(),
  invoiceAmount: Money,
  paymentAmount: Money.describe('Payments received (回款)'),
  targetAmount: Money.nullable().describe('Sales target; null when none was set'),
  complaintCount: z.number().int(),
  complianceEventCount: z.number().int(),
  complianceSeverityPoints: z.number().int(),
  inventoryQuantity: z.number().int().describe("Stock at the month's last snapshot"),
  inventoryValue: Money,
  nearExpiryValue: Money.describe('Stock with a third or less of its shelf life left'),
  batchTrackedQuantity: z.number().int().describe('Stock with a batch number'),
  campaignTasksPlanned: z.number().int(),
  campaignTasksCompleted: z.number().int(),
});
export type DealerMonth = z.infer<typeof DealerMonth>;

export const CategorySales = z.object({
  category: z.string(),
  salesAmount: Money,
  salesQuantity: z.number().int(),
});
export type CategorySales = z.infer<typeof CategorySales>;

export const DealerDetail = DealerSummary.extend({
  legalEntity: z.string().nullable(),
  contacts: z.array(DealerContact),
  subDealerCount: z.number().int().describe('二级 dealers that buy from this dealer'),
  outletCount: z.number().int().describe('Outlets (终端) this dealer serves'),
  months: z.array(DealerMonth).describe('Monthly rollups, oldest first'),
  categories12m: z
    .array(CategorySales)
    .describe('Sales by product category over the trailing 12 months, largest first'),
  createdAt: z.string().describe('ISO timestamp'),
  updatedAt: z.string().describe('ISO timestamp'),
});
export type DealerDetail = z.infer<typeof DealerDetail>;

export const DealerFacets = z.object({
  channelTypes: z.array(z.string()),
  tags: z.array(z.string()),
  statusCounts: z.record(DealerStatus, z.number().int()),
});
export type DealerFacets = z.infer<typeof DealerFacets>;
