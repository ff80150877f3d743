import { dayNumber, formatDay, springFestivalSeason } from './calendar.js';
import { CATEGORIES } from './catalogue.js';
import type { DemoCampaign } from './types.js';

/** A campaign with its days and promoted categories as the generators use them. */
export interface CampaignInfo {
  readonly campaign: DemoCampaign;
  readonly startDay: number;
  readonly endDay: number;
  /** Indexes into CATEGORIES of the promoted categories. */
  readonly categoryMask: readonly boolean[];
}

/** Price cut on promoted categories during a campaign, as a factor. */
export const PROMOTION_PRICE_FACTOR = 0.96;

const ALL = CATEGORIES.map((c) => c.name);

/**
 * The manufacturer's three yearly trade campaigns, for every year whose campaign overlaps
 * the window [firstDay, lastDay]: 春节订货会 (stocking before Chinese New Year), 618 年中大促
 * and 双11 狂欢节. Sorted by start date, indexed from 0.
 */
export function buildCampaigns(firstDay: number, lastDay: number): CampaignInfo[] {
  const firstYear = Number(formatDay(firstDay).slice(0, 4));
  const lastYear = Number(formatDay(lastDay).slice(0, 4));
  const specs: {
    code: string;
    name: string;
    start: number;
    end: number;
    categories: readonly string[];
  }[] = [];
  for (let year = firstYear; year <= lastYear + 1; year++) {
    const festival = springFestivalSeason(year);
    specs.push(
      {
        code: `CNY${year}`,
        name: `${year}春节订货会`,
        start: festival.stockFrom - 5,
        end: festival.stockTo - 2,
        categories: ['节日礼盒', '饮料', '乳品', '休闲零食', '粮油'],
      },
      {
        code: `618-${year}`,
        name: `${year}年中618大促`,
        start: dayNumber(year, 5, 25),
        end: dayNumber(year, 6, 20),
        categories: ['饮料', '啤酒', '休闲零食', '乳品'],
      },
      {
        code: `D11-${year}`,
        name: `${year}双11狂欢节`,
        start: dayNumber(year, 10, 20),
        end: dayNumber(year, 11, 13),
        categories: ALL,
      },
    );
  }
  return specs
    .filter((s) => s.end >= firstDay && s.start <= lastDay)
    .sort((a, b) => a.start - b.start)
    .map((s, index) => ({
      campaign: {
        index,
        code: s.code,
        name: s.name,
        startsOn: formatDay(s.start),
        endsOn: formatDay(s.end),
        categories: s.categories,
      },
      startDay: s.start,
      endDay: s.end,
      categoryMask: CATEGORIES.map((c) => s.categories.includes(c.name)),
    }));
}
