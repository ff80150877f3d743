import { describe, expect, it } from 'vitest';
import {
  bracketsToRows,
  currentPeriod,
  isPeriodOfKind,
  issueKind,
  issueTarget,
  laddersOf,
  nextRow,
  percentText,
  progressToNext,
  rowsToBrackets,
  scaleDecimal,
  unscaleDecimal,
} from './rebate-ladder';

const messages = { notNumber: 'not a number', tooPrecise: 'too precise' };

describe('decimal text to whole units, exactly', () => {
  it.each([
    ['12.5', 2, 1250],
    ['0.07', 2, 7],
    ['2.55', 2, 255],
    ['1,000,000.01', 2, 100000001],
    ['-100', 2, -10000],
    ['3', 0, 3],
  ])('%s with %d digits is %d', (text, digits, value) => {
    expect(scaleDecimal(text, digits)).toBe(value);
  });

  it('refuses what is not a decimal or has more digits than the unit', () => {
    expect(scaleDecimal('1.234', 2)).toBeNull();
    expect(scaleDecimal('abc', 2)).toBeNull();
    expect(scaleDecimal('', 2)).toBeNull();
    expect(scaleDecimal('1e5', 2)).toBeNull();
  });

  it('writes whole units back as the shortest decimal', () => {
    expect(unscaleDecimal(1250, 2)).toBe('12.5');
    expect(unscaleDecimal(100000000, 2)).toBe('1000000');
    expect(unscaleDecimal(7, 2)).toBe('0.07');
    expect(percentText(250)).toBe('2.5');
    expect(percentText(10000)).toBe('100');
  });
});

describe('the ladder editor', () => {
  const brackets = [
    { from: 0, to: 100_000_000, rateBasisPoints: 200 },
    { from: 100_000_000, to: null, rateBasisPoints: 250 },
  ];

  it('shows sales brackets in yuan and rates in percent, and reads them back exactly', () => {
    const rows = bracketsToRows(brackets, 'sales', 2);
    expect(rows).toEqual([
      { from: '0', to: '1000000', rate: '2' },
      { from: '1000000', to: '', rate: '2.5' },
    ]);
    expect(rowsToBrackets(rows, 'sales', 2, messages)).toEqual({ brackets, problems: [] });
  });

  it('keeps growth bounds in percent', () => {
    const growth = [
      { from: -100, to: 10, rateBasisPoints: 0 },
      { from: 10, to: null, rateBasisPoints: 150 },
    ];
    const rows = bracketsToRows(growth, 'growth', 2);
    expect(rows[1]).toEqual({ from: '10', to: '', rate: '1.5' });
    expect(rowsToBrackets(rows, 'growth', 2, messages).brackets).toEqual(growth);
  });

  it('marks the cells that are not numbers, on their row', () => {
    const { problems } = rowsToBrackets(
      [
        { from: '0', to: 'ten', rate: '2' },
        { from: '10', to: '', rate: '2.125' },
      ],
      'sales',
      2,
      messages,
    );
    expect(problems).toEqual([
      { row: 0, field: 'to', message: 'not a number' },
      { row: 1, field: 'rate', message: 'too precise' },
    ]);
  });

  it('puts each server issue on its ladder, row and field', () => {
    expect(issueTarget('ladders.tiers.core[1].from')).toEqual({
      ladder: 'core',
      row: 1,
      field: 'from',
    });
    expect(issueTarget('ladders.default[0].rateBasisPoints')).toEqual({
      ladder: 'default',
      row: 0,
      field: 'rate',
    });
    expect(issueTarget('ladders.tiers.strategic')).toEqual({
      ladder: 'strategic',
      row: null,
      field: null,
    });
    expect(issueTarget('ladders')).toEqual({ ladder: null, row: null, field: null });
    expect(issueTarget('code')).toEqual({ ladder: null, row: null, field: null });
  });

  it('tells what each of core’s ladder issues is about', () => {
    expect(issueKind('A ladder needs at least one bracket.')).toBe('empty');
    expect(issueKind('A sales bound is a whole number of minor units, 0 or more.')).toBe('bound');
    expect(issueKind('A growth bound is a percentage, −100 or more (10 = +10 %).')).toBe('bound');
    expect(issueKind('Bracket 0 ends at 100, not above where it starts (100).')).toBe('toNotAbove');
    expect(issueKind('Brackets 1 and 2 are out of order: bracket 2 starts at 100')).toBe('order');
    expect(issueKind('Brackets 0 and 1 overlap: bracket 0 runs to 100')).toBe('overlap');
    expect(issueKind('There is a gap between brackets 0 and 1: bracket 0 ends')).toBe('gap');
    expect(issueKind('The last bracket must be open-ended (to: null) so that')).toBe('lastOpen');
    expect(issueKind('The rate of bracket 0 must be between 0 and 10,000 basis points')).toBe(
      'rate',
    );
    expect(issueKind('Something new')).toBe('other');
  });

  it('assembles the ladders of a program, leaving out tiers without one', () => {
    expect(laddersOf({ default: null, strategic: brackets, core: null })).toEqual({
      default: null,
      tiers: { strategic: brackets },
    });
    expect(laddersOf({ default: brackets })).toEqual({ default: brackets, tiers: {} });
  });

  it('starts a new row where the last one ends', () => {
    expect(nextRow([])).toEqual({ from: '0', to: '', rate: '' });
    expect(nextRow([{ from: '0', to: '5000', rate: '1' }])).toEqual({
      from: '5000',
      to: '',
      rate: '',
    });
  });
});

describe('progress to the next bracket', () => {
  const at = (projectedSales: number, salesFrom: number | null, salesNeeded: number | null) => ({
    projectedSales,
    projected: { amount: 0, bracket: salesFrom === null ? null : 0, rateBasisPoints: 0, salesFrom },
    next:
      salesNeeded === null
        ? null
        : {
            bracket: 1,
            from: salesNeeded,
            rateBasisPoints: 0,
            salesNeeded,
            shortfall: salesNeeded - projectedSales,
            rebateAtNext: 0,
            extraRebate: 0,
          },
  });

  it('measures from the start of the current bracket', () => {
    expect(progressToNext(at(3_750_000, 0, 5_000_000))).toBe(0.75);
    expect(progressToNext(at(6_000_000, 5_000_000, 9_000_000))).toBe(0.25);
  });

  it('is full at the top bracket and counts from 0 below the first', () => {
    expect(progressToNext(at(9_000_000, 5_000_000, null))).toBe(1);
    expect(progressToNext(at(500, null, 1000))).toBe(0.5);
    expect(progressToNext(at(-200, null, 1000))).toBe(0);
  });
});

describe('rebate periods', () => {
  it('opens on the period of the program’s kind that holds the latest month', () => {
    expect(currentPeriod('quarterly', '2025-08')).toBe('2025-Q3');
    expect(currentPeriod('half_year', '2025-08')).toBe('2025-H2');
    expect(currentPeriod('annual', '2025-08')).toBe('2025');
    expect(currentPeriod('monthly', '2025-08')).toBe('2025-08');
  });

  it('tells a period of the program’s kind from one of another', () => {
    expect(isPeriodOfKind('quarterly', '2025-Q3')).toBe(true);
    expect(isPeriodOfKind('quarterly', '2025-08')).toBe(false);
    expect(isPeriodOfKind('half_year', '2025-H1')).toBe(true);
    expect(isPeriodOfKind('annual', '2025')).toBe(true);
  });
});
