import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import {
  auditApiParams,
  auditExportUrl,
  auditFiltersFromSearch,
  auditFiltersToSearch,
  changedFields,
  emptyAuditFilters,
  type AuditFilters,
} from './audit-filters';

const everything: AuditFilters = {
  action: 'user.',
  actor: 'admin',
  entityType: 'user',
  entityId: '17',
  from: '2026-03-01',
  to: '2026-03-31',
};

function roundTrip(filters: AuditFilters): AuditFilters {
  const url = new URL(`http://console.test/settings/audit?${auditFiltersToSearch(filters)}`);
  return auditFiltersFromSearch(url.searchParams);
}

describe('audit filters survive the URL', () => {
  it('round-trips every filter', () => {
    expect(roundTrip(everything)).toEqual(everything);
  });

  it('writes no filters as an empty query string', () => {
    expect(auditFiltersToSearch(emptyAuditFilters).toString()).toBe('');
    expect(roundTrip(emptyAuditFilters)).toEqual(emptyAuditFilters);
  });

  it('drops dates that are not calendar days and swaps a reversed range', () => {
    const read = (query: string) => auditFiltersFromSearch(new URLSearchParams(query));
    expect(read('from=2026-02-30&to=yesterday')).toMatchObject({ from: undefined, to: undefined });
    expect(read('from=2026-05-01&to=2026-04-01')).toMatchObject({
      from: '2026-04-01',
      to: '2026-05-01',
    });
  });

  it('cuts text filters to what the API accepts', () => {
    const read = auditFiltersFromSearch(new URLSearchParams({ actor: 'x'.repeat(300) }));
    expect(read.actor).toHaveLength(100);
  });
});

describe('audit filters as an API query', () => {
  it('sends the day range as instants: from midnight, to the next midnight (exclusive)', () => {
    const params = auditApiParams(everything);
    expect(dayjs(params.from).format('YYYY-MM-DD HH:mm')).toBe('2026-03-01 00:00');
    expect(dayjs(params.to).format('YYYY-MM-DD HH:mm')).toBe('2026-04-01 00:00');
    // With the offset, as AuditQuery's `z.iso.datetime({ offset: true })` requires.
    expect(params.from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
  });

  it('leaves out empty filters', () => {
    expect(auditApiParams({ ...emptyAuditFilters, actor: '  ' })).toEqual({});
  });

  it('exports what is on screen', () => {
    const url = new URL(auditExportUrl(everything, 'xlsx'), 'http://console.test');
    expect(url.pathname).toBe('/api/v1/audit/export');
    expect(url.searchParams.get('format')).toBe('xlsx');
    expect(url.searchParams.get('action')).toBe('user.');
    expect(url.searchParams.get('entityId')).toBe('17');
    expect(url.searchParams.has('from')).toBe(true);
    expect(url.searchParams.has('cursor')).toBe(false);
  });
});

describe('changedFields', () => {
  it('names the fields an update changed, added or removed', () => {
    expect(
      changedFields(
        { role: 'analyst', status: 'active', regions: ['330000'], name: 'A' },
        {
          role: 'channel_manager',
          status: 'active',
          regions: ['330000', '320000'],
          extra: 1,
          name: 'A',
        },
      ),
    ).toEqual(['role', 'regions', 'extra']);
  });

  it('has nothing to compare when a side is missing', () => {
    expect(changedFields(null, { role: 'admin' })).toEqual([]);
    expect(changedFields({ a: 1 }, [1])).toEqual([]);
  });
});
