import { sql, type Kysely } from 'kysely';
import { DomainError } from '@tierline/core';
import type {
  Fund,
  FundBalance,
  FundClaim,
  FundEvent,
  FundRequest,
  FundRequestDetail,
  GrantFund,
  PortalFunds,
  SubmitFundClaim,
  SubmitFundRequest,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { checkProofs } from './proof-file.js';
import { recordFundDecision } from './fund-records.js';
import {
  claimsOfRequest,
  dealerClaims,
  dealerFunds,
  dealerRequests,
  getClaim,
  getFund,
  getRequest,
  insertClaim,
  insertProofs,
  insertRequest,
  lockClaim,
  lockDealerFunds,
  lockRequest,
  sumBalances,
  tenantToday,
  updateClaim,
  updateRequest,
} from './fund.repository.js';

/**
 * Credit the market development funds of a published `market_fund` budget allocation: one
 * `mdf_fund` per dealer line with an amount above zero, for the allocation's period and claim
 * deadline. Runs inside the caller's transaction (`db` is that transaction; call it after the
 * allocation's status is set to `published`, in the same transaction as the publication).
 * Idempotent: a dealer already credited from this allocation is not credited twice.
 * Returns how many funds were created.
 */
export async function creditFundsFromAllocation(
  db: Kysely<Database>,
  tenantId: number,
  allocationId: number,
): Promise<number> {
  const allocation = await db
    .selectFrom('budget_allocation')
    .select(['id', 'period', 'purpose', 'status', 'claim_deadline', 'name', 'published_by'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', allocationId)
    .executeTakeFirst();
  if (!allocation) {
    throw new DomainError('not_found', `Budget allocation ${allocationId} does not exist.`, {
      field: 'allocationId',
      value: allocationId,
    });
  }
  if (allocation.purpose !== 'market_fund') {
    throw new DomainError(
      'validation_failed',
      `Budget allocation ${allocationId} is for "${allocation.purpose}", not market development funds; only a market_fund allocation credits funds.`,
      { field: 'purpose', value: allocation.purpose },
    );
  }
  if (allocation.status !== 'published') {
    throw new DomainError(
      'conflict',
      `Budget allocation ${allocationId} is ${allocation.status}; funds are credited only from a published allocation.`,
      { field: 'status', value: allocation.status },
    );
  }
  if (!allocation.claim_deadline) {
    throw new DomainError(
      'validation_failed',
      `Budget allocation ${allocationId} has no claim deadline; a market fund allocation needs one.`,
      { field: 'claimDeadline' },
    );
  }
  const note = allocation.name
    ? `Allocation ${allocation.name} (${allocation.period})`
    : `Allocation ${allocationId} (${allocation.period})`;
  const inserted = await sql<{ id: number }>`
    insert into mdf_fund (tenant_id, dealer_id, period, allocation_id, amount, claim_deadline, note, created_by)
    select l.tenant_id, l.dealer_id, ${allocation.period}, l.allocation_id, l.amount,
           ${allocation.claim_deadline}::date, ${note}, ${allocation.published_by}
    from budget_allocation_line l
    where l.tenant_id = ${tenantId} and l.allocation_id = ${allocationId} and l.amount > 0
    order by l.dealer_id
    on conflict (tenant_id, allocation_id, dealer_id) where allocation_id is not null do nothing
    returning id`.execute(db);
  return inserted.rows.length;
}

// ------------------------------------------------------------------------------------------
// The workflow: grant → request (pre-approval) → approve | reject → claim with proof files →
// approve | reject → pay. Each write runs in the caller's transaction (`db`), records an audit
// event, and decisions append a `fund_decision` ledger record.

interface Money {
  currency: string;
  minorUnits: number;
}

async function tenantMoney(db: Kysely<Database>, tenantId: number): Promise<Money> {
  const row = await db
    .selectFrom('tenant')
    .select(['currency', 'currency_minor_units'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return { currency: row.currency, minorUnits: row.currency_minor_units };
}

/** An amount for a message: `CNY 1,234.56` from 123456 minor units. */
export function moneyText(minor: number, money: Money): string {
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(money.minorUnits + 1, '0');
  const whole = money.minorUnits > 0 ? digits.slice(0, -money.minorUnits) : digits;
  const fraction = money.minorUnits > 0 ? `.${digits.slice(-money.minorUnits)}` : '';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${money.currency} ${negative ? '-' : ''}${grouped}${fraction}`;
}

function userIdOf(origin: AuditOrigin): number | null {
  return origin.actor.kind === 'user' ? origin.actor.id : null;
}

/** Maker-checker: whoever submitted a request or claim may not decide on it or pay it. */
function assertNotMaker(
  makerUserId: number | null,
  origin: AuditOrigin,
  what: string,
  action: string,
): void {
  if (makerUserId !== null && userIdOf(origin) === makerUserId) {
    throw new DomainError(
      'forbidden',
      `You submitted ${what}; a second person must ${action} it (maker-checker).`,
      { reason: 'maker_checker' },
    );
  }
}

/** A dealer in the caller's scope, or not found. */
async function assertDealerInScope(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  dealerId: number,
): Promise<{ id: number; code: string; name: string }> {
  let qb = db
    .selectFrom('dealer')
    .select(['dealer.id', 'dealer.code', 'dealer.name'])
    .where('dealer.tenant_id', '=', tenantId)
    .where('dealer.id', '=', dealerId);
  const inScope = dealerScopeCondition(scope);
  if (inScope) qb = qb.where(inScope);
  const row = await qb.executeTakeFirst();
  if (!row) {
    throw new DomainError('not_found', `Dealer ${dealerId} does not exist.`, {
      field: 'dealerId',
      value: dealerId,
    });
  }
  return row;
}

/** Grant a fund to a dealer by hand (no budget allocation behind it). */
export async function grantFund(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  input: GrantFund,
  origin: AuditOrigin,
): Promise<Fund> {
  await assertDealerInScope(db, tenantId, scope, input.dealerId);
  const today = await tenantToday(db, tenantId);
  if (input.claimDeadline < today) {
    throw new DomainError(
      'validation_failed',
      `The claim deadline ${input.claimDeadline} has passed (today is ${today}); give a deadline of today or later.`,
      { field: 'claimDeadline', value: input.claimDeadline },
    );
  }
  const row = await db
    .insertInto('mdf_fund')
    .values({
      tenant_id: tenantId,
      dealer_id: input.dealerId,
      period: input.period,
      allocation_id: null,
      amount: input.amount,
      claim_deadline: input.claimDeadline,
      note: input.note,
      created_by: origin.actor.name,
      created_by_user: userIdOf(origin),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, tenantId, origin, {
    action: 'fund.grant',
    entityType: 'mdf_fund',
    entityId: row.id,
    after: input,
  });
  return getFund(db, tenantId, scope, row.id);
}

/**
 * Submit a request for pre-approval for a dealer. It draws on the named fund, or else on the
 * open fund with the earliest claim deadline that has enough available. Refused (nothing
 * written) when the activity ends before it starts, when the fund's claim deadline has passed,
 * or when the amount is more than the fund's available balance — the message gives the figures.
 */
export async function submitRequest(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  dealerId: number,
  input: SubmitFundRequest,
  origin: AuditOrigin,
): Promise<FundRequest> {
  await assertDealerInScope(db, tenantId, scope, dealerId);
  if (input.activityTo < input.activityFrom) {
    throw new DomainError(
      'validation_failed',
      `The activity ends (${input.activityTo}) before it starts (${input.activityFrom}).`,
      { field: 'activityTo', value: input.activityTo },
    );
  }
  await lockDealerFunds(db, tenantId, dealerId);
  const today = await tenantToday(db, tenantId);
  const money = await tenantMoney(db, tenantId);
  const funds = await dealerFunds(db, tenantId, dealerId);
  let fund: Fund | undefined;
  if (input.fundId !== undefined) {
    fund = funds.find((f) => f.id === input.fundId);
    if (!fund) {
      throw new DomainError('not_found', `Fund ${input.fundId} does not exist for this dealer.`, {
        field: 'fundId',
        value: input.fundId,
      });
    }
    if (fund.claimDeadline < today) {
      throw new DomainError(
        'validation_failed',
        `The claim deadline of fund ${fund.id} (${fund.period}) was ${fund.claimDeadline}; requests are no longer accepted on it.`,
        { field: 'fundId', claimDeadline: fund.claimDeadline, today },
      );
    }
    if (input.amount > fund.balance.available) {
      throw overAvailable(input.amount, fund, money);
    }
  } else {
    const open = funds
      .filter((f) => f.claimDeadline >= today)
      .sort((a, b) => a.claimDeadline.localeCompare(b.claimDeadline) || a.id - b.id);
    if (open.length === 0) {
      const last = funds
        .map((f) => f.claimDeadline)
        .sort()
        .at(-1);
      throw new DomainError(
        'validation_failed',
        last
          ? `The claim deadline of every fund of this dealer has passed (the last was ${last}); requests are no longer accepted.`
          : 'This dealer has no market development fund to request from.',
        { field: 'fundId', ...(last ? { claimDeadline: last } : {}), today },
      );
    }
    fund = open.find((f) => f.balance.available >= input.amount);
    if (!fund) {
      const best = open.reduce((a, b) => (b.balance.available > a.balance.available ? b : a));
      throw overAvailable(input.amount, best, money);
    }
  }
  const id = await insertRequest(db, {
    tenant_id: tenantId,
    fund_id: fund.id,
    dealer_id: dealerId,
    title: input.title,
    description: input.description,
    amount: input.amount,
    activity_from: input.activityFrom,
    activity_to: input.activityTo,
    status: 'submitted',
    decision_reason: null,
    created_by: origin.actor.name,
    created_by_user: userIdOf(origin),
    decided_by: null,
    decided_by_user: null,
    decided_at: null,
  });
  await recordAudit(db, tenantId, origin, {
    action: 'fund.request.submit',
    entityType: 'mdf_request',
    entityId: id,
    after: { ...input, fundId: fund.id, dealerId },
  });
  return getRequest(db, tenantId, scope, id);
}

function overAvailable(amount: number, fund: Fund, money: Money): DomainError {
  const b = fund.balance;
  return new DomainError(
    'validation_failed',
    `The request is ${moneyText(amount, money)}, more than the ${moneyText(b.available, money)} available in fund ${fund.id} (${fund.period}): allocated ${moneyText(b.allocated, money)}, pending ${moneyText(b.pending, money)}, approved ${moneyText(b.approved, money)}.`,
    {
      field: 'amount',
      amount,
      fundId: fund.id,
      allocated: b.allocated,
      pending: b.pending,
      approved: b.approved,
      available: b.available,
    },
  );
}

/** The dealer cancels its own request while it awaits a decision; its amount is released. */
export async function cancelRequest(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  requestId: number,
  origin: AuditOrigin,
): Promise<FundRequest> {
  const { row } = await lockRequest(db, tenantId, scope, requestId);
  if (row.status !== 'submitted') {
    throw new DomainError(
      'conflict',
      `Request ${requestId} is ${row.status}; only a submitted request can be cancelled.`,
      { status: row.status },
    );
  }
  await updateRequest(db, tenantId, requestId, { status: 'cancelled', cancelled_at: new Date() });
  await recordAudit(db, tenantId, origin, {
    action: 'fund.request.cancel',
    entityType: 'mdf_request',
    entityId: requestId,
    before: { status: row.status },
    after: { status: 'cancelled' },
  });
  return getRequest(db, tenantId, scope, requestId);
}

export type FundVerdict = { decision: 'approve' } | { decision: 'reject'; reason: string };

/** Approve or reject a submitted request (mdf:decide, in scope, not its maker). */
export async function decideRequest(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  requestId: number,
  verdict: FundVerdict,
  origin: AuditOrigin,
): Promise<FundRequest> {
  const { row } = await lockRequest(db, tenantId, scope, requestId);
  const verb = verdict.decision === 'approve' ? 'approved' : 'rejected';
  if (row.status !== 'submitted') {
    throw new DomainError(
      'conflict',
      `Request ${requestId} is ${row.status}; only a submitted request can be ${verb}.`,
      { status: row.status },
    );
  }
  assertNotMaker(row.created_by_user, origin, `request ${requestId}`, 'decide on');
  const reason = verdict.decision === 'reject' ? verdict.reason : null;
  await updateRequest(db, tenantId, requestId, {
    status: verb,
    decision_reason: reason,
    decided_by: origin.actor.name,
    decided_by_user: userIdOf(origin),
    decided_at: new Date(),
  });
  await recordFundDecision(db, tenantId, {
    subject: 'request',
    id: requestId,
    dealerId: row.dealer_id,
    fundId: row.fund_id,
    requestId: null,
    decision: verb,
    amount: row.amount,
    reason,
    proofSha256: [],
  });
  await recordAudit(db, tenantId, origin, {
    action: `fund.request.${verdict.decision}`,
    entityType: 'mdf_request',
    entityId: requestId,
    before: { status: row.status },
    after: { status: verb, ...(reason === null ? {} : { reason }) },
  });
  return getRequest(db, tenantId, scope, requestId);
}

/**
 * Claim against an approved request, with proof files. Refused (nothing written) unless the
 * request is approved and has no live claim, the amount is at most the request's, the fund's
 * claim deadline has not passed, and every file is an allowed type by its content (10 MB in all).
 */
export async function submitClaim(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  requestId: number,
  input: SubmitFundClaim,
  origin: AuditOrigin,
): Promise<FundClaim> {
  const proofs = checkProofs(input.proofs);
  const { request, row } = await lockRequest(db, tenantId, scope, requestId);
  if (row.status !== 'approved') {
    throw new DomainError(
      'conflict',
      `Request ${requestId} is ${row.status}; a claim needs an approved request.`,
      { status: row.status },
    );
  }
  if (request.claim) {
    throw new DomainError(
      'conflict',
      `Request ${requestId} already has claim ${request.claim.id} (${request.claim.status}); a new claim is possible only after a rejection.`,
      { claimId: request.claim.id, status: request.claim.status },
    );
  }
  const money = await tenantMoney(db, tenantId);
  if (input.amount > row.amount) {
    throw new DomainError(
      'validation_failed',
      `The claim is ${moneyText(input.amount, money)}, more than the ${moneyText(row.amount, money)} approved for request ${requestId}.`,
      { field: 'amount', amount: input.amount, approved: row.amount },
    );
  }
  const today = await tenantToday(db, tenantId);
  if (request.claimDeadline < today) {
    throw new DomainError(
      'validation_failed',
      `The claim deadline of this fund (${request.period}) was ${request.claimDeadline}; claims are no longer accepted.`,
      { field: 'requestId', claimDeadline: request.claimDeadline, today },
    );
  }
  const claimId = await insertClaim(db, {
    tenant_id: tenantId,
    request_id: requestId,
    dealer_id: row.dealer_id,
    amount: input.amount,
    note: input.note,
    submitted_by: origin.actor.name,
    submitted_by_user: userIdOf(origin),
  });
  await insertProofs(db, tenantId, claimId, proofs);
  await recordAudit(db, tenantId, origin, {
    action: 'fund.claim.submit',
    entityType: 'mdf_claim',
    entityId: claimId,
    after: {
      requestId,
      amount: input.amount,
      note: input.note,
      proofs: proofs.map((p) => ({
        fileName: p.fileName,
        sha256: p.sha256,
        sizeBytes: p.sizeBytes,
      })),
    },
  });
  return getClaim(db, tenantId, scope, claimId);
}

/** Approve or reject a submitted claim (mdf:decide, in scope, not its maker). */
export async function decideClaim(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  claimId: number,
  verdict: FundVerdict,
  origin: AuditOrigin,
): Promise<FundClaim> {
  const { claim, row } = await lockClaim(db, tenantId, scope, claimId);
  const verb = verdict.decision === 'approve' ? 'approved' : 'rejected';
  if (row.status !== 'submitted') {
    throw new DomainError(
      'conflict',
      `Claim ${claimId} is ${row.status}; only a submitted claim can be ${verb}.`,
      { status: row.status },
    );
  }
  assertNotMaker(row.submitted_by_user, origin, `claim ${claimId}`, 'decide on');
  const reason = verdict.decision === 'reject' ? verdict.reason : null;
  await updateClaim(db, tenantId, claimId, {
    status: verb,
    decision_reason: reason,
    decided_by: origin.actor.name,
    decided_by_user: userIdOf(origin),
    decided_at: new Date(),
  });
  await recordFundDecision(db, tenantId, {
    subject: 'claim',
    id: claimId,
    dealerId: row.dealer_id,
    fundId: claim.fundId,
    requestId: row.request_id,
    decision: verb,
    amount: row.amount,
    reason,
    proofSha256: claim.proofs.map((p) => p.sha256),
  });
  await recordAudit(db, tenantId, origin, {
    action: `fund.claim.${verdict.decision}`,
    entityType: 'mdf_claim',
    entityId: claimId,
    before: { status: row.status },
    after: { status: verb, ...(reason === null ? {} : { reason }) },
  });
  return getClaim(db, tenantId, scope, claimId);
}

/** Record the payment of an approved claim with its reference (resources:manage, not its maker). */
export async function payClaim(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  claimId: number,
  paymentReference: string,
  origin: AuditOrigin,
): Promise<FundClaim> {
  const { claim, row } = await lockClaim(db, tenantId, scope, claimId);
  if (row.status !== 'approved') {
    throw new DomainError(
      'conflict',
      `Claim ${claimId} is ${row.status}; only an approved claim can be paid.`,
      { status: row.status },
    );
  }
  assertNotMaker(row.submitted_by_user, origin, `claim ${claimId}`, 'pay');
  await updateClaim(db, tenantId, claimId, {
    status: 'paid',
    paid_by: origin.actor.name,
    paid_by_user: userIdOf(origin),
    paid_at: new Date(),
    payment_reference: paymentReference,
  });
  await recordFundDecision(db, tenantId, {
    subject: 'claim',
    id: claimId,
    dealerId: row.dealer_id,
    fundId: claim.fundId,
    requestId: row.request_id,
    decision: 'paid',
    amount: row.amount,
    reason: null,
    proofSha256: claim.proofs.map((p) => p.sha256),
  });
  await recordAudit(db, tenantId, origin, {
    action: 'fund.claim.pay',
    entityType: 'mdf_claim',
    entityId: claimId,
    before: { status: row.status },
    after: { status: 'paid', paymentReference },
  });
  return getClaim(db, tenantId, scope, claimId);
}

/** A request with its fund, its claims (with proof files) and what happened, oldest first. */
export async function requestDetail(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  requestId: number,
): Promise<FundRequestDetail> {
  const request = await getRequest(db, tenantId, scope, requestId);
  const fund = await getFund(db, tenantId, scope, request.fundId);
  const claims = await claimsOfRequest(db, tenantId, requestId);
  return { request, fund, claims, history: historyOf(request, claims) };
}

export function historyOf(request: FundRequest, claims: readonly FundClaim[]): FundEvent[] {
  const events: FundEvent[] = [];
  const base = { subject: 'request' as const, id: request.id, amount: request.amount };
  events.push({
    ...base,
    at: request.createdAt,
    event: 'submitted',
    by: request.createdBy,
    note: null,
  });
  if (request.decidedAt && (request.status === 'approved' || request.status === 'rejected')) {
    events.push({
      ...base,
      at: request.decidedAt,
      event: request.status,
      by: request.decidedBy,
      note: request.decisionReason,
    });
  }
  if (request.cancelledAt) {
    events.push({
      ...base,
      at: request.cancelledAt,
      event: 'cancelled',
      by: request.createdBy,
      note: null,
    });
  }
  for (const c of claims) {
    const claim = { subject: 'claim' as const, id: c.id, amount: c.amount };
    events.push({
      ...claim,
      at: c.submittedAt,
      event: 'submitted',
      by: c.submittedBy,
      note: c.note || null,
    });
    if (c.decidedAt && c.status !== 'submitted') {
      events.push({
        ...claim,
        at: c.decidedAt,
        event: c.status === 'rejected' ? 'rejected' : 'approved',
        by: c.decidedBy,
        note: c.decisionReason,
      });
    }
    if (c.paidAt) {
      events.push({
        ...claim,
        at: c.paidAt,
        event: 'paid',
        by: c.paidBy,
        note: c.paymentReference,
      });
    }
  }
  return events.sort((a, b) => a.at.localeCompare(b.at));
}

/** The dealer's own funds, balance, requests and claims (the portal). */
export async function portalFunds(
  db: Kysely<Database>,
  tenantId: number,
  dealerId: number,
): Promise<PortalFunds> {
  const dealer = await assertDealerInScope(db, tenantId, { kind: 'dealer', dealerId }, dealerId);
  const funds = await dealerFunds(db, tenantId, dealerId);
  const balance: FundBalance = sumBalances(funds.map((f) => f.balance));
  return {
    dealer,
    balance,
    funds: funds.map(({ dealer: _, ...fund }) => fund),
    requests: await dealerRequests(db, tenantId, dealerId, 200),
    claims: await dealerClaims(db, tenantId, dealerId, 200),
  };
}
