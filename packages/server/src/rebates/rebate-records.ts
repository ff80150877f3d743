import type { NewRecord } from '../ledger/ledger.service.js';
import type { RebateBasis, RebateMethod } from '@tierline/contract';

/**
 * The ledger record of one dealer in a rebate settlement (`rebate_settlement`, dealer-level:
 * the dealer can open its own). It names the program, the period and what was decided, never
 * who settled (that is in the audit trail). Amounts are minor units, as stored.
 */
export interface SettlementRecordInput {
  settlementId: number;
  program: { id: number; code: string };
  period: string;
  seq: number;
  asOf: string;
  final: boolean;
  dealer: { id: number; code: string };
  tier: string | null;
  basis: RebateBasis;
  method: RebateMethod;
  sales: number;
  previousSales: number | null;
  bracket: number | null;
  rateBasisPoints: number;
  rebate: number;
  alreadyPaid: number;
  due: number;
  clawback: boolean;
}

export function settlementRecord(s: SettlementRecordInput): NewRecord {
  return {
    kind: 'rebate_settlement',
    dealerId: s.dealer.id,
    period: s.period,
    refId: s.settlementId,
    record: {
      program: { id: s.program.id, code: s.program.code },
      period: s.period,
      settlement: s.seq,
      asOf: s.asOf,
      dealer: { id: s.dealer.id, code: s.dealer.code },
      tier: s.tier,
      basis: s.basis,
      method: s.method,
      sales: s.sales,
      previous: s.previousSales,
      bracket: s.bracket,
      rateBasisPoints: s.rateBasisPoints,
      rebate: s.rebate,
      alreadyPaid: s.alreadyPaid,
      due: s.due,
      clawback: s.clawback,
      final: s.final,
    },
  };
}
