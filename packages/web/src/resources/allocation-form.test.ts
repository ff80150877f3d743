import { describe, expect, it } from 'vitest';
import type { TierDefinition } from '@tierline/contract';
import {
  defaultTierRows,
  formToRequest,
  parseAmount,
  shareSum,
  tierMove,
  type AllocationForm,
} from './allocation-form';

const tiers = (codes: string[]): TierDefinition[] =>
  codes.map((code) => ({ code, name: code, color: '#000000' }));

function form(patch: Partial<AllocationForm> = {}): AllocationForm {
  return {
    period: '2026-10',
    purpose: 'general',
    pool: '1,000,000',
    claimDeadline: null,
    name: '',
    tiers: defaultTierRows(tiers(['strategic', 'core', 'potential', 'basic'])),
    probationFactor: '',
    missedPeriods: '',
    missedFactor: '',
    whenTierFull: 'redistribute',
    ...patch,
  };
}

describe('the new-allocation form', () => {
  it('reads amounts in yuan exactly', () => {
    expect(parseAmount('1,000,000.50', 2)).toBe(100_000_050);
    expect(parseAmount('¥ 0.07', 2)).toBe(7);
    expect(parseAmount('1.001', 2)).toBeNull();
    expect(parseAmount('-1', 2)).toBeNull();
    expect(parseAmount('1e6', 2)).toBeNull();
  });

  it('suggests 40/30/20/10 for four tiers and equal shares otherwise, adding up to 100', () => {
    expect(defaultTierRows(tiers(['a', 'b', 'c', 'd'])).map((r) => r.share)).toEqual([
      '40',
      '30',
      '20',
      '10',
    ]);
    const three = defaultTierRows(tiers(['a', 'b', 'c']));
    expect(three.map((r) => r.share)).toEqual(['33.34', '33.33', '33.33']);
    expect(shareSum(three)).toBe(100);
    expect(shareSum([{ share: '33.33' }, { share: '33.33' }, { share: '33.33' }])).toBe(99.99);
    expect(shareSum([{ share: 'x' }])).toBeNull();
  });

  it('makes the API request: minor units, percent shares, adjustments', () => {
    const result = formToRequest(
      form({
        tiers: form().tiers.map((r, i) => (i === 0 ? { ...r, cap: '200000', floor: '1000' } : r)),
        probationFactor: '0.5',
        missedPeriods: '3',
        missedFactor: '0.5',
        name: ' 十月 ',
      }),
      2,
    );
    expect(result.problems).toEqual([]);
    expect(result.request).toEqual({
      period: '2026-10',
      pool: 100_000_000,
      purpose: 'general',
      name: '十月',
      config: {
        shareUnit: 'percent',
        tiers: [
          { tier: 'strategic', share: 40, rule: 'sales', floor: 100_000, cap: 20_000_000 },
          { tier: 'core', share: 30, rule: 'sales' },
          { tier: 'potential', share: 20, rule: 'sales' },
          { tier: 'basic', share: 10, rule: 'sales' },
        ],
        adjustments: { probationFactor: 0.5, missedTarget: { periods: 3, factor: 0.5 } },
        whenTierFull: 'redistribute',
      },
    });
  });

  it('names each problem by its field', () => {
    const rows = form().tiers;
    const result = formToRequest(
      form({
        period: '2026-13',
        pool: '1.001',
        purpose: 'market_fund',
        tiers: [
          { ...rows[0]!, share: '35', floor: '10', cap: '5' },
          { ...rows[1]!, share: 'abc' },
          { ...rows[2]!, cap: '-1' },
          rows[3]!,
        ],
        probationFactor: '2',
        missedPeriods: '0',
        missedFactor: '0.5',
      }),
      2,
    );
    expect(result.request).toBeNull();
    expect(result.problems.map((p) => `${p.field}:${p.problem}`)).toEqual([
      'period:period',
      'pool:pool',
      'claimDeadline:claimDeadline',
      'tiers.0.cap:capBelowFloor',
      'tiers.1.share:share',
      'tiers.2.cap:amount',
      'probationFactor:factor',
      'missedPeriods:periods',
    ]);
    const sum = formToRequest(
      form({ tiers: rows.map((r, i) => (i === 3 ? { ...r, share: '5' } : r)) }),
      2,
    );
    expect(sum.problems).toEqual([{ field: 'tiers', problem: 'shareSum' }]);
  });

  it('tells a move between tiers, best first', () => {
    const order = ['strategic', 'core', 'basic'];
    expect(tierMove(order, null, 'core')).toBe('new');
    expect(tierMove(order, 'core', 'strategic')).toBe('up');
    expect(tierMove(order, 'core', 'basic')).toBe('down');
    expect(tierMove(order, 'core', 'core')).toBe('same');
  });
});
