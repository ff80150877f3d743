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
    };
  });
  return rows.sort((a, b) => (b.period ?? '').localeCompare(a.period ?? '') || b.index - a.index);
}
