import { describe, expect, test } from 'vitest';
import {
  changeKind,
  formDoc,
  isMoneyField,
  paramFields,
  RULE_KINDS,
  setParam,
  toMinor,
  toYuan,
  visibleFields,
} from './rule-form-model';

describe('rule form model', () => {
  test('reads every kind and its parameters from the contract', () => {
    expect(RULE_KINDS).toEqual([
      'missed_target',
      'decline',
      'threshold',
      'anomaly',
      'licence_expiry',
      'near_expiry_inventory',
      'stockout_risk',
      'collection_overdue',
    ]);
    const decline = paramFields('decline');
    expect(decline.map((f) => f.key)).toEqual([
      'measure',
      'percent',
      'periods',
      'compare',
      'window',
      'baseline',
      'swing',
      'seasonal',
    ]);
    expect(decline.find((f) => f.key === 'percent')).toMatchObject({
      type: 'number',
      min: 1,
      max: 100,
      optional: false,
    });
    expect(decline.find((f) => f.key === 'periods')).toMatchObject({
      type: 'integer',
      min: 1,
      max: 12,
      optional: true,
      defaultValue: 2,
    });
    expect(decline.find((f) => f.key === 'compare')).toMatchObject({
      type: 'enum',
      options: ['mom', 'yoy', 'baseline'],
    });
    expect(decline.find((f) => f.key === 'measure')?.type).toBe('measure');
    expect(decline.find((f) => f.key === 'seasonal')?.type).toBe('boolean');
    expect(paramFields('collection_overdue').find((f) => f.key === 'minAmount')?.money).toBe(true);
    expect(paramFields('nonsense')).toEqual([]);
  });

  test('shows a decline the fields of its comparison, and switching drops the others', () => {
    const keys = (params: Record<string, unknown>) =>
      visibleFields('decline', params).map((f) => f.key);
    expect(keys({ compare: 'mom' })).toContain('window');
    expect(keys({ compare: 'mom' })).not.toContain('swing');
    expect(keys({ compare: 'baseline' })).toEqual(expect.arrayContaining(['baseline', 'swing']));
    expect(keys({ compare: 'baseline' })).not.toContain('window');
    const doc = {
      kind: 'decline',
      params: { compare: 'baseline', window: 1, baseline: 6, swing: 1, percent: 20 },
    };
    expect(setParam(doc, 'compare', 'mom').params).toEqual({
      compare: 'mom',
      window: 1,
      percent: 20,
    });
    expect(
      setParam({ kind: 'decline', params: { window: 3 } }, 'compare', 'baseline').params,
    ).toEqual({ window: 1, compare: 'baseline' });
    expect(setParam(doc, 'swing', undefined).params).not.toHaveProperty('swing');
  });

  test('a new kind takes the default rule of that kind, else the schema defaults', () => {
    const templates = [
      { kind: 'anomaly', params: { k: 2, periods: 2, baseline: 12, minDrop: 30 } },
    ];
    const doc = { code: 'x', kind: 'decline', params: { percent: 20 } };
    expect(changeKind(doc, 'anomaly', templates)).toEqual({
      code: 'x',
      kind: 'anomaly',
      params: { k: 2, periods: 2, baseline: 12, minDrop: 30 },
    });
    expect(changeKind(doc, 'collection_overdue', templates).params).toEqual({});
    expect(changeKind(doc, 'missed_target', templates).params).toEqual({
      periods: 3,
      below: 0.85,
      overall: 0.85,
      seasonal: true,
    });
  });

  test('only an object of a known kind can be edited in the form', () => {
    expect(formDoc({ kind: 'decline', params: {} })).not.toBeNull();
    expect(formDoc({ kind: 'decline' })).not.toBeNull();
    expect(formDoc({ kind: 'weather' })).toBeNull();
    expect(formDoc([1, 2])).toBeNull();
    expect(formDoc('text')).toBeNull();
    expect(formDoc({ kind: 'decline', params: 3 })).toBeNull();
  });

  test('money in yuan on the form, minor units in the document', () => {
    const unit = (key: string) => (key === 'sales_amount' ? 'money' : 'ratio');
    const value = paramFields('threshold').find((f) => f.key === 'value')!;
    expect(isMoneyField(value, { measure: 'sales_amount' }, unit)).toBe(true);
    expect(isMoneyField(value, { measure: 'collection_ratio' }, unit)).toBe(false);
    expect(toYuan(1_000_000)).toBe(10_000);
    expect(toMinor(10_000.004)).toBe(1_000_000);
    expect(toMinor(0.015)).toBe(2);
  });
});
