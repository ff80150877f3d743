/**
 * The deterministic demo channel (issue #2, item 4): a pure generator of master data and
 * fact streams for a fictional Chinese FMCG manufacturer. No IO, no clock, no global
 * randomness: everything comes from the options and the seed.
 */
import { springFestivalSeason } from './calendar.js';

export { createDemoChannel, type DemoChannel, type DemoStream } from './channel.js';
export { springFestivalDate } from './calendar.js';
export { CATEGORIES as DEMO_CATEGORIES, MANUFACTURER as DEMO_MANUFACTURER } from './catalogue.js';
export { COMPLAINT_TOPICS, type ComplaintTopic } from './complaint-texts.js';
export { validateOptions as validateDemoOptions } from './context.js';
export {
  ARCHETYPE_SHARES as DEMO_ARCHETYPE_SHARES,
  CHANNEL_TYPES as DEMO_CHANNEL_TYPES,
} from './dealers.js';
export { PROVINCE_POPULATION } from './geography.js';
export type * from './types.js';

/** Every archetype, `steady` first (see {@link DemoArchetype}). */
export const DEMO_ARCHETYPES = [
  'steady',
  'steady_leader',
  'rising_star',
  'slow_decline',
  'sudden_drop',
  'channel_stuffer',
  'new_entrant',
  'churn_risk',
] as const;

/**
 * The months that show the Spring Festival in a demo channel's sales: `peakMonth` holds the
 * middle of the stocking window (festival − 45 to − 10 days) and `dipMonth` the holiday slump
 * (festival + 10 days), both 'YYYY-MM'. Years 2014-2036.
 *
 * @example springFestivalMonths(2024) // { festival: '2024-02-10', peakMonth: '2024-01', dipMonth: '2024-02' }
 */
export function springFestivalMonths(year: number): {
  festival: string;
  peakMonth: string;
  dipMonth: string;
} {
  const season = springFestivalSeason(year);
  return { festival: season.festival, peakMonth: season.peakMonth, dipMonth: season.dipMonth };
}
