import { z } from 'zod';
import { Cursor, Id, IsoDate, Limit, Money, pageOf } from './common.js';
import { DealerRef } from './dealer.js';

/**
 * Market development funds (市场费用, MDF): a dealer's fund allocations, requests for
 * pre-approval, claims with proof files, and the balances they add up to (docs/resources.md,
 * "Market development funds").
 */

const PositiveMoney = Money.min(1, 'must be more than zero').max(
  Number.MAX_SAFE_INTEGER,
  'is too large',
);

export const FundRequestStatus = z
  .enum(['submitted', 'approved', 'rejected', 'cancelled'])
  .describe('submitted → approved | rejected; cancelled by the dealer while submitted');
export type FundRequestStatus = z.infer<typeof FundRequestStatus>;

export const FundClaimStatus = z
  .enum(['submitted', 'approved', 'rejected', 'paid'])
  .describe('submitted → approved | rejected; approved → paid');
export type FundClaimStatus = z.infer<typeof FundClaimStatus>;

/**
 * Balances, in minor units. allocated = Σ funds; pending = Σ submitted requests; approved =
 * Σ approved requests without an approved or paid claim (their commitment) + Σ approved and
 * paid claims; paid = Σ paid claims; available = allocated − pending − approved.
 */
export const FundBalance = z.object({
  allocated: Money.describe('Σ fund allocations'),
  pending: Money.describe('Σ submitted requests, awaiting a decision'),
  approved: Money.describe(
    'Σ approved requests not yet claimed (or whose claim awaits a decision) + Σ approved and paid claims',
  ),
  paid: Money.describe('Σ paid claims (part of approved)'),
  available: Money.describe('allocated − pending − approved: what new requests may use'),
});
export type FundBalance = z.infer<typeof FundBalance>;

/** One dealer's balances over all its funds. */
export const DealerFundBalance = FundBalance.extend({
  dealer: DealerRef,
  funds: z.number().int().describe('How many fund allocations the dealer has'),
  nextDeadline: IsoDate.nullable().describe(
    'The earliest claim deadline of its funds still open (today or later)',
  ),
  submittedRequests: z.number().int().describe('Requests awaiting a decision'),
  submittedClaims: z.number().int().describe('Claims awaiting a decision'),
  approvedClaims: z.number().int().describe('Claims approved and not yet paid'),
});
export type DealerFundBalance = z.infer<typeof DealerFundBalance>;

export const FundBalanceQuery = z.object({
  q: z
    .string()
    .max(100)
    .optional()
    .describe('Search dealer code (prefix) or name (substring), case-insensitive'),
  cursor: Cursor,
  limit: Limit,
});
export type FundBalanceQuery = z.infer<typeof FundBalanceQuery>;
export type FundBalanceQueryInput = z.input<typeof FundBalanceQuery>;

export const FundBalancePage = pageOf(DealerFundBalance).extend({
  totals: FundBalance.nullable().describe(
    'Totals over every dealer of the tenant; null for callers who see only some dealers',
  ),
});
export type FundBalancePage = z.infer<typeof FundBalancePage>;

/** A fund allocation: from a published market fund budget allocation, or granted by hand. */
export const Fund = z.object({
  id: z.number().int(),
  dealer: DealerRef,
  period: z.string(),
  allocationId: z
    .number()
    .int()
    .nullable()
    .describe('The budget allocation it was credited from; null for a manual grant'),
  amount: Money,
  claimDeadline: IsoDate.describe('Requests and claims are accepted up to and including this day'),
  open: z.boolean().describe('The claim deadline is today or later'),
  note: z.string(),
  createdAt: z.string(),
  balance: FundBalance,
});
export type Fund = z.infer<typeof Fund>;

export const GrantFund = z
  .object({
    dealerId: Id.describe('The dealer to grant the fund to'),
    period: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .regex(/^[0-9A-Za-z-]+$/, 'a period such as 2026-Q1')
      .describe('Period key, e.g. 2026-Q1'),
    amount: PositiveMoney.describe('Amount in minor units (fen)'),
    claimDeadline: IsoDate.describe('Last day on which requests and claims are accepted'),
    note: z.string().trim().max(500).default(''),
  })
  .strict();
export type GrantFund = z.infer<typeof GrantFund>;
export type GrantFundInput = z.input<typeof GrantFund>;

export const ProofFile = z.object({
  id: z.number().int(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string().describe('SHA-256 of the content, hex'),
});
export type ProofFile = z.infer<typeof ProofFile>;

export const FundClaim = z.object({
  id: z.number().int(),
  requestId: z.number().int(),
  requestTitle: z.string(),
  requestAmount: Money,
  dealer: DealerRef,
  amount: Money,
  note: z.string(),
  status: FundClaimStatus,
  decisionReason: z.string().nullable(),
  submittedBy: z.string().nullable().describe('Login of whoever submitted it'),
  submittedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  paidBy: z.string().nullable(),
  paidAt: z.string().nullable(),
  paymentReference: z.string().nullable(),
  proofs: z.array(ProofFile),
});
export type FundClaim = z.infer<typeof FundClaim>;

export const FundRequest = z.object({
  id: z.number().int(),
  fundId: z.number().int(),
  period: z.string().describe("The fund's period"),
  claimDeadline: IsoDate.describe("The fund's claim deadline"),
  dealer: DealerRef,
  title: z.string(),
  description: z.string(),
  amount: Money,
  activityFrom: IsoDate,
  activityTo: IsoDate,
  status: FundRequestStatus,
  decisionReason: z.string().nullable(),
  createdBy: z.string().nullable().describe('Login of whoever submitted it'),
  createdAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  claim: z
    .object({ id: z.number().int(), status: FundClaimStatus, amount: Money })
    .nullable()
    .describe('Its live claim (submitted, approved or paid), if any'),
});
export type FundRequest = z.infer<typeof FundRequest>;

/** What happened to a request and its claims, oldest first. */
export const FundEvent = z.object({
  at: z.string(),
  subject: z.enum(['request', 'claim']),
  id: z.number().int(),
  event: z.enum(['submitted', 'approved', 'rejected', 'cancelled', 'paid']),
  by: z.string().nullable(),
  amount: Money,
  note: z.string().nullable().describe('The reason of a rejection, the reference of a payment'),
});
export type FundEvent = z.infer<typeof FundEvent>;

export const FundRequestDetail = z.object({
  request: FundRequest,
  fund: Fund,
  claims: z.array(FundClaim).describe('Every claim of the request, newest first'),
  history: z.array(FundEvent),
});
export type FundRequestDetail = z.infer<typeof FundRequestDetail>;

const listQuery = {
  dealerId: Id.optional().describe('Only this dealer'),
  cursor: Cursor,
  limit: Limit,
};

export const FundRequestQuery = z.object({
  status: FundRequestStatus.optional(),
  ...listQuery,
});
export type FundRequestQuery = z.infer<typeof FundRequestQuery>;
export type FundRequestQueryInput = z.input<typeof FundRequestQuery>;
export const FundRequestPage = pageOf(FundRequest);
export type FundRequestPage = z.infer<typeof FundRequestPage>;

export const FundClaimQuery = z.object({
  status: FundClaimStatus.optional(),
  ...listQuery,
});
export type FundClaimQuery = z.infer<typeof FundClaimQuery>;
export type FundClaimQueryInput = z.input<typeof FundClaimQuery>;
export const FundClaimPage = pageOf(FundClaim);
export type FundClaimPage = z.infer<typeof FundClaimPage>;

const requestFields = {
  fundId: Id.optional().describe(
    'The fund to draw on; by default the open fund with the earliest claim deadline that has enough available',
  ),
  title: z.string().trim().min(1, 'is required').max(200),
  description: z.string().trim().max(2000).default(''),
  amount: PositiveMoney.describe('Amount in minor units (fen)'),
  activityFrom: IsoDate,
  activityTo: IsoDate,
};

/** A request for pre-approval by a dealer user (the session names the dealer). */
export const SubmitFundRequest = z.object(requestFields).strict();
export type SubmitFundRequest = z.infer<typeof SubmitFundRequest>;
export type SubmitFundRequestInput = z.input<typeof SubmitFundRequest>;

/** A request made by staff on behalf of a dealer in their scope. */
export const CreateFundRequest = z
  .object({ dealerId: Id.describe('The dealer the request is for'), ...requestFields })
  .strict();
export type CreateFundRequest = z.infer<typeof CreateFundRequest>;
export type CreateFundRequestInput = z.input<typeof CreateFundRequest>;

/** Proof files: PDF, JPEG, PNG, XLSX or DOCX (checked by content), at most 10 MB in all. */
export const PROOF_CONTENT_TYPES = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
} as const;
export const PROOF_MAX_BYTES = 10 * 1024 * 1024;
export const PROOF_MAX_FILES = 10;

export const ProofUpload = z
  .object({
    fileName: z.string().trim().min(1, 'is required').max(200),
    contentType: z.string().max(100).describe('Declared type; the content must match it'),
    contentBase64: z
      .string()
      .min(1, 'is empty')
      .max(Math.ceil(PROOF_MAX_BYTES / 3) * 4 + 4, 'is larger than 10 MB')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64')
      .describe('The file, base64'),
  })
  .strict();
export type ProofUpload = z.infer<typeof ProofUpload>;

export const SubmitFundClaim = z
  .object({
    amount: PositiveMoney.describe('Amount claimed in minor units; at most the approved request'),
    note: z.string().trim().max(2000).default(''),
    proofs: z
      .array(ProofUpload)
      .min(1, 'attach at least one proof file')
      .max(PROOF_MAX_FILES, `at most ${PROOF_MAX_FILES} files`),
  })
  .strict();
export type SubmitFundClaim = z.infer<typeof SubmitFundClaim>;
export type SubmitFundClaimInput = z.input<typeof SubmitFundClaim>;

export const RejectFund = z
  .object({
    reason: z
      .string()
      .trim()
      .min(5, 'give a reason of at least 5 characters')
      .max(500)
      .describe('Why, for the dealer (at least 5 characters)'),
  })
  .strict();
export type RejectFund = z.infer<typeof RejectFund>;

export const PayFundClaim = z
  .object({
    paymentReference: z
      .string()
      .trim()
      .min(1, 'the payment reference is required')
      .max(100)
      .describe('Bank or ERP reference of the payment'),
  })
  .strict();
export type PayFundClaim = z.infer<typeof PayFundClaim>;

/** The dealer's own funds, as the portal shows them: no staff logins. */
export const PortalFundRequest = FundRequest.omit({ createdBy: true, decidedBy: true });
export type PortalFundRequest = z.infer<typeof PortalFundRequest>;
export const PortalFundClaim = FundClaim.omit({
  submittedBy: true,
  decidedBy: true,
  paidBy: true,
});
export type PortalFundClaim = z.infer<typeof PortalFundClaim>;

export const PortalFunds = z.object({
  dealer: DealerRef,
  balance: FundBalance,
  funds: z.array(Fund.omit({ dealer: true })).describe('Newest claim deadline first'),
  requests: z.array(PortalFundRequest).describe('Newest first (at most 200)'),
  claims: z.array(PortalFundClaim).describe('Newest first (at most 200)'),
});
export type PortalFunds = z.infer<typeof PortalFunds>;
