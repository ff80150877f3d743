import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * Hand-written table interfaces (SQL snake_case). Repositories map rows to domain types.
 *
 * Conventions: bigint ids and money (minor units) arrive as JS numbers (see connection.ts:
 * int8 is parsed as Number on both engines; amounts stay far below 2^53); dates are
 * 'YYYY-MM-DD' strings; timestamps are Date.
 */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface TenantTable {
  id: Generated<number>;
  slug: string;
  name: string;
  currency: Generated<string>;
  currency_minor_units: Generated<number>;
  locale: Generated<string>;
  time_zone: Generated<string>;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
}

export interface RegionTable {
  tenant_id: number;
  id: Generated<number>;
  code: string;
  name: string;
  level: 'country' | 'province' | 'city' | 'county' | 'area';
  parent_id: number | null;
  country_code: Generated<string>;
}

export interface DealerContact {
  name: string;
  role?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
}

export interface DealerTable {
  tenant_id: number;
  id: Generated<number>;
  code: string;
  name: string;
  legal_entity: string | null;
  chain_level: 1 | 2;
  parent_id: number | null;
  channel_type: string;
  region_id: number;
  status: 'active' | 'probation' | 'suspended' | 'terminated';
  onboarded_on: string;
  contacts: Json<DealerContact[]>;
  tags: string[];
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ProductTable {
  tenant_id: number;
  id: Generated<number>;
  sku: string;
  name: string;
  category: string;
  brand: string | null;
  unit: Generated<string>;
  shelf_life_days: number | null;
  list_price: Generated<number>;
  launched_on: string | null;
  status: Generated<'active' | 'discontinued'>;
}

export interface OutletTable {
  tenant_id: number;
  id: Generated<number>;
  code: string;
  name: string;
  dealer_id: number;
  region_id: number;
  outlet_type: string;
  opened_on: string | null;
  status: Generated<'active' | 'closed'>;
}

export interface OrderLineTable {
  tenant_id: number;
  id: Generated<number>;
  order_no: string;
  line_no: number;
  dealer_id: number;
  product_id: number;
  outlet_id: number | null;
  ordered_on: string;
  quantity: number;
  unit_price: number;
  amount: number;
}

export interface InvoiceTable {
  tenant_id: number;
  id: Generated<number>;
  invoice_no: string;
  dealer_id: number;
  issued_on: string;
  due_on: string;
  amount: number;
}

export interface PaymentTable {
  tenant_id: number;
  id: Generated<number>;
  payment_no: string;
  dealer_id: number;
  invoice_no: string | null;
  paid_on: string;
  amount: number;
}

export interface SalesTargetTable {
  tenant_id: number;
  id: Generated<number>;
  dealer_id: number;
  month: string;
  amount: number;
}

export interface InventorySnapshotTable {
  tenant_id: number;
  id: Generated<number>;
  dealer_id: number;
  product_id: number;
  snapshot_on: string;
  batch_no: Generated<string>;
  expires_on: string | null;
  quantity: number;
}

export interface OutletVisitTable {
  tenant_id: number;
  id: Generated<number>;
  visit_no: string;
  dealer_id: number;
  outlet_id: number;
  visited_on: string;
  outcome: Generated<'visited' | 'ordered' | 'closed'>;
}

export interface ComplaintTable {
  tenant_id: number;
  id: Generated<number>;
  complaint_no: string;
  dealer_id: number;
  outlet_id: number | null;
  product_id: number | null;
  received_on: string;
  topic: string | null;
  severity: Generated<number>;
  body: string;
  status: Generated<'open' | 'closed'>;
}

export type ComplianceKind =
  | 'cross_region_selling'
  | 'price_violation'
  | 'qualification_missing'
  | 'qualification_expired'
  | 'other';

export interface ComplianceEventTable {
  tenant_id: number;
  id: Generated<number>;
  event_no: string;
  dealer_id: number;
  occurred_on: string;
  kind: ComplianceKind;
  severity: Generated<number>;
  description: Generated<string>;
  resolved_on: string | null;
}

export interface QualificationTable {
  tenant_id: number;
  id: Generated<number>;
  dealer_id: number;
  kind: string;
  number: string;
  issued_on: string;
  expires_on: string | null;
}

export interface CampaignTable {
  tenant_id: number;
  id: Generated<number>;
  code: string;
  name: string;
  starts_on: string;
  ends_on: string;
}

export interface CampaignExecutionTable {
  tenant_id: number;
  id: Generated<number>;
  execution_no: string;
  campaign_id: number;
  dealer_id: number;
  reported_on: string;
  tasks_planned: number;
  tasks_completed: number;
}

export interface CustomMeasureTable {
  tenant_id: number;
  id: Generated<number>;
  external_id: string;
  dealer_id: number;
  measure: string;
  measured_on: string;
  value: number;
  source: Generated<string>;
}

export interface DealerMonthTable {
  tenant_id: number;
  dealer_id: number;
  month: string;
  sales_amount: number;
  sales_quantity: number;
  order_count: number;
  order_line_count: number;
  sku_count: number;
  new_product_amount: number;
  ordering_outlet_count: number;
  visited_outlet_count: number;
  visit_count: number;
  invoice_amount: number;
  payment_amount: number;
  target_amount: number | null;
  complaint_count: number;
  compliance_event_count: number;
  compliance_severity_points: number;
  inventory_quantity: number;
  inventory_value: number;
  near_expiry_value: number;
  batch_tracked_quantity: number;
  campaign_tasks_planned: number;
  campaign_tasks_completed: number;
}

export interface DealerCategoryMonthTable {
  tenant_id: number;
  dealer_id: number;
  category: string;
  month: string;
  sales_amount: number;
  sales_quantity: number;
  order_line_count: number;
  sku_count: number;
}

export interface AppUserTable {
  tenant_id: number;
  id: Generated<number>;
  login: string;
  display_name: string;
  role: 'admin' | 'channel_manager' | 'analyst' | 'dealer';
  dealer_id: number | null;
  password_hash: string;
  status: Generated<'active' | 'disabled'>;
  failed_attempts: Generated<number>;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_sign_in_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  password_changed_at: UpdatedAt;
  created_at: CreatedAt;
}

export interface UserRegionTable {
  tenant_id: number;
  user_id: number;
  region_id: number;
}

export interface UserSessionTable {
  tenant_id: number;
  /** SHA-256 (hex) of the session secret; the secret itself lives only in the cookie. */
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: UpdatedAt;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  tenant_id: number;
  id: Generated<number>;
  name: string;
  scope: 'ingest' | 'read';
  /** SHA-256 (hex) of the token secret, which is shown once and never stored. */
  token_hash: string;
  prefix: string;
  created_by: string;
  created_at: CreatedAt;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AuditEventTable {
  tenant_id: number;
  id: Generated<number>;
  at: CreatedAt;
  actor_kind: 'user' | 'token' | 'cli' | 'system' | 'anonymous';
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  ip: string | null;
  user_agent: string | null;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
}

export interface ImportBatchTable {
  tenant_id: number;
  id: Generated<number>;
  kind: string;
  source: 'file' | 'api';
  file_name: string;
  sha256: string;
  size_bytes: number;
  mapping: ColumnType<unknown, string, string>;
  outcome: 'applied' | 'partially_applied' | 'rejected' | 'unchanged';
  rows_total: number;
  rows_valid: number;
  rows_invalid: number;
  inserted: number;
  updated: number;
  unchanged: number;
  issue_count: number;
  issues: ColumnType<unknown, string, string>;
  idempotency_key: string | null;
  actor_kind: string;
  actor_name: string;
  started_at: ColumnType<Date, Date, Date>;
  finished_at: ColumnType<Date, Date, Date>;
}

export interface ImportMappingTable {
  tenant_id: number;
  name: string;
  kind: string;
  mapping: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string;
}

export interface Database {
  tenant: TenantTable;
  region: RegionTable;
  dealer: DealerTable;
  product: ProductTable;
  outlet: OutletTable;
  order_line: OrderLineTable;
  invoice: InvoiceTable;
  payment: PaymentTable;
  sales_target: SalesTargetTable;
  inventory_snapshot: InventorySnapshotTable;
  outlet_visit: OutletVisitTable;
  complaint: ComplaintTable;
  compliance_event: ComplianceEventTable;
  qualification: QualificationTable;
  campaign: CampaignTable;
  campaign_execution: CampaignExecutionTable;
  custom_measure: CustomMeasureTable;
  dealer_month: DealerMonthTable;
  dealer_category_month: DealerCategoryMonthTable;
  app_user: AppUserTable;
  user_region: UserRegionTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  audit_event: AuditEventTable;
  import_batch: ImportBatchTable;
  import_mapping: ImportMappingTable;
  tier_policy: TierPolicyTable;
  assessment_run: AssessmentRunTable;
  tier_decision: TierDecisionTable;
  tier_override: TierOverrideTable;
  dealer_tier: DealerTierTable;
  ledger_log: LedgerLogTable;
  ledger_signer: LedgerSignerTable;
  ledger_entry: LedgerEntryTable;
  ledger_hash: LedgerHashTable;
  ledger_checkpoint: LedgerCheckpointTable;
  assessment_input: AssessmentInputTable;
  benefit: BenefitTable;
  benefit_value: BenefitValueTable;
  budget_allocation: BudgetAllocationTable;
  budget_allocation_line: BudgetAllocationLineTable;
  rebate_program: RebateProgramTable;
  rebate_settlement: RebateSettlementTable;
  mdf_fund: MdfFundTable;
  mdf_request: MdfRequestTable;
  mdf_claim: MdfClaimTable;
  mdf_proof: MdfProofTable;
  notification_channel: NotificationChannelTable;
  notification_delivery: NotificationDeliveryTable;
  alert_rule: AlertRuleTable;
  alert: AlertTable;
  alert_event: AlertEventTable;
  dealer_health: DealerHealthTable;
}

export interface LedgerLogTable {
  tenant_id: number;
  origin: string;
  verifier_key: string;
  signer_location: 'database' | 'file';
  size: Generated<number>;
  created_at: Generated<Date>;
}

export interface LedgerSignerTable {
  tenant_id: number;
  signer_key: string;
}

export interface LedgerEntryTable {
  tenant_id: number;
  idx: number;
  kind: string;
  commitment: Uint8Array;
  record: string;
  salt: Uint8Array;
  dealer_id: number | null;
  period: string | null;
  ref_id: number | null;
  created_at: Generated<Date>;
}

export interface LedgerHashTable {
  tenant_id: number;
  idx: number;
  hash: Uint8Array;
}

export interface LedgerCheckpointTable {
  tenant_id: number;
  size: number;
  root: Uint8Array;
  note: string;
  created_at: Generated<Date>;
}

export interface AssessmentInputTable {
  tenant_id: number;
  run_id: number;
  digest: string;
  data: Uint8Array;
}

export interface TierPolicyTable {
  tenant_id: number;
  id: Generated<number>;
  name: string;
  version: number;
  document: Json<unknown>;
  note: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface AssessmentRunTable {
  tenant_id: number;
  id: Generated<number>;
  policy_id: number;
  period: string;
  period_from: string;
  period_to: string;
  status: 'draft' | 'approved' | 'published' | 'discarded';
  dealer_count: Generated<number>;
  counts: Json<Record<string, number>>;
  changed: Generated<number>;
  overrides: Generated<number>;
  metrics: Json<unknown[]>;
  tier_min_scores: Json<Record<string, number | null>>;
  review: Generated<boolean>;
  previous_run_id: number | null;
  created_by: string | null;
  created_by_user: number | null;
  created_at: CreatedAt;
  approved_by: string | null;
  approved_at: Date | null;
  published_by: string | null;
  published_at: Date | null;
}

export interface TierDecisionTable {
  tenant_id: number;
  run_id: number;
  dealer_id: number;
  score: number;
  rank: number;
  score_tier: string;
  candidate_tier: string;
  previous_tier: string | null;
  tier: string;
  standing: 'good' | 'at_risk' | 'probation' | 'elimination';
  periods_below: number;
  periods_at_bottom: number;
  reasons: string[];
  contributions: Json<unknown[]>;
  gap: Json<unknown> | null;
  hold: Json<unknown> | null;
  override_kind: string | null;
  override_reason: string | null;
  override_by: string | null;
}

export interface TierOverrideTable {
  tenant_id: number;
  id: Generated<number>;
  dealer_id: number;
  kind: 'once' | 'lock' | 'until' | 'floor';
  tier: string;
  reason: string;
  until_month: string | null;
  run_id: number | null;
  created_by: string | null;
  created_at: CreatedAt;
  revoked_by: string | null;
  revoked_at: Date | null;
}

export interface DealerTierTable {
  tenant_id: number;
  dealer_id: number;
  tier: string;
  standing: string;
  periods_below: number;
  periods_at_bottom: number;
  score: number;
  period: string;
  period_to: string;
  run_id: number;
}

export interface BenefitTable {
  tenant_id: number;
  id: Generated<number>;
  code: string;
  name: string;
  kind:
    | 'rebate_rate'
    | 'market_fund'
    | 'training'
    | 'logistics_priority'
    | 'credit_limit'
    | 'priority_supply'
    | 'custom';
  unit: 'basis_points' | 'money' | 'count' | 'level' | 'flag' | 'text';
  description: Generated<string>;
  archived_at: Date | null;
  created_at: CreatedAt;
}

export interface BenefitValueTable {
  tenant_id: number;
  policy_id: number;
  benefit_id: number;
  tier: string;
  value: Json<unknown>;
  updated_by: string | null;
  updated_at: UpdatedAt;
}

export interface BudgetAllocationTable {
  tenant_id: number;
  id: Generated<number>;
  period: string;
  period_from: string;
  period_to: string;
  purpose: 'general' | 'market_fund';
  name: Generated<string>;
  pool: number;
  allocated: number;
  unallocated: number;
  run_id: number;
  config: Json<unknown>;
  tiers: Json<unknown[]>;
  notes: Generated<string[]>;
  claim_deadline: string | null;
  status: Generated<'draft' | 'published' | 'discarded'>;
  created_by: string | null;
  created_at: CreatedAt;
  published_by: string | null;
  published_at: Date | null;
}

export interface BudgetAllocationLineTable {
  tenant_id: number;
  allocation_id: number;
  dealer_id: number;
  tier: string;
  rule: 'equal' | 'sales' | 'score' | 'target';
  sales: number | null;
  score: number | null;
  target: number | null;
  base_weight: number;
  weight: number;
  amount: number;
  floor: Generated<number>;
  cap: number | null;
  capped: Generated<boolean>;
  floored: Generated<boolean>;
  adjustments: ColumnType<unknown[], string | undefined, string>;
}

/** Ladder rebates (migration 2026_11_28_190100; see rebates/rebate.service.ts). */
export interface RebateProgramTable {
  tenant_id: number;
  id: Generated<number>;
  code: string;
  name: string;
  period_kind: 'monthly' | 'quarterly' | 'half_year' | 'annual';
  basis: 'sales' | 'growth';
  method: 'retroactive' | 'marginal';
  ladders: Json<unknown>;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RebateSettlementTable {
  tenant_id: number;
  id: Generated<number>;
  program_id: number;
  period: string;
  seq: number;
  as_of: string;
  dealer_id: number;
  tier: string | null;
  sales: number;
  previous_sales: number | null;
  rebate: number;
  already_paid: number;
  due: number;
  clawback: boolean;
  final: Generated<boolean>;
  result: Json<unknown>;
  created_by: string | null;
  created_at: CreatedAt;
}

/** Market development funds (migration 2026_11_28_190200; see funds/fund.service.ts). */
export interface MdfFundTable {
  tenant_id: number;
  id: Generated<number>;
  dealer_id: number;
  period: string;
  allocation_id: number | null;
  amount: number;
  claim_deadline: string;
  note: Generated<string>;
  created_by: string | null;
  created_by_user: number | null;
  created_at: CreatedAt;
}

export interface MdfRequestTable {
  tenant_id: number;
  id: Generated<number>;
  fund_id: number;
  dealer_id: number;
  title: string;
  description: Generated<string>;
  amount: number;
  activity_from: string;
  activity_to: string;
  status: 'submitted' | 'approved' | 'rejected' | 'cancelled';
  decision_reason: string | null;
  created_by: string | null;
  created_by_user: number | null;
  created_at: CreatedAt;
  decided_by: string | null;
  decided_by_user: number | null;
  decided_at: Date | null;
  cancelled_at: Date | null;
}

export interface MdfClaimTable {
  tenant_id: number;
  id: Generated<number>;
  request_id: number;
  dealer_id: number;
  amount: number;
  note: Generated<string>;
  status: 'submitted' | 'approved' | 'rejected' | 'paid';
  decision_reason: string | null;
  submitted_by: string | null;
  submitted_by_user: number | null;
  submitted_at: CreatedAt;
  decided_by: string | null;
  decided_by_user: number | null;
  decided_at: Date | null;
  paid_by: string | null;
  paid_by_user: number | null;
  paid_at: Date | null;
  payment_reference: string | null;
}

export interface MdfProofTable {
  tenant_id: number;
  id: Generated<number>;
  claim_id: number;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  created_at: CreatedAt;
}

/** Where alert notices go (notifications/): `secret` is never returned by the API. */
export interface NotificationChannelTable {
  tenant_id: number;
  id: Generated<number>;
  name: string;
  kind: 'webhook' | 'dingtalk' | 'wecom' | 'feishu' | 'email';
  config: Json<Record<string, unknown>>;
  secret: string | null;
  min_severity: Generated<'info' | 'warning' | 'critical'>;
  events: Generated<string[]>;
  region_codes: string[] | null;
  enabled: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** The notification outbox and delivery log. */
export interface NotificationDeliveryTable {
  tenant_id: number;
  id: Generated<number>;
  channel_id: number;
  event: 'opened' | 'escalated' | 'resolved' | 'test';
  alert_id: number | null;
  payload: Json<unknown>;
  status: Generated<'pending' | 'delivered' | 'failed' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_error: string | null;
  response_status: number | null;
  response_body: string | null;
  created_at: CreatedAt;
  delivered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Alert rules, versioned (migration 2026_11_28_190300; see alerts/alert-rule.service.ts). */
export interface AlertRuleTable {
  tenant_id: number;
  id: Generated<number>;
  code: string;
  version: number;
  kind: string;
  enabled: boolean;
  document: Json<unknown>;
  note: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
}

type Timestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** Alerts: one per rule, dealer and episode (see alerts/alert.service.ts). */
export interface AlertTable {
  tenant_id: number;
  id: Generated<number>;
  rule_id: number;
  rule_code: string;
  rule_version: number;
  kind: string;
  dealer_id: number;
  status: 'open' | 'acknowledged' | 'resolved' | 'dismissed';
  severity: 'info' | 'warning' | 'critical';
  owner_user_id: number | null;
  title: string;
  title_en: string;
  month: string;
  evidence: Json<unknown>;
  diagnosis: ColumnType<unknown, string | null, string | null>;
  resolution: string | null;
  opened_at: CreatedAt;
  updated_at: UpdatedAt;
  evaluated_at: UpdatedAt;
  acknowledged_at: Timestamp;
  resolved_at: Timestamp;
  resolved_by: string | null;
  cleared_at: Timestamp;
}

/** The history of an alert, append-only. */
export interface AlertEventTable {
  tenant_id: number;
  id: Generated<number>;
  alert_id: number;
  kind:
    | 'opened'
    | 'updated'
    | 'escalated'
    | 'acknowledged'
    | 'commented'
    | 'assigned'
    | 'resolved'
    | 'dismissed'
    | 'reopened';
  actor_kind: string;
  actor_id: number | null;
  actor_name: string;
  text: Generated<string>;
  data: ColumnType<unknown, string | null | undefined, never>;
  at: CreatedAt;
}

/** Each evaluated dealer's health band. */
export interface DealerHealthTable {
  tenant_id: number;
  dealer_id: number;
  band: 'green' | 'yellow' | 'red';
  reasons: Json<unknown>;
  trend: number | null;
  open_alerts: number;
  month: string;
  updated_at: UpdatedAt;
}

export type TenantRow = Selectable<TenantTable>;
export type DealerRow = Selectable<DealerTable>;
export type NewDealer = Insertable<DealerTable>;
export type RegionRow = Selectable<RegionTable>;
export type ProductRow = Selectable<ProductTable>;
export type DealerMonthRow = Selectable<DealerMonthTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
