import type { ChainLevel, DealerSort, DealerStatus } from '@tierline/contract';

export const dealerStatuses = [
  'active',
  'probation',
  'suspended',
  'terminated',
] as const satisfies readonly DealerStatus[];

const dealerSorts = [
  'code',
  'name',
  'onboardedOn',
  'status',
] as const satisfies readonly DealerSort[];

export const pageSizes = [20, 50, 100, 200] as const;
export const defaultPageSize = 50;

/**
 * What the dealer list shows, kept in the URL so that a reload or a shared link shows the
 * same list. `regionPath` holds the region codes from the province down (the cascader needs
 * the whole path to show its label; the API gets the last code). `cursor` is the opaque
 * keyset cursor of the page on screen; undefined is the first page.
 */
export interface DealerFilters {
  q: string;
  regionPath: string[];
  status: DealerStatus[];
  channelType: string | undefined;
  chainLevel: ChainLevel | undefined;
  tag: string | undefined;
  sort: DealerSort;
  order: 'asc' | 'desc';
  limit: number;
  cursor: string | undefined;
}

export const defaultFilters: DealerFilters = {
  q: '',
  regionPath: [],
  status: [],
  channelType: undefined,
  chainLevel: undefined,
  tag: undefined,
  sort: 'code',
  order: 'asc',
  limit: defaultPageSize,
  cursor: undefined,
};

function list(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function text(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function oneOf<T extends string>(options: readonly T[], value: string | null): T | undefined {
  return options.find((o) => o === value);
}

/**
 * Reads the filters from a query string. Hand-edited or outdated links never break the page:
 * unknown values are dropped and the default is used instead.
 */
export function filtersFromSearch(params: URLSearchParams): DealerFilters {
  const statuses = list(params.get('status')).filter((s): s is DealerStatus =>
    dealerStatuses.some((known) => known === s),
  );
  const level = params.get('chainLevel');
  const limit = Number(params.get('limit'));
  return {
    q: params.get('q')?.trim() ?? '',
    regionPath: list(params.get('region')),
    status: [...new Set(statuses)],
    channelType: text(params.get('channelType')),
    chainLevel: level === '1' ? 1 : level === '2' ? 2 : undefined,
    tag: text(params.get('tag')),
    sort: oneOf(dealerSorts, params.get('sort')) ?? defaultFilters.sort,
    order: oneOf(['asc', 'desc'] as const, params.get('order')) ?? defaultFilters.order,
    limit: pageSizes.find((size) => size === limit) ?? defaultPageSize,
    cursor: text(params.get('cursor')),
  };
}

/**
 * The query string for the filters, without '?'; defaults are left out and list commas are
 * kept readable, so a shared link reads `status=active,probation`.
 */
export function filtersToQueryString(filters: DealerFilters): string {
  return filtersToSearch(filters).toString().replace(/%2C/gi, ',');
}

/** The filters as URL parameters; defaults are left out to keep links short. */
export function filtersToSearch(filters: DealerFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim() !== '') params.set('q', filters.q.trim());
  if (filters.regionPath.length > 0) params.set('region', filters.regionPath.join(','));
  if (filters.status.length > 0) params.set('status', filters.status.join(','));
  if (filters.channelType !== undefined) params.set('channelType', filters.channelType);
  if (filters.chainLevel !== undefined) params.set('chainLevel', String(filters.chainLevel));
  if (filters.tag !== undefined) params.set('tag', filters.tag);
  if (filters.sort !== defaultFilters.sort) params.set('sort', filters.sort);
  if (filters.order !== defaultFilters.order) params.set('order', filters.order);
  if (filters.limit !== defaultPageSize) params.set('limit', String(filters.limit));
  if (filters.cursor !== undefined) params.set('cursor', filters.cursor);
  return params;
}

/** The `GET /api/v1/dealers` parameters for the filters (see `DealerListQuery`). */
export function filtersToApiParams(filters: DealerFilters): Record<string, string | number> {
  const params: Record<string, string | number> = {
    sort: filters.sort,
    order: filters.order,
    limit: filters.limit,
  };
  const q = filters.q.trim();
  if (q !== '') params.q = q;
  const region = filters.regionPath.at(-1);
  if (region !== undefined) params.region = region;
  if (filters.status.length > 0) params.status = filters.status.join(',');
  if (filters.channelType !== undefined) params.channelType = filters.channelType;
  if (filters.chainLevel !== undefined) params.chainLevel = filters.chainLevel;
  if (filters.tag !== undefined) params.tag = filters.tag;
  if (filters.cursor !== undefined) params.cursor = filters.cursor;
  return params;
}

/** True when any filter narrows the list (search, region, status ...), ignoring sort and paging. */
export function hasActiveFilters(filters: DealerFilters): boolean {
  return (
    filters.q.trim() !== '' ||
    filters.regionPath.length > 0 ||
    filters.status.length > 0 ||
    filters.channelType !== undefined ||
    filters.chainLevel !== undefined ||
    filters.tag !== undefined
  );
}
