import { isValid, parse as parseDate } from 'date-fns';
import type {
  ImportErrorReason,
  ImportFileErrorCode,
  ImportFileErrorParams,
  ImportIssueCode,
  ImportIssueParams,
} from '@tierline/contract';
import type { FieldSpec } from './kinds.js';

/**
 * Why a cell or a row is not imported: the English reason (what the CLI, reports and stored
 * batches show) and the same as a code with the parameters of its message, for the console.
 */
export interface IssueReason {
  reason: string;
  code: ImportIssueCode;
  params: Record<string, string | number>;
}

/** An {@link IssueReason}; the parameters must be those the contract names for the code. */
export function because<C extends ImportIssueCode>(
  code: C,
  params: ImportIssueParams<C>,
  reason: string,
): IssueReason {
  return { reason, code, params };
}

/**
 * Why a whole import request is refused, as a code with its parameters, for the error's
 * `details` beside its English message (clients say it in their language).
 */
export function refusal<C extends ImportFileErrorCode>(
  code: C,
  params: ImportFileErrorParams<C>,
): ImportErrorReason {
  return { reason: code, params };
}

/** A cell turned into what its column holds, or the reason it cannot be. */
export type Parsed = { ok: true; value: string | number | null } | ({ ok: false } & IssueReason);

const ok = (value: string | number | null): Parsed => ({ ok: true, value });
const bad = (why: IssueReason): Parsed => ({ ok: false, ...why });

/**
 * Text a spreadsheet would run as a formula. Imports refuse it rather than store it: exported
 * again, it would run on someone's machine.
 */
export function looksLikeFormula(text: string): boolean {
  // A minus starts one too ("-2+3+cmd|' /C calc'!A0"), unless a plain number or a space follows.
  return /^[=+@\t\r]/.test(text) || /^-(?!\s|[\d.,]+$)/.test(text);
}

/**
 * An exact decimal from text such as `1,234.50`, `¥1 234.5`, `(12.00)`, `-3`, `1.2E3`: digits
 * as a BigInt and the power of ten that divides them. Null when the text is not a number.
 */
export function parseDecimal(text: string): { digits: bigint; scale: number } | null {
  let t = text
    .normalize('NFKC')
    .trim()
    .replace(/^(RMB|CNY|USD|EUR|HKD|人民币)\s*/i, '')
    .replace(/\s*(元|RMB|CNY|USD|EUR)$/i, '')
    .replace(/^[¥$€£]\s*/, '')
    .replace(/[\s\u00a0']/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1);
  }
  if (t.startsWith('-')) {
    negative = !negative;
    t = t.slice(1);
  } else if (t.startsWith('+')) {
    t = t.slice(1);
  }
  t = t.replace(/^[¥$€£]/, '');
  // Thousands separators: commas between groups of three digits.
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replaceAll(',', '');
  const match = /^(\d+)?(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/.exec(t);
  if (!match || (match[1] === undefined && match[2] === undefined)) return null;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  let digits = BigInt(whole + fraction);
  let scale = fraction.length - Number(match[3] ?? 0);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: negative ? -digits : digits, scale };
}

/** `digits / 10^scale × factor`, rounded half away from zero to an integer. */
function scaledInteger(
  decimal: { digits: bigint; scale: number },
  factor: { digits: bigint; scale: number },
): bigint {
  const numerator = decimal.digits * factor.digits;
  const denominator = 10n ** BigInt(decimal.scale + factor.scale);
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const rounded = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -rounded : rounded;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const decimals = new Map<number, { digits: bigint; scale: number }>();

/** A mapping's scale as an exact decimal (computed once per value). */
function decimalOf(value: number): { digits: bigint; scale: number } {
  let decimal = decimals.get(value);
  if (decimal === undefined) {
    const parsed = parseDecimal(String(value));
    if (!parsed) throw new Error(`not a number: ${value}`);
    decimal = parsed;
    decimals.set(value, decimal);
  }
  return decimal;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Built-in date shapes, tried in order when the mapping gives no format. */
const DATE_PATTERNS: readonly [RegExp, (m: RegExpExecArray) => [number, number, number]][] = [
  [
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/,
    (m) => [+m[1]!, +m[2]!, +m[3]!],
  ],
  [
    /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$/,
    (m) => [+m[1]!, +m[2]!, +m[3]!],
  ],
  [/^(\d{4})\.(\d{1,2})\.(\d{1,2})$/, (m) => [+m[1]!, +m[2]!, +m[3]!]],
  [/^(\d{4})(\d{2})(\d{2})$/, (m) => [+m[1]!, +m[2]!, +m[3]!]],
  [/^(\d{4})年(\d{1,2})月(\d{1,2})日$/, (m) => [+m[1]!, +m[2]!, +m[3]!]],
];

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A date cell as 'YYYY-MM-DD', with an explicit date-fns pattern when the mapping gives one. */
export function parseDateText(text: string, format?: string): string | null {
  // The common case first: an ISO date, which no normalisation changes.
  if (format === undefined && ISO_DATE.test(text)) {
    return isoDate(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)));
  }
  const t = text.normalize('NFKC').trim();
  if (format) {
    const date = parseDate(t, format, new Date(Date.UTC(2000, 0, 1)));
    if (!isValid(date)) return null;
    return isoDate(date.getFullYear(), date.getMonth() + 1, date.getDate());
  }
  for (const [pattern, parts] of DATE_PATTERNS) {
    const match = pattern.exec(t);
    if (match) return isoDate(...parts(match));
  }
  return null;
}

function parseMonthText(text: string, format?: string): string | null {
  const t = text.normalize('NFKC').trim();
  const match =
    /^(\d{4})[-/.](\d{1,2})$/.exec(t) ??
    /^(\d{4})(\d{2})$/.exec(t) ??
    /^(\d{4})年(\d{1,2})月$/.exec(t);
  if (match) return isoDate(Number(match[1]), Number(match[2]), 1)?.slice(0, 7) ?? null;
  const date = parseDateText(t, format);
  return date === null ? null : date.slice(0, 7);
}

function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export interface ParseOptions {
  /** Digits after the decimal point of the tenant's currency (2 for CNY). */
  minorUnits: number;
  dateFormat?: string | undefined;
  scale?: number | undefined;
}

/**
 * Turn one cell into the value of its field: text trimmed and refused when it looks like a
 * formula; numbers exact (money to minor units, rounded half away from zero); dates to ISO;
 * enums checked. An empty cell gives the field's fallback or null, or an error when required.
 */
export function parseCell(spec: FieldSpec, raw: string | null, options: ParseOptions): Parsed {
  const text = raw === null ? '' : raw.trim();
  if (text === '') {
    if (spec.required) {
      return bad(because('required', { field: spec.field }, `${spec.field} is required`));
    }
    return ok(spec.fallback ?? null);
  }
  // Whatever the field's type: the cell's bytes did not decode, or it is a formula (an XLSX
  // formula cell reads as "=…"), rather than "is not a number".
  if (text.includes('\uFFFD')) {
    return bad(
      because(
        'bad_encoding',
        {},
        "holds bytes that are not valid in the file's encoding (a row saved in another encoding, e.g. GBK in a UTF-8 file?)",
      ),
    );
  }
  if (text.startsWith('=') || (spec.type === 'text' && looksLikeFormula(text))) {
    const start = text[0] === '\t' ? '\\t' : text[0]!;
    const cell = text.startsWith('=');
    return bad(
      because(
        cell ? 'formula' : 'formula_prefix',
        { start },
        `looks like a spreadsheet formula (it starts with "${start}"); Tierline stores no formulas: ${cell ? 'paste the values instead' : 'remove the leading character'}`,
      ),
    );
  }
  switch (spec.type) {
    case 'text': {
      // Code points: counted only when the UTF-16 length could exceed the limit.
      if (
        spec.maxLength !== undefined &&
        text.length > spec.maxLength &&
        [...text].length > spec.maxLength
      ) {
        const max = spec.maxLength;
        return bad(because('too_long', { max }, `is longer than ${max} characters`));
      }
      if (hasControlOrReplacement(text)) {
        return bad(
          because(
            'control_characters',
            {},
            'holds control characters (a binary file, or the wrong encoding?)',
          ),
        );
      }
      return ok(text);
    }
    case 'tags': {
      const tags = text
        .split(/[;,，；]/)
        .map((t) => t.trim())
        .filter((t) => t !== '');
      if (tags.some(looksLikeFormula)) {
        return bad(because('tag_formula', {}, 'a tag looks like a spreadsheet formula'));
      }
      if (tags.some((t) => t.length > 64)) {
        return bad(because('tag_too_long', { max: 64 }, 'a tag is longer than 64 characters'));
      }
      return ok(JSON.stringify([...new Set(tags)]));
    }
    case 'enum': {
      const value = text.toLowerCase();
      if (!spec.values?.includes(value)) {
        const choices = spec.values?.join(', ') ?? '';
        return bad(
          because(
            'not_a_choice',
            { choices, value: cut(text) },
            `must be one of ${choices}, not "${cut(text)}"`,
          ),
        );
      }
      return ok(value);
    }
    case 'int':
    case 'decimal':
    case 'money':
      return plainNumberCell(spec, text, options) ?? exactNumberCell(spec, text, options);
    case 'date': {
      const date = parseDateText(text, options.dateFormat);
      if (date === null) {
        const format = options.dateFormat;
        return bad(
          format
            ? because(
                'not_a_date_in_format',
                { value: cut(text), format },
                `is not a date: "${cut(text)}" (expected ${format})`,
              )
            : because(
                'not_a_date',
                { value: cut(text) },
                `is not a date: "${cut(text)}" (use YYYY-MM-DD, or give dateFormat in the mapping)`,
              ),
        );
      }
      return ok(date);
    }
    case 'month': {
      const month = parseMonthText(text, options.dateFormat);
      if (month === null) {
        return bad(
          because(
            'not_a_month',
            { value: cut(text) },
            `is not a month: "${cut(text)}" (use YYYY-MM)`,
          ),
        );
      }
      return ok(`${month}-01`);
    }
  }
}

/**
 * A number cell by exact decimal arithmetic (BigInt): every form {@link parseDecimal} reads, any
 * scale, money to minor units rounded half away from zero, then the field's range.
 */
export function exactNumberCell(spec: FieldSpec, text: string, options: ParseOptions): Parsed {
  const decimal = parseDecimal(text);
  if (!decimal) {
    return bad(because('not_a_number', { value: cut(text) }, `is not a number: "${cut(text)}"`));
  }
  const factor = decimalOf(options.scale ?? 1);
  const outOfRange = because('out_of_range', { value: cut(text) }, 'is out of range');
  if (spec.type === 'decimal') {
    const value = Number(scaledIntegerText(decimal, factor));
    if (!Number.isFinite(value)) return bad(outOfRange);
    return rangeCheck(spec, value, text);
  }
  const integer =
    spec.type === 'money'
      ? scaledInteger(decimal, {
          digits: factor.digits * 10n ** BigInt(options.minorUnits),
          scale: factor.scale,
        })
      : scaledInteger(decimal, factor);
  if (
    spec.type === 'int' &&
    decimal.scale > 0 &&
    decimal.digits % 10n ** BigInt(decimal.scale) !== 0n &&
    factor.digits === 1n
  ) {
    return bad(
      because('not_whole', { value: cut(text) }, `must be a whole number, not "${cut(text)}"`),
    );
  }
  if (integer > MAX_SAFE || integer < -MAX_SAFE) return bad(outOfRange);
  return integerInRange(spec, Number(integer), text, options);
}

const PLAIN_NUMBER = /^(-?)(\d+)(?:\.(\d+))?$/;
/** Digits that a double holds exactly, with room to spare (2^53 ≈ 9.007 × 10^15). */
const PLAIN_DIGITS = 15;

/**
 * The common case of a number cell, in double arithmetic that is exact for it: a whole or
 * decimal number written plainly (`12`, `-3`, `12.345`; no sign `+`, separators, currency or
 * exponent), in an int or money field without a mapping scale, with at most 15 digits in all
 * (counting the currency's minor units). Gives what {@link exactNumberCell} gives (a property
 * test holds them equal), or null for any other cell, which then goes the exact way.
 */
export function plainNumberCell(
  spec: FieldSpec,
  text: string,
  options: ParseOptions,
): Parsed | null {
  if (spec.type === 'decimal' || (options.scale !== undefined && options.scale !== 1)) return null;
  const match = PLAIN_NUMBER.exec(text);
  if (match === null) return null;
  const whole = match[2]!;
  const fraction = match[3] ?? '';
  const minor = spec.type === 'money' ? options.minorUnits : 0;
  if (whole.length + fraction.length + minor > PLAIN_DIGITS) return null;
  const digits = Number(whole + fraction);
  const scale = fraction.length;
  let integer: number;
  if (spec.type === 'int') {
    const unit = 10 ** scale;
    if (digits % unit !== 0) {
      return bad(
        because('not_whole', { value: cut(text) }, `must be a whole number, not "${cut(text)}"`),
      );
    }
    integer = digits / unit;
  } else if (scale <= minor) {
    integer = digits * 10 ** (minor - scale);
  } else {
    // Rounded half away from zero (the sign comes after): q remainder r of digits ÷ unit.
    const unit = 10 ** (scale - minor);
    let q = Math.floor(digits / unit);
    let r = digits - q * unit;
    if (r < 0) {
      q -= 1;
      r += unit;
    } else if (r >= unit) {
      q += 1;
      r -= unit;
    }
    integer = 2 * r >= unit ? q + 1 : q;
  }
  if (match[1] === '-' && integer !== 0) integer = -integer;
  return integerInRange(spec, integer, text, options);
}

/** A whole number (minor units for money) checked against the field's range. */
function integerInRange(
  spec: FieldSpec,
  value: number,
  text: string,
  options: ParseOptions,
): Parsed {
  const shown = spec.type === 'money' ? value / 10 ** options.minorUnits : value;
  if (spec.min !== undefined && shown < spec.min) {
    return bad(
      spec.min === 0
        ? because('negative', { value: cut(text) }, 'must not be negative')
        : because('below_min', { min: spec.min, value: cut(text) }, `must be at least ${spec.min}`),
    );
  }
  if (spec.max !== undefined && shown > spec.max) {
    return bad(
      because('above_max', { max: spec.max, value: cut(text) }, `must be at most ${spec.max}`),
    );
  }
  return ok(value);
}

function scaledIntegerText(
  decimal: { digits: bigint; scale: number },
  factor: { digits: bigint; scale: number },
): string {
  const digits = decimal.digits * factor.digits;
  const scale = decimal.scale + factor.scale;
  if (scale === 0) return digits.toString();
  const negative = digits < 0n;
  const abs = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${abs.slice(0, -scale)}.${abs.slice(-scale)}`;
}

function rangeCheck(spec: FieldSpec, value: number, text: string): Parsed {
  if (spec.min !== undefined && value < spec.min) {
    return bad(
      because(
        'below_min',
        { min: spec.min, value: cut(text) },
        `must be at least ${spec.min}, not "${cut(text)}"`,
      ),
    );
  }
  if (spec.max !== undefined && value > spec.max) {
    return bad(
      because(
        'above_max',
        { max: spec.max, value: cut(text) },
        `must be at most ${spec.max}, not "${cut(text)}"`,
      ),
    );
  }
  return ok(value);
}

/** C0 control characters other than tab and line breaks, or U+FFFD (bytes that did not decode). */
function hasControlOrReplacement(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffd) {
      return true;
    }
  }
  return false;
}
