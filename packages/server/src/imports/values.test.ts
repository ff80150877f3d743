import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KINDS, type FieldSpec } from './kinds.js';
import { exactNumberCell, parseCell, parseDateText, plainNumberCell } from './values.js';

const spec = (kind: keyof typeof KINDS, field: string): FieldSpec =>
  KINDS[kind].fields.find((f) => f.field === field)!;

describe('the plain-number fast path gives what exact decimal arithmetic gives', () => {
  // Whole-number and money fields with and without ranges: quantity (±1,000,000), line_no
  // (1–100,000), severity (1–3), amounts (not negative).
  const fields = [
    spec('order_lines', 'quantity'),
    spec('order_lines', 'line_no'),
    spec('order_lines', 'unit_price'),
    spec('order_lines', 'amount'),
    spec('complaints', 'severity'),
    spec('payments', 'amount'),
  ];
  const digits = (max: number) =>
    fc.array(fc.constantFrom(...'0123456789'), { maxLength: max }).map((d) => d.join(''));
  const plain = fc
    .tuple(fc.boolean(), digits(18), fc.option(digits(18), { nil: undefined }))
    .map(
      ([minus, whole, fraction]) =>
        `${minus ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`,
    );

  it('for any plainly written number, field and currency', () => {
    let fast = 0;
    fc.assert(
      fc.property(
        plain,
        fc.constantFrom(...fields),
        fc.constantFrom(0, 2, 3),
        fc.constantFrom(undefined, 1),
        (text, field, minorUnits, scale) => {
          const options = { minorUnits, scale };
          const quick = plainNumberCell(field, text, options);
          if (quick !== null) {
            fast++;
            expect(quick).toEqual(exactNumberCell(field, text, options));
          }
        },
      ),
      { numRuns: 20_000 },
    );
    expect(fast).toBeGreaterThan(5_000);
  });

  it.each([
    ['12.345', 'unit_price', 2, 1235],
    ['-0.005', 'quantity', 2, null],
    ['0.005', 'unit_price', 2, 1],
    ['0.004', 'unit_price', 2, 0],
    ['-0', 'quantity', 2, 0],
    ['2.50', 'quantity', 2, null],
    ['2.00', 'quantity', 2, 2],
    ['999999999999.99', 'amount', 2, 99999999999999],
  ] as const)('%s in %s', (text, field, minorUnits, value) => {
    const parsed = parseCell(spec('order_lines', field), text, { minorUnits });
    expect(parsed).toEqual(exactNumberCell(spec('order_lines', field), text, { minorUnits }));
    if (value === null) expect(parsed.ok).toBe(false);
    else expect(parsed).toEqual({ ok: true, value });
  });

  it('leaves other forms, mapping scales and decimal fields to the exact path', () => {
    const quantity = spec('order_lines', 'quantity');
    for (const text of ['+3', '1,234', '1e3', '.5', '5.', '¥12', '(12)', '1 234']) {
      expect(plainNumberCell(quantity, text, { minorUnits: 2 })).toBeNull();
    }
    expect(plainNumberCell(quantity, '12', { minorUnits: 2, scale: 10000 })).toBeNull();
    expect(
      plainNumberCell(spec('order_lines', 'amount'), '1234567890123.5', { minorUnits: 2 }),
    ).toBeNull();
  });
});

describe('ISO dates', () => {
  it('are checked against the calendar like any other date', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1890, max: 2210 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, day) => {
          const pad = (n: number, w: number) => String(n).padStart(w, '0');
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          const date = new Date(Date.UTC(year, month - 1, day));
          const valid =
            year >= 1900 &&
            year <= 2200 &&
            month >= 1 &&
            month <= 12 &&
            day >= 1 &&
            date.getUTCMonth() === month - 1 &&
            date.getUTCDate() === day;
          expect(parseDateText(text)).toBe(valid ? text : null);
          // The same date in another built-in shape reads the same.
          expect(parseDateText(`${year}/${month}/${day}`)).toBe(valid ? text : null);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
