import type { Resume } from '@tierline/contract';

/** One record of a résumé as the portal lists it; fields the record lacks are null. */
export interface ResumeRow {
  index: number;
  kind: string | null;
  period: string | null;
  /** The tier the record gives (a decision's tier, an override's new tier). */
  tier: string | null;
  score: number | null;
  /** An override's kind (once, lock, until, floor) and reason. */
  override: { kind: string | null; reason: string | null } | null;
  /** The money a resource record decides (minor units), with what it is. */
  money: ResumeMoney | null;
}

/**
 * What a resource record decided: an allocation's amount, a rebate settlement's rebate and what
 * it left due, or a market-fund decision (approved, rejected or paid) and its amount.
 */
export type ResumeMoney =
  | { kind: 'allocation'; amount: number }
  | { kind: 'rebate'; rebate: number; due: number }
  | { kind: 'fund'; decision: string; subject: string; amount: number };

function money(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

function moneyOf(record: Record<string, unknown>): ResumeMoney | null {
  switch (record['kind']) {
    case 'allocation_line': {
      const amount = money(record['amount']);
      return amount === null ? null : { kind: 'allocation', amount };
    }
    case 'rebate_settlement': {
      const rebate = money(record['rebate']);
      const due = money(record['due']);
      return rebate === null || due === null ? null : { kind: 'rebate', rebate, due };
    }
    case 'fund_decision': {
      const amount = money(record['amount']);
      const decision = text(record['decision']);
      const subject = text(record['subject']);
      return amount === null || decision === null || subject === null
        ? null
        : { kind: 'fund', decision, subject, amount };
    }
    default:
      return null;
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * The records of a résumé, newest period first, read from the committed JSON itself (the file
 * carries nothing else about them, so what the portal shows is what verification checks).
 * A record that does not parse still gets a row, with nulls.
 */
export function resumeRows(resume: Resume): ResumeRow[] {
  const rows = resume.entries.map((entry): ResumeRow => {
    let record: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(entry.record);
      if (typeof parsed === 'object' && parsed !== null) record = parsed as Record<string, unknown>;
    } catch {
      // Listed anyway; verification says what is wrong with it.
    }
    const override =
      typeof record['override'] === 'object' && record['override'] !== null
        ? (record['override'] as Record<string, unknown>)
        : null;
    const score = record['score'];
    return {
      index: entry.index,
      kind: text(record['kind']),
      period: text(record['period']),
      tier: text(record['tier']) ?? text(override?.['tier']),
      score: typeof score === 'number' && Number.isFinite(score) ? score : null,
      override:
        override === null
          ? null
          : { kind: text(override['kind']), reason: text(override['reason']) },
      money: moneyOf(record),
    };
  });
  return rows.sort((a, b) => (b.period ?? '').localeCompare(a.period ?? '') || b.index - a.index);
}
