import { cycleOfPeriod, shiftPeriod } from '../tiering/periods';

/**
 * The range the ROI panel opens on for an allocation's period: the twelve months up to it for a
 * month, else the periods of the year before it up to it (2026-Q3 → 2025-Q3 … 2026-Q3).
 */
export function roiRange(period: string): { from: string; to: string } {
  const cycle = cycleOfPeriod(period);
  if (cycle === null) return { from: period, to: period };
  const back = { monthly: 11, quarterly: 4, semiannual: 2, annual: 1 }[cycle];
  return { from: shiftPeriod(period, -back), to: period };
}
