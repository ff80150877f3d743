import type {
  RebateBasis,
  RebateBracket,
  RebateLadders,
  RebateLine,
  RebatePeriodKind,
} from '@tierline/contract';
import { minorToDecimal } from '../format/money';
import { periodOfMonth } from '../tiering/periods';

/**
 * Pure helpers of the rebate pages: the ladder editor's rows (what a person types: yuan or
 * growth percent, and a rate in percent) to the API's brackets (minor units or percent, and
 * basis points) and back, exactly; where a server issue belongs in the editor; how far a
 * dealer's projection is along to its next bracket.
 */

/** One editable row of a ladder: text as typed. `to` empty: open-ended. */
export interface LadderRow {
  from: string;
  to: string;
  rate: string;
}

/** A field of a row, or the ladder itself. */
export type RowField = 'from' | 'to' | 'rate';

export interface RowProblem {
  row: number | null;
  field: RowField | null;
  message: string;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A decimal text scaled by 10^digits to a whole number, exactly (no floating point): '12.5'
 * with 2 digits is 1250. Null when the text is not a decimal or has more fraction digits.
 */
export function scaleDecimal(text: string, digits: number): number | null {
  const t = text.trim().replaceAll(',', '');
  if (!DECIMAL.test(t)) return null;
  const negative = t.startsWith('-');
  const [whole = '0', fraction = ''] = t.replace('-', '').split('.');
  if (fraction.length > digits) return null;
  const value = Number(`${whole}${fraction.padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(value)) return null;
  return negative ? -value : value;
}

/** A whole number divided by 10^digits as the shortest decimal text: 1250, 2 → '12.5'. */
export function unscaleDecimal(value: number, digits: number): string {
  const text = minorToDecimal(value, digits);
  return digits > 0 ? text.replace(/\.?0+$/, '') : text;
}

/** Basis points as percent text: 250 → '2.5'. */
export function percentText(basisPoints: number): string {
  return unscaleDecimal(basisPoints, 2);
}

/** A bound in the ladder's units, as the editor shows it: yuan (sales) or percent (growth). */
function boundText(value: number, basis: RebateBasis, minorUnits: number): string {
  return basis === 'sales' ? unscaleDecimal(value, minorUnits) : String(value);
}

function boundValue(text: string, basis: RebateBasis, minorUnits: number): number | null {
  if (basis === 'sales') return scaleDecimal(text, minorUnits);
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : null;
}

/** Brackets as editor rows. */
export function bracketsToRows(
  brackets: readonly RebateBracket[],
  basis: RebateBasis,
  minorUnits: number,
): LadderRow[] {
  return brackets.map((b) => ({
    from: boundText(b.from, basis, minorUnits),
    to: b.to === null ? '' : boundText(b.to, basis, minorUnits),
    rate: percentText(b.rateBasisPoints),
  }));
}

/**
 * Editor rows as brackets, or the rows' problems when a cell is not a number (order, gaps,
 * overlaps and rates are the server's to check: it answers with paths, see `issueTarget`).
 */
export function rowsToBrackets(
  rows: readonly LadderRow[],
  basis: RebateBasis,
  minorUnits: number,
  messages: { notNumber: string; tooPrecise: string },
): { brackets: RebateBracket[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const brackets = rows.map((row, i): RebateBracket => {
    const from = boundValue(row.from, basis, minorUnits);
    if (from === null) problems.push({ row: i, field: 'from', message: messages.notNumber });
    const to = row.to.trim() === '' ? null : boundValue(row.to, basis, minorUnits);
    if (row.to.trim() !== '' && to === null) {
      problems.push({ row: i, field: 'to', message: messages.notNumber });
    }
    const rate = scaleDecimal(row.rate, 2);
    if (rate === null) {
      problems.push({
        row: i,
        field: 'rate',
        message: DECIMAL.test(row.rate.trim()) ? messages.tooPrecise : messages.notNumber,
      });
    }
    return { from: from ?? 0, to, rateBasisPoints: rate ?? 0 };
  });
  return { brackets, problems };
}

/** The key of a ladder in the editor: 'default' or a tier code. */
export type LadderKey = string;

/**
 * Where a server issue path belongs in the editor: `ladders.tiers.core[1].from` is row 1 of
 * the core ladder, field from; `ladders.default` the default ladder as a whole; anything else
 * (e.g. `ladders`, `code`) the program.
 */
export function issueTarget(path: string): {
  ladder: LadderKey | null;
  row: number | null;
  field: RowField | null;
} {
  const match =
    /^ladders\.(?:(default)|tiers\.([A-Za-z0-9_-]+))(?:\[(\d+)\](?:\.(from|to|rateBasisPoints))?)?$/.exec(
      path,
    );
  if (match === null) return { ladder: null, row: null, field: null };
  const field = match[4];
  return {
    ladder: match[1] ?? match[2] ?? null,
    row: match[3] === undefined ? null : Number(match[3]),
    field: field === undefined ? null : field === 'rateBasisPoints' ? 'rate' : (field as RowField),
  };
}

/** The ladders of a program from each editor ladder's rows (null rows: no ladder). */
export function laddersOf(
  ladders: Readonly<Record<LadderKey, readonly RebateBracket[] | null>>,
): RebateLadders {
  const tiers: Record<string, RebateBracket[]> = {};
  for (const [key, brackets] of Object.entries(ladders)) {
    if (key !== 'default' && brackets !== null) tiers[key] = [...brackets];
  }
  const fallback = ladders['default'];
  return { default: fallback === undefined || fallback === null ? null : [...fallback], tiers };
}

/**
 * How far the projection has come from the start of its bracket to the next one, 0–1 (1 at the
 * top bracket). A projection below the first bracket counts from 0.
 */
export function progressToNext(
  line: Pick<RebateLine, 'projectedSales' | 'projected' | 'next'>,
): number {
  if (line.next === null) return 1;
  const start = line.projected.salesFrom ?? 0;
  const span = line.next.salesNeeded - start;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (line.projectedSales - start) / span));
}

const CYCLE = {
  monthly: 'monthly',
  quarterly: 'quarterly',
  half_year: 'semiannual',
  annual: 'annual',
} as const satisfies Record<RebatePeriodKind, string>;

/** The period of a program's kind that holds a month: the one a preview opens on. */
export function currentPeriod(kind: RebatePeriodKind, month: string): string {
  return periodOfMonth(month, CYCLE[kind]);
}

/** Whether a period key is of a program's kind (2026-Q3 for quarterly). */
export function isPeriodOfKind(kind: RebatePeriodKind, key: string): boolean {
  const patterns: Record<RebatePeriodKind, RegExp> = {
    monthly: /^\d{4}-(0[1-9]|1[0-2])$/,
    quarterly: /^\d{4}-Q[1-4]$/,
    half_year: /^\d{4}-H[12]$/,
    annual: /^\d{4}$/,
  };
  return patterns[kind].test(key);
}

/** An empty row after the last one: it starts where the last one ends. */
export function nextRow(rows: readonly LadderRow[]): LadderRow {
  const last = rows[rows.length - 1];
  return { from: last === undefined ? '0' : last.to, to: '', rate: '' };
}

/** What a server issue about a ladder says, so the editor can say it in the UI's language. */
export type IssueKind =
  'empty' | 'bound' | 'toNotAbove' | 'order' | 'overlap' | 'gap' | 'lastOpen' | 'rate' | 'other';

/** The kind of a ladder issue from core's `checkRebateLadder` (docs/resources.md, "Refused ladders"). */
export function issueKind(message: string): IssueKind {
  if (/needs at least one bracket/.test(message)) return 'empty';
  if (/bound is/.test(message)) return 'bound';
  if (/not above where it starts/.test(message)) return 'toNotAbove';
  if (/out of order/.test(message)) return 'order';
  if (/overlap/.test(message)) return 'overlap';
  if (/gap between/.test(message)) return 'gap';
  if (/must be open-ended/.test(message)) return 'lastOpen';
  if (/The rate of bracket/.test(message)) return 'rate';
  return 'other';
}
