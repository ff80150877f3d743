import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { appendRecords } from '../ledger/ledger.service.js';

/** A decision on a request or a claim, as the ledger keeps it. */
export interface FundDecision {
  subject: 'request' | 'claim';
  id: number;
  dealerId: number;
  fundId: number;
  /** The claim's request; null for a request. */
  requestId: number | null;
  decision: 'approved' | 'rejected' | 'paid';
  amount: number;
  /** Why, for a rejection; null otherwise. */
  reason: string | null;
  /** SHA-256 (hex) of a claim's proof files, in upload order; empty for a request. */
  proofSha256: readonly string[];
}

/**
 * Append a `fund_decision` record in the deciding transaction: the subject (request or claim)
 * and its id, the dealer (id and code), the fund and its period, the decision, the amount, the
 * reason of a rejection and, for a claim, the SHA-256 of its proof files, so that the files
 * shown later can be checked against what was decided on. Like every record it names no staff
 * login (the audit trail does).
 */
export async function recordFundDecision(
  db: Kysely<Database>,
  tenantId: number,
  decision: FundDecision,
): Promise<void> {
  const fund = await db
    .selectFrom('mdf_fund as f')
    .innerJoin('dealer as d', (j) =>
      j.onRef('d.tenant_id', '=', 'f.tenant_id').onRef('d.id', '=', 'f.dealer_id'),
    )
    .select(['f.period', 'f.allocation_id', 'f.claim_deadline', 'd.code'])
    .where('f.tenant_id', '=', tenantId)
    .where('f.id', '=', decision.fundId)
    .executeTakeFirstOrThrow();
  await appendRecords(db, tenantId, [
    {
      kind: 'fund_decision',
      dealerId: decision.dealerId,
      period: fund.period,
      refId: decision.id,
      record: {
        subject: decision.subject,
        id: decision.id,
        dealer: { id: decision.dealerId, code: fund.code },
        fund: {
          id: decision.fundId,
          period: fund.period,
          allocationId: fund.allocation_id,
          claimDeadline: fund.claim_deadline,
        },
        period: fund.period,
        ...(decision.requestId === null ? {} : { requestId: decision.requestId }),
        decision: decision.decision,
        amount: decision.amount,
        ...(decision.reason === null ? {} : { reason: decision.reason }),
        ...(decision.subject === 'claim' ? { proofSha256: [...decision.proofSha256] } : {}),
      },
    },
  ]);
}
