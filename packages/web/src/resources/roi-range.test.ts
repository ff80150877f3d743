import { describe, expect, it } from 'vitest';
import { roiRange } from './roi-range';

describe('the ROI range of an allocation', () => {
  it('covers the year up to the period', () => {
    expect(roiRange('2026-03')).toEqual({ from: '2025-04', to: '2026-03' });
    expect(roiRange('2026-Q3')).toEqual({ from: '2025-Q3', to: '2026-Q3' });
    expect(roiRange('2026-H1')).toEqual({ from: '2025-H1', to: '2026-H1' });
    expect(roiRange('2026')).toEqual({ from: '2025', to: '2026' });
  });
});
