/**
 * Public data shapes of the demo channel. Every money amount is integer fen, every date a
 * 'YYYY-MM-DD' string, every month a 'YYYY-MM' string unless named otherwise. Rows name the
 * dealers, products and outlets they refer to both by code and by index into the channel's
 * arrays (outlets by their global index), so a loader can map them to ids without a lookup.
 */

/**
 * The behaviour a dealer was generated with: the generator's ground truth, kept out of the
 * stored dealer (not a tag) and read from the channel by tests, so that
 * later features (tiering, alerts, allocation) can be checked against the truth.
 * - steady: the bulk; slight growth and noise.
 * - steady_leader: large 一级 dealer, stable growth, pays early, runs campaigns well.
 * - rising_star: grows about 4-5% a month through the window.
 * - slow_decline: flat, then −2% a month over the last 12 months.
 * - sudden_drop: about −40% from a month within the last 6, driven by one category and a few
 *   lost outlets (see {@link DemoScenario}).
 * - channel_stuffer: big quarter-end orders, inventory piling up with near-expiry batches,
 *   late payments, 窜货 and price violations.
 * - new_entrant: onboarded inside the window, ramping up over six months.
 * - churn_risk: last six months: fewer visits, outlets closing, sales sliding, later payments,
 *   more complaints, some bad debt.
 */
export type DemoArchetype =
  | 'steady'
  | 'steady_leader'
  | 'rising_star'
  | 'slow_decline'
  | 'sudden_drop'
  | 'channel_stuffer'
  | 'new_entrant'
  | 'churn_risk';

/** A region as the generator needs it: GB/T 2260 code, name, level and parent's code. */
export interface DemoRegion {
  readonly code: string;
  readonly name: string;
  readonly level: 'country' | 'province' | 'city' | 'county' | 'area';
  readonly parentCode: string | null;
}

/** What to generate. Same options (including the regions) ⇒ the same channel, row for row. */
export interface DemoOptions {
  /** Number of dealers, 1 to 1,000,000. */
  readonly dealers: number;
  /** Months of facts, 1 to 120, ending with `endMonth`; the window must lie in 2015-2035. */
  readonly months: number;
  /** Any safe integer. */
  readonly seed: number;
  /** Last month with facts, 'YYYY-MM'. Facts never fall after its last day. */
  readonly endMonth: string;
  /** Regions with GB/T 2260 codes; dealers sit in the leaf regions of the 31 provinces. */
  readonly regions: readonly DemoRegion[];
}

/** A SKU of the manufacturer's catalogue. */
export interface DemoProduct {
  readonly index: number;
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  readonly brand: string;
  readonly unit: 'case';
  readonly shelfLifeDays: number;
  /** List price per case, fen. */
  readonly listPrice: number;
  readonly launchedOn: string;
  /** Discontinued SKUs are not ordered in the last six months of the window. */
  readonly status: 'active' | 'discontinued';
  /** Launched inside the window: a new product to push. */
  readonly isNew: boolean;
}

/** A dealer's contact person. */
export interface DemoContact {
  readonly name: string;
  readonly role: string;
  readonly phone: string;
  readonly email?: string;
}

/** The truth behind a dealer's data, for checking what later features find. */
export interface DemoScenario {
  readonly archetype: DemoArchetype;
  /** sudden_drop: first month of the drop. */
  readonly dropMonth?: string;
  /** sudden_drop: the category whose sales collapse. */
  readonly dropCategory?: string;
  /** sudden_drop: outlets that stop ordering from the drop month. */
  readonly lostOutletCodes?: readonly string[];
}

/** A dealer (经销商) of the channel. */
export interface DemoDealer {
  readonly index: number;
  readonly code: string;
  /** Trade name, e.g. 顺德鑫源商贸. */
  readonly name: string;
  /** Registered legal entity, e.g. 佛山市顺德区鑫源商贸有限公司. */
  readonly legalEntity: string;
  /** 1 = 一级 (buys from the manufacturer), 2 = 二级 (buys through `parentIndex`). */
  readonly chainLevel: 1 | 2;
  /** For a 二级 dealer: a 一级 dealer in the same province; null for 一级. */
  readonly parentIndex: number | null;
  readonly parentCode: string | null;
  /** One of {@link CHANNEL_TYPES}. */
  readonly channelType: string;
  /** The county (or county-less city) the dealer sits in. */
  readonly regionCode: string;
  readonly provinceCode: string;
  readonly status: 'active' | 'probation' | 'suspended' | 'terminated';
  readonly onboardedOn: string;
  readonly contacts: readonly DemoContact[];
  /** Ordinary tags such as KA, 社区团购, 餐饮, 县域 (never the archetype). */
  readonly tags: readonly string[];
  readonly archetype: DemoArchetype;
  readonly scenario: DemoScenario;
  /** Outlets served: global outlet indexes firstOutletIndex … firstOutletIndex + outletCount − 1. */
  readonly firstOutletIndex: number;
  readonly outletCount: number;
}

/** A terminal (终端) served by a dealer. */
export interface DemoOutlet {
  /** Global outlet index, dense from 0 in dealer order. */
  readonly index: number;
  readonly code: string;
  readonly name: string;
  readonly dealerIndex: number;
  readonly dealerCode: string;
  readonly regionCode: string;
  readonly outletType: string;
  readonly openedOn: string;
  /** Closed outlets are neither visited nor ordered for after their closing month. */
  readonly status: 'active' | 'closed';
}

/** A trade campaign (春节订货会, 618, 双11) of one year. */
export interface DemoCampaign {
  readonly index: number;
  readonly code: string;
  readonly name: string;
  readonly startsOn: string;
  readonly endsOn: string;
  /** Categories on promotion; their prices are 4% off inside the campaign. */
  readonly categories: readonly string[];
}

/** Fields that every fact row carries to name its dealer. */
export interface DemoDealerRef {
  readonly dealerIndex: number;
  readonly dealerCode: string;
}

/** One line of a dealer's purchase order; amount = quantity × unitPrice exactly. */
export interface DemoOrderLine extends DemoDealerRef {
  readonly orderNo: string;
  readonly lineNo: number;
  readonly productIndex: number;
  readonly sku: string;
  /** The outlet the goods go to; null for stock replenishment. */
  readonly outletIndex: number | null;
  readonly outletCode: string | null;
  readonly orderedOn: string;
  /** Cases. */
  readonly quantity: number;
  /** Fen per case. */
  readonly unitPrice: number;
  /** Fen. */
  readonly amount: number;
}

/** A monthly invoice (月结) over a dealer's orders of that month. */
export interface DemoInvoice extends DemoDealerRef {
  readonly invoiceNo: string;
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly amount: number;
}

/** A payment (回款) against an invoice; bad debts simply never get one. */
export interface DemoPayment extends DemoDealerRef {
  readonly paymentNo: string;
  readonly invoiceNo: string;
  readonly paidOn: string;
  readonly amount: number;
}

/** A monthly sales target; `month` is the month's first day, 'YYYY-MM-01'. */
export interface DemoTarget extends DemoDealerRef {
  readonly month: string;
  readonly amount: number;
}

/** Month-end stock of one batch (批号) of one SKU at a dealer; batchNo '' = not tracked. */
export interface DemoInventorySnapshot extends DemoDealerRef {
  readonly productIndex: number;
  readonly sku: string;
  readonly snapshotOn: string;
  readonly batchNo: string;
  readonly expiresOn: string | null;
  readonly quantity: number;
}

/** A sales rep's visit to an outlet. */
export interface DemoOutletVisit extends DemoDealerRef {
  readonly visitNo: string;
  readonly outletIndex: number;
  readonly outletCode: string;
  readonly visitedOn: string;
  readonly outcome: 'visited' | 'ordered' | 'closed';
}

/** A complaint or market feedback in Chinese, with its true topic. */
export interface DemoComplaint extends DemoDealerRef {
  readonly complaintNo: string;
  readonly outletIndex: number | null;
  readonly outletCode: string | null;
  readonly productIndex: number | null;
  readonly sku: string | null;
  readonly receivedOn: string;
  /** One of {@link COMPLAINT_TOPICS}' keys. */
  readonly topic: string;
  readonly severity: 1 | 2 | 3;
  readonly body: string;
  readonly status: 'open' | 'closed';
}

/** A compliance event: 窜货, 乱价, missing or expired qualification. */
export interface DemoComplianceEvent extends DemoDealerRef {
  readonly eventNo: string;
  readonly occurredOn: string;
  readonly kind:
    'cross_region_selling' | 'price_violation' | 'qualification_missing' | 'qualification_expired';
  readonly severity: 1 | 2 | 3;
  readonly description: string;
  readonly resolvedOn: string | null;
}

/** A licence held by a dealer; expiresOn null = no expiry (长期). */
export interface DemoQualification extends DemoDealerRef {
  readonly kind: 'business_licence' | 'food_business_licence';
  readonly number: string;
  readonly issuedOn: string;
  readonly expiresOn: string | null;
}

/** A dealer's report on the tasks of a campaign (陈列, 堆头, 试吃 …). */
export interface DemoCampaignExecution extends DemoDealerRef {
  readonly executionNo: string;
  readonly campaignIndex: number;
  readonly campaignCode: string;
  readonly reportedOn: string;
  readonly tasksPlanned: number;
  readonly tasksCompleted: number;
}

/** Dealer indexes `from` (included) to `to` (excluded): a shard of a stream. */
export interface DealerRange {
  readonly from: number;
  readonly to: number;
}
