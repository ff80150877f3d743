import { describe, expect, it } from 'vitest';
import {
  defaultFilters,
  filtersFromSearch,
  filtersToApiParams,
  filtersToQueryString,
  filtersToSearch,
  hasActiveFilters,
  type DealerFilters,
} from './filter-state';

const everything: DealerFilters = {
  q: '华南 商贸',
  regionPath: ['440000', '440100', '440106'],
  status: ['active', 'probation'],
  channelType: '商超',
  chainLevel: 2,
  tag: '重点客户',
  sort: 'onboardedOn',
  order: 'desc',
  limit: 100,
  cursor: 'eyJrIjoiRDAwMDEyIn0',
};

function roundTrip(filters: DealerFilters): DealerFilters {
  // Through a real URL string, as a reload or a shared link would do.
  const url = new URL(`http://console.test/dealers?${filtersToSearch(filters).toString()}`);
  return filtersFromSearch(url.searchParams);
}

describe('dealer filters survive the URL', () => {
  it('round-trips every filter, the sort, the page size and the cursor', () => {
    expect(roundTrip(everything)).toEqual(everything);
  });

  it('round-trips the defaults as an empty query string', () => {
    expect(filtersToSearch(defaultFilters).toString()).toBe('');
    expect(roundTrip(defaultFilters)).toEqual(defaultFilters);
  });

  it('keeps only what differs from the defaults', () => {
    const search = filtersToSearch({ ...defaultFilters, status: ['suspended'], chainLevel: 1 });
    expect(search.toString()).toBe('status=suspended&chainLevel=1');
  });

  it('writes readable links that read back the same', () => {
    const filters = { ...defaultFilters, status: ['active', 'probation'], q: 'A&B, 华南' } as const;
    const query = filtersToQueryString({ ...filters, status: [...filters.status] });
    expect(query).toBe('q=A%26B,+%E5%8D%8E%E5%8D%97&status=active,probation');
    expect(filtersFromSearch(new URLSearchParams(query))).toEqual({
      ...defaultFilters,
      status: ['active', 'probation'],
      q: 'A&B, 华南',
    });
  });

  it('drops unknown or malformed values instead of failing', () => {
    const params = new URLSearchParams(
      'status=active,bogus,,active&chainLevel=3&sort=sales&order=up&limit=7&tag=%20&q=%20%20',
    );
    expect(filtersFromSearch(params)).toEqual({ ...defaultFilters, status: ['active'] });
  });
});

describe('dealer filters become API parameters', () => {
  it('sends the deepest region code and comma-separated statuses', () => {
    expect(filtersToApiParams(everything)).toEqual({
      q: '华南 商贸',
      region: '440106',
      status: 'active,probation',
      channelType: '商超',
      chainLevel: 2,
      tag: '重点客户',
      sort: 'onboardedOn',
      order: 'desc',
      limit: 100,
      cursor: 'eyJrIjoiRDAwMDEyIn0',
    });
  });

  it('sends only sort, order and limit without filters', () => {
    expect(filtersToApiParams(defaultFilters)).toEqual({ sort: 'code', order: 'asc', limit: 50 });
  });

  it('tells whether anything narrows the list', () => {
    expect(hasActiveFilters(defaultFilters)).toBe(false);
    expect(hasActiveFilters({ ...defaultFilters, sort: 'name', cursor: 'x' })).toBe(false);
    expect(hasActiveFilters({ ...defaultFilters, tag: 'VIP' })).toBe(true);
  });
});
