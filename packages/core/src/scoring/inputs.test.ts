import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeInputs, encodeInputs, inputsDigest, type RecordedInputs } from './inputs.js';
import { assess, assessValues, metricValues, type MeasureColumns } from './assess.js';
import { parsePeriod } from './period.js';
import { resolvePolicy } from './resolve.js';
import { defaultPolicy } from './templates.js';

function sample(values: number[][]): RecordedInputs {
  const n = values[0]?.length ?? 0;
  return {
    period: parsePeriod('2025-06'),
    dealerIds: Array.from({ length: n }, (_, i) => 101 + i),
    values: new Map(values.map((column, j) => [`m${j}`, Float64Array.from(column)])),
    previous: new Map([
      [102, { tier: 'core', standing: 'at_risk', periodsBelow: 1, periodsAtBottom: 0 }],
      [101, { tier: 'basic', standing: 'good', periodsBelow: 0, periodsAtBottom: 2 }],
    ]),
    overrides: new Map([[101, { kind: 'lock', tier: 'core', reason: '战略合作', until: null }]]),
  };
}

describe('recorded inputs', () => {
  it('round-trip exactly, NaN and -0 included, and give one digest for one content', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double(), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (columns) => {
          const inputs = sample(columns);
          const bytes = encodeInputs(inputs);
          const back = decodeInputs(bytes);
          expect(back.dealerIds).toEqual(inputs.dealerIds);
          expect([...back.values.keys()]).toEqual([...inputs.values.keys()]);
          for (const [k, column] of inputs.values) expect(back.values.get(k)).toEqual(column);
          expect([...back.previous.entries()].sort()).toEqual(
            [...inputs.previous.entries()].sort(),
          );
          expect(back.overrides).toEqual(inputs.overrides);
          expect(inputsDigest(encodeInputs(back))).toBe(inputsDigest(bytes));
        },
      ),
    );
  });

  it('write every NaN the same way, so that equal inputs always hash alike', () => {
    const a = sample([[Number.NaN, 1, 2]]);
    const b = sample([[0 / 0, 1, 2]]);
    const quiet = new Float64Array(new BigUint64Array([0x7ff8000000000001n]).buffer)[0]!;
    const c = sample([[quiet, 1, 2]]);
    expect(inputsDigest(encodeInputs(a))).toBe(inputsDigest(encodeInputs(b)));
    expect(inputsDigest(encodeInputs(a))).toBe(inputsDigest(encodeInputs(c)));
    expect(inputsDigest(encodeInputs(a))).not.toBe(inputsDigest(encodeInputs(sample([[0, 1, 2]]))));
  });

  it('refuse anything that is not an encoding of version 1', () => {
    const bytes = encodeInputs(sample([[1, 2, 3]]));
    expect(() => decodeInputs(new TextEncoder().encode('hello'))).toThrow(/tierline-inputs\/1/);
    expect(() => decodeInputs(bytes.subarray(0, bytes.length - 1))).toThrow(/length the header/);
    const header = bytes.slice();
    header[header.length - 8 * 6 - 3] = 0x7b; // a byte of the header's JSON
    expect(() => decodeInputs(header)).toThrow(/malformed/);
  });

  it('decide exactly as the engine did: assess = assessValues over the recorded values', () => {
    const resolved = resolvePolicy(defaultPolicy('2025-01'));
    const period = parsePeriod('2025-06');
    const n = 40;
    const frames = new Map<number, MeasureColumns>();
    for (let lag = 0; lag < 16; lag++) {
      const columns = new Map<string, Float64Array>();
      for (const m of [
        'sales_amount',
        'target_amount',
        'invoice_amount',
        'payment_amount',
        'receivable_days',
        'active_outlets',
        'outlets',
        'sku_count',
        'new_product_amount',
        'complaint_count',
        'compliance_score',
        'near_expiry_value',
        'inventory_value',
        'campaign_tasks_done',
        'campaign_tasks',
        'order_count',
      ]) {
        columns.set(
          m,
          Float64Array.from(
            { length: n },
            (_, d) => ((d * 7919 + lag * 104729 + m.length * 13) % 1000) + 1,
          ),
        );
      }
      frames.set(lag, columns);
    }
    const input = {
      policy: resolved,
      period,
      dealerIds: Array.from({ length: n }, (_, i) => i + 1),
      frames,
      previous: new Map(),
      overrides: new Map(),
    };
    const direct = assess(input);
    const recorded = decodeInputs(encodeInputs({ ...input, values: metricValues(input) }));
    const replayed = assessValues({ ...recorded, policy: resolved });
    expect(replayed.decisions).toEqual(direct.decisions);
  });
});
