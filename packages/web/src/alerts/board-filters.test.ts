import { describe, expect, it } from 'vitest';
import {
  boardFiltersFromSearch,
  boardFiltersToApiParams,
  boardFiltersToQueryString,
  defaultBoardFilters,
  type BoardFilters,
} from './board-filters';

const everything: BoardFilters = {
  severity: 'critical',
  status: 'dismissed',
  regionPath: ['440000', '440100'],
  owner: 'me',
  rule: 'sales_decline',
  cursor: 'abc',
};

describe('alert board filters', () => {
  it('shows open and acknowledged alerts when the URL says nothing', () => {
    expect(boardFiltersFromSearch(new URLSearchParams(''))).toEqual(defaultBoardFilters);
    expect(boardFiltersToQueryString(defaultBoardFilters)).toBe('');
    expect(boardFiltersToApiParams(defaultBoardFilters)).toEqual({ limit: 50, status: 'active' });
  });

  it('survives a round trip through the URL', () => {
    const query = boardFiltersToQueryString(everything);
    expect(query).toContain('region=440000,440100');
    expect(boardFiltersFromSearch(new URLSearchParams(query))).toEqual(everything);
  });

  it('asks the API for the last region code and no status when all are wanted', () => {
    expect(boardFiltersToApiParams({ ...everything, status: 'all' })).toEqual({
      limit: 50,
      severity: 'critical',
      region: '440100',
      owner: 'me',
      rule: 'sales_decline',
      cursor: 'abc',
    });
  });

  it('drops hand-edited values the API would refuse', () => {
    const filters = boardFiltersFromSearch(
      new URLSearchParams('severity=fatal&status=closed&owner=bob&rule=Bad-Rule&region=,'),
    );
    expect(filters).toEqual(defaultBoardFilters);
  });
});
