import { z } from 'zod';
import { Cursor, Id, Limit, pageOf } from './common.js';
import { DealerRef } from './dealer.js';

/** What the ledger records, one kind per record (PRODUCT §6; docs/ledger.md). */
export const LedgerRecordKind = z
  .enum([
    'tier_decision',
    'assessment_run',
    'tier_override',
    'policy_version',
    'import_batch',
    'benefit_values',
    'budget_allocation',
    'allocation_line',
    'rebate_settlement',
    'fund_decision',
  ])
  .describe(
    'tier_decision = one dealer in a published run; assessment_run = a published run and the digest of its inputs; tier_override = a manual override with its reason; policy_version = a saved policy version; import_batch = an applied import (file digest and counts); benefit_values = the benefit values of a policy version as saved; budget_allocation = a published budget allocation (pool, method, tier totals); allocation_line = one dealer in a published allocation; rebate_settlement = one dealer in a rebate settlement (rebate, already paid, due); fund_decision = a market development fund request or claim approved, rejected or paid',
  );
export type LedgerRecordKind = z.infer<typeof LedgerRecordKind>;

const Base64Hash = z.string().describe('Base64 SHA-256 hash (32 bytes)');

/** The tenant's log: its name, its public key and its latest signed checkpoint. */
export const LedgerInfo = z.object({
  origin: z.string().describe("The log's name: first line of its checkpoints and its key's name"),
  verifierKey: z
    .string()
    .describe('Verifier key (signed-note format); check it against a copy you trust'),
  size: z.number().int().describe('Entries in the log'),
  checkpoint: z
    .string()
    .nullable()
    .describe('Latest signed checkpoint (C2SP tlog-checkpoint), null before the first entry'),
  checkpointSize: z.number().int().describe('Entries the latest checkpoint covers'),
  tiles: z.string().describe('URL path of the public tiles, e.g. /ledger/demo/'),
});
export type LedgerInfo = z.infer<typeof LedgerInfo>;

export const LedgerEntry = z.object({
  index: z.number().int().describe('Position in the log (0-based)'),
  kind: LedgerRecordKind,
  createdAt: z.string().describe('When the record was appended (ISO 8601)'),
  commitment: z.string().describe('Hex SHA-256 commitment: the public log entry'),
  dealer: DealerRef.nullable(),
  period: z.string().nullable(),
  summary: z.string().describe('One line for people, e.g. "2026-10 · 核心 (score 61.2)"'),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const LedgerEntryPage = pageOf(LedgerEntry);
export type LedgerEntryPage = z.infer<typeof LedgerEntryPage>;

export const ListLedgerEntriesQuery = z.object({
  kind: LedgerRecordKind.optional(),
  dealerId: Id.optional(),
  limit: Limit,
  cursor: Cursor,
});
export type ListLedgerEntriesQuery = z.infer<typeof ListLedgerEntriesQuery>;

export const InclusionProof = z.object({
  index: z.number().int(),
  treeSize: z.number().int(),
  hashes: z.array(Base64Hash).describe('RFC 9162 §2.1.3 inclusion proof, leaf to root'),
});
export type InclusionProof = z.infer<typeof InclusionProof>;

export const ConsistencyProof = z.object({
  from: z.number().int(),
  to: z.number().int(),
  hashes: z.array(Base64Hash).describe('RFC 9162 §2.1.4 consistency proof'),
});
export type ConsistencyProof = z.infer<typeof ConsistencyProof>;

export const InclusionProofQuery = z.object({
  index: z.coerce.number().int().min(0).describe('Entry index'),
  treeSize: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe("Tree size to prove against; the latest checkpoint's when absent"),
});
export const ConsistencyProofQuery = z.object({
  from: z.coerce.number().int().min(0).describe('Older tree size'),
  to: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Newer tree size; the latest checkpoint's when absent"),
});

/** One record opened: the committed JSON, its salt and the proof that the log holds it. */
export const LedgerEntryDetail = LedgerEntry.extend({
  record: z.record(z.string(), z.unknown()).describe('The record (parsed)'),
  recordJson: z.string().describe('The record exactly as committed (RFC 8785 canonical JSON)'),
  salt: z.string().describe('Base64 of the 32-byte salt'),
  proof: InclusionProof.nullable().describe(
    'Inclusion in the latest checkpoint; null until a checkpoint covers the entry',
  ),
  checkpoint: z.string().nullable(),
});
export type LedgerEntryDetail = z.infer<typeof LedgerEntryDetail>;

/** A dealer's résumé file (`tierline-resume/1`), verifiable offline; see docs/ledger.md. */
export const Resume = z.object({
  format: z.literal('tierline-resume/1'),
  origin: z.string(),
  verifierKey: z.string(),
  dealer: z.object({ code: z.string(), name: z.string() }),
  checkpoint: z.string(),
  generatedAt: z.string(),
  entries: z.array(
    z.object({
      index: z.number().int(),
      record: z.string(),
      salt: z.string(),
      proof: z.array(Base64Hash),
    }),
  ),
});
export type Resume = z.infer<typeof Resume>;

/** A decision recomputed from its recorded inputs and policy version. */
export const ReplayResult = z.object({
  index: z.number().int(),
  matches: z.boolean().describe('True when every check below holds'),
  runId: z.number().int(),
  period: z.string(),
  dealer: DealerRef,
  policy: z.object({ name: z.string(), version: z.number().int() }),
  checks: z.array(
    z.object({
      check: z.string().describe('e.g. "commitment", "inputs digest", "policy digest", "tier"'),
      recorded: z.unknown(),
      replayed: z.unknown(),
      matches: z.boolean(),
    }),
  ),
});
export type ReplayResult = z.infer<typeof ReplayResult>;
