import type { BenefitUnit, BenefitValue } from '@tierline/contract';

/**
 * Benefit values as people type and read them: basis points as a percentage (150 → "1.5%"),
 * money in major units (元), counts as whole numbers, levels and texts as written, flags as
 * yes/no. Pure, so that the value matrix's editing is tested without a browser.
 */

/** What a cell holds while it is edited: text for numbers and words, yes/no for flags. */
export type CellDraft = string | boolean | null;

/** A whole number written in `digits` decimal places exactly, e.g. ("1.5", 2) → 150. */
function scaled(text: string, digits: number): number | null {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.replace(/[\s,¥￥%]/g, ''));
  if (!m) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return null;
  const value = BigInt(m[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(value);
}

/** A whole number of minor units as the exact decimal text of major units: 150 → "1.50". */
function unscaled(value: number, digits: number): string {
  if (digits <= 0) return String(value);
  const text = String(Math.abs(value)).padStart(digits + 1, '0');
  const whole = text.slice(0, -digits);
  const fraction = text.slice(-digits).replace(/0+$/, '');
  return `${value < 0 ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Why a typed value does not fit its unit. */
export type CellProblem = 'percent' | 'money' | 'count' | 'label' | 'text';

/**
 * A typed cell as the value the API takes, null for an empty cell (no value: the tier does not
 * get the benefit), or the problem with it.
 */
export function parseCell(
  unit: BenefitUnit,
  draft: CellDraft,
  minorUnits: number,
): { value: BenefitValue | null } | { problem: CellProblem } {
  if (draft === null || (typeof draft === 'string' && draft.trim() === '')) return { value: null };
  switch (unit) {
    case 'basis_points': {
      const bp = typeof draft === 'string' ? scaled(draft, 2) : null;
      return bp !== null && bp <= 10_000 ? { value: bp } : { problem: 'percent' };
    }
    case 'money': {
      const minor = typeof draft === 'string' ? scaled(draft, minorUnits) : null;
      return minor !== null ? { value: minor } : { problem: 'money' };
    }
    case 'count': {
      const n = typeof draft === 'string' ? scaled(draft, 0) : null;
      return n !== null ? { value: n } : { problem: 'count' };
    }
    case 'level': {
      const text = typeof draft === 'string' ? draft.trim() : '';
      return text.length >= 1 && text.length <= 40 ? { value: text } : { problem: 'label' };
    }
    case 'text': {
      const text = typeof draft === 'string' ? draft.trim() : '';
      return text.length >= 1 && text.length <= 200 ? { value: text } : { problem: 'text' };
    }
    case 'flag':
      return typeof draft === 'boolean' ? { value: draft } : { value: null };
  }
}

/** A stored value as the text (or yes/no) its cell starts from when edited. */
export function toDraft(
  unit: BenefitUnit,
  value: BenefitValue | undefined,
  minorUnits: number,
): CellDraft {
  if (value === undefined) return unit === 'flag' ? null : '';
  switch (unit) {
    case 'basis_points':
      return typeof value === 'number' ? unscaled(value, 2) : String(value);
    case 'money':
      return typeof value === 'number' ? unscaled(value, minorUnits) : String(value);
    case 'count':
    case 'level':
    case 'text':
      return String(value);
    case 'flag':
      return typeof value === 'boolean' ? value : null;
  }
}

/** Basis points as a percentage text: 150 → "1.5%", 1500 → "15%". */
export function basisPointsText(bp: number): string {
  return `${unscaled(bp, 2)}%`;
}

/**
 * The server's refusal of a saved matrix, by cell: `values.<benefit>.<tier>` → message, and a
 * whole row's problems under `values.<benefit>`.
 */
export function cellMessages(details: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const issues =
    typeof details === 'object' && details !== null && 'issues' in details
      ? details.issues
      : undefined;
  if (!Array.isArray(issues)) return out;
  for (const issue of issues) {
    if (typeof issue !== 'object' || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    const key = path.replace(/^values\./, '');
    if (!out.has(key)) out.set(key, message);
  }
  return out;
}
