import { dealerBilling } from './billing.js';
import { dealerMarketEvents, dealerQualifications } from './compliance.js';
import { buildContext, validateOptions } from './context.js';
import { buildDealers } from './dealers.js';
import { dealerCampaignExecutions, dealerComplaints, dealerVisits } from './field.js';
import { buildGeography } from './geography.js';
import { dealerOrders } from './orders.js';
import { generateOutlets } from './outlets.js';
import { planDealer, type DealerPlan } from './plan.js';
import { dealerInventory, dealerTargets } from './stock.js';
import type {
  DealerRange,
  DemoCampaign,
  DemoCampaignExecution,
  DemoComplaint,
  DemoComplianceEvent,
  DemoDealer,
  DemoInventorySnapshot,
  DemoInvoice,
  DemoOptions,
  DemoOrderLine,
  DemoOutlet,
  DemoOutletVisit,
  DemoPayment,
  DemoProduct,
  DemoQualification,
  DemoTarget,
} from './types.js';

/**
 * A fact stream: iterate it for every dealer, or pass a dealer range to get one shard. Rows
 * come one dealer at a time in dealer order, so memory stays flat however many dealers there
 * are, and iterating twice yields the same rows.
 */
export type DemoStream<T> = (range?: DealerRange) => Iterable<T>;

/** A generated demo channel: master data as arrays, facts as streams. */
export interface DemoChannel {
  /** First and last month of the window, 'YYYY-MM', and every month in between. */
  readonly firstMonth: string;
  readonly lastMonth: string;
  readonly months: readonly string[];
  /** Last day with facts, 'YYYY-MM-DD'. */
  readonly lastDay: string;
  readonly products: readonly DemoProduct[];
  /** Dealers in index order; 二级 dealers may precede their 一级 parent. */
  readonly dealers: readonly DemoDealer[];
  readonly campaigns: readonly DemoCampaign[];
  /** Total outlets; outlets are streamed because a large channel has millions. */
  readonly outletCount: number;
  readonly outlets: DemoStream<DemoOutlet>;
  readonly orderLines: DemoStream<DemoOrderLine>;
  readonly invoices: DemoStream<DemoInvoice>;
  readonly payments: DemoStream<DemoPayment>;
  readonly targets: DemoStream<DemoTarget>;
  readonly inventorySnapshots: DemoStream<DemoInventorySnapshot>;
  readonly outletVisits: DemoStream<DemoOutletVisit>;
  readonly complaints: DemoStream<DemoComplaint>;
  readonly complianceEvents: DemoStream<DemoComplianceEvent>;
  readonly qualifications: DemoStream<DemoQualification>;
  readonly campaignExecutions: DemoStream<DemoCampaignExecution>;
}

/**
 * Generate the demo channel of a fictional Chinese FMCG manufacturer (see PRODUCT.md §1):
 * dealers over the 31 mainland provinces weighted by population, two-level distribution,
 * ~150 SKUs in 8 categories, and facts with Spring Festival / 618 / Double 11 seasonality and
 * dealer archetypes whose signatures are true in the data.
 *
 * Deterministic: the same options give the same rows, and each dealer's facts come from
 * sub-streams keyed by (seed, dealer, month), so they do not depend on what was generated
 * before or on which shard is iterated. Master data costs memory linear in dealers (about
 * 1 KB each); facts are generated lazily. Throws DomainError('validation_failed') on bad options.
 *
 * @example
 * const channel = createDemoChannel({ dealers: 1200, months: 36, seed: 42, endMonth: '2025-12', regions });
 * for (const line of channel.orderLines()) total += line.amount;
 */
export function createDemoChannel(options: DemoOptions): DemoChannel {
  validateOptions(options);
  const ctx = buildContext(options);
  const geography = buildGeography(options.seed, options.regions);
  const dealers = buildDealers(ctx, geography, options.dealers);
  const last = dealers[dealers.length - 1];
  const all: DealerRange = { from: 0, to: dealers.length };

  const stream =
    <T>(rows: (plan: DealerPlan) => readonly T[]): DemoStream<T> =>
    (range = all) => ({
      *[Symbol.iterator]() {
        for (let i = Math.max(0, range.from); i < Math.min(dealers.length, range.to); i++) {
          yield* rows(planDealer(ctx, dealers[i] as DemoDealer));
        }
      },
    });
  const billing = (plan: DealerPlan) => dealerBilling(ctx, plan, dealerOrders(ctx, plan).totals);

  return {
    firstMonth: ctx.monthLabels[0] ?? options.endMonth,
    lastMonth: options.endMonth,
    months: ctx.monthLabels,
    lastDay: ctx.day(ctx.lastDay),
    products: ctx.products,
    dealers,
    campaigns: ctx.campaigns.map((c) => c.campaign),
    outletCount: last ? last.firstOutletIndex + last.outletCount : 0,
    outlets: (range = all) => ({ [Symbol.iterator]: () => generateOutlets(ctx, dealers, range) }),
    orderLines: stream((plan) => dealerOrders(ctx, plan).lines),
    invoices: stream((plan) => billing(plan).invoices),
    payments: stream((plan) => billing(plan).payments),
    targets: stream((plan) => dealerTargets(ctx, plan)),
    inventorySnapshots: stream((plan) => dealerInventory(ctx, plan)),
    outletVisits: stream((plan) => dealerVisits(ctx, plan)),
    complaints: stream((plan) => dealerComplaints(ctx, plan)),
    complianceEvents: stream((plan) => [
      ...dealerQualifications(ctx, plan).events,
      ...dealerMarketEvents(ctx, plan),
    ]),
    qualifications: stream((plan) => dealerQualifications(ctx, plan).qualifications),
    campaignExecutions: stream((plan) => dealerCampaignExecutions(ctx, plan)),
  };
}
