import { describe, expect, it } from 'vitest';
import { basisPointsText, cellMessages, parseCell, toDraft } from './benefit-values';

describe('benefit cells', () => {
  it('reads basis points as a percentage with up to two decimals, at most 100 %', () => {
    expect(parseCell('basis_points', '1.5', 2)).toEqual({ value: 150 });
    expect(parseCell('basis_points', '15%', 2)).toEqual({ value: 1500 });
    expect(parseCell('basis_points', '0.01', 2)).toEqual({ value: 1 });
    expect(parseCell('basis_points', '0.001', 2)).toEqual({ problem: 'percent' });
    expect(parseCell('basis_points', '100.01', 2)).toEqual({ problem: 'percent' });
    expect(parseCell('basis_points', '-1', 2)).toEqual({ problem: 'percent' });
  });

  it('reads money in major units exactly, and counts as whole numbers', () => {
    expect(parseCell('money', '500,000', 2)).toEqual({ value: 50_000_000 });
    expect(parseCell('money', '0.07', 2)).toEqual({ value: 7 });
    expect(parseCell('money', '1.005', 2)).toEqual({ problem: 'money' });
    expect(parseCell('count', '2', 2)).toEqual({ value: 2 });
    expect(parseCell('count', '2.5', 2)).toEqual({ problem: 'count' });
  });

  it('keeps labels and texts, flags as yes/no, and an empty cell as no value', () => {
    expect(parseCell('level', ' A ', 2)).toEqual({ value: 'A' });
    expect(parseCell('level', 'x'.repeat(41), 2)).toEqual({ problem: 'label' });
    expect(parseCell('text', '每季度一次', 2)).toEqual({ value: '每季度一次' });
    expect(parseCell('flag', true, 2)).toEqual({ value: true });
    expect(parseCell('flag', null, 2)).toEqual({ value: null });
    expect(parseCell('money', '  ', 2)).toEqual({ value: null });
  });

  it('starts an edit from the stored value, and round-trips it', () => {
    expect(toDraft('basis_points', 150, 2)).toBe('1.5');
    expect(toDraft('basis_points', 1500, 2)).toBe('15');
    expect(toDraft('money', 50_000_050, 2)).toBe('500000.5');
    expect(toDraft('flag', undefined, 2)).toBeNull();
    expect(toDraft('count', undefined, 2)).toBe('');
    for (const [unit, value] of [
      ['basis_points', 1234],
      ['money', 123_456_789],
      ['count', 3],
      ['level', 'B'],
      ['flag', false],
    ] as const) {
      expect(parseCell(unit, toDraft(unit, value, 2), 2)).toEqual({ value });
    }
    expect(basisPointsText(150)).toBe('1.5%');
    expect(basisPointsText(1500)).toBe('15%');
  });

  it("maps the server's problems to their cells", () => {
    const messages = cellMessages({
      issues: [
        { path: 'values.rebate_rate.gold', message: 'gold is not a tier' },
        { path: 'values.nothing', message: 'no such benefit' },
        { path: 'values.rebate_rate.gold', message: 'a second one' },
      ],
    });
    expect([...messages]).toEqual([
      ['rebate_rate.gold', 'gold is not a tier'],
      ['nothing', 'no such benefit'],
    ]);
    expect(cellMessages(undefined).size).toBe(0);
  });
});
