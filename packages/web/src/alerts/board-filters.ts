import type { AlertSeverity, AlertStatus } from '@tierline/contract';

export const alertSeverities = [
  'critical',
  'warning',
  'info',
] as const satisfies readonly AlertSeverity[];

export const alertStatuses = [
  'open',
  'acknowledged',
  'resolved',
  'dismissed',
] as const satisfies readonly AlertStatus[];

/** The status filter: one status, `active` (open or acknowledged, the default) or `all`. */
export type BoardStatus = AlertStatus | 'active' | 'all';
const boardStatuses: readonly BoardStatus[] = [...alertStatuses, 'active', 'all'];

export const boardPageSize = 50;

/**
 * What the alert board shows, kept in the URL so that a reload or a shared link shows the same
 * alerts. `regionPath` holds the region codes from the province down (the cascader shows the
 * whole path; the API gets the last code). `owner` is `me`, `none` or a user id.
 */
export interface BoardFilters {
  severity: AlertSeverity | undefined;
  status: BoardStatus;
  regionPath: string[];
  owner: string | undefined;
  rule: string | undefined;
  cursor: string | undefined;
}

export const defaultBoardFilters: BoardFilters = {
  severity: undefined,
  status: 'active',
  regionPath: [],
  owner: undefined,
  rule: undefined,
  cursor: undefined,
};

function text(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** Reads the filters from a query string; unknown values fall back to the defaults. */
export function boardFiltersFromSearch(params: URLSearchParams): BoardFilters {
  const owner = text(params.get('owner'));
  const rule = text(params.get('rule'));
  return {
    severity: alertSeverities.find((s) => s === params.get('severity')),
    status: boardStatuses.find((s) => s === params.get('status')) ?? defaultBoardFilters.status,
    regionPath: (params.get('region') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => /^[0-9A-Za-z_-]{1,40}$/.test(s)),
    owner: owner !== undefined && /^(me|none|\d{1,15})$/.test(owner) ? owner : undefined,
    rule: rule !== undefined && /^[a-z][a-z0-9_]{0,47}$/.test(rule) ? rule : undefined,
    cursor: text(params.get('cursor')),
  };
}

/** The query string for the filters, without '?'; defaults are left out. */
export function boardFiltersToQueryString(filters: BoardFilters): string {
  const params = new URLSearchParams();
  if (filters.severity !== undefined) params.set('severity', filters.severity);
  if (filters.status !== defaultBoardFilters.status) params.set('status', filters.status);
  if (filters.regionPath.length > 0) params.set('region', filters.regionPath.join(','));
  if (filters.owner !== undefined) params.set('owner', filters.owner);
  if (filters.rule !== undefined) params.set('rule', filters.rule);
  if (filters.cursor !== undefined) params.set('cursor', filters.cursor);
  return params.toString().replace(/%2C/gi, ',');
}

/** The `GET /api/v1/alerts` parameters for the filters (see `AlertListQuery`). */
export function boardFiltersToApiParams(filters: BoardFilters): Record<string, string | number> {
  const params: Record<string, string | number> = { limit: boardPageSize };
  if (filters.severity !== undefined) params.severity = filters.severity;
  if (filters.status !== 'all') params.status = filters.status;
  const region = filters.regionPath.at(-1);
  if (region !== undefined) params.region = region;
  if (filters.owner !== undefined) params.owner = filters.owner;
  if (filters.rule !== undefined) params.rule = filters.rule;
  if (filters.cursor !== undefined) params.cursor = filters.cursor;
  return params;
}
