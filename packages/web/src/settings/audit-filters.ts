import type { ExportFormat } from '@tierline/contract';
import dayjs from 'dayjs';
import { apiUrl, type QueryParams } from '../api/client';

/**
 * What the audit page shows, kept in the URL so that a reload or a shared link shows the same
 * events. `from` and `to` are calendar days (YYYY-MM-DD) in the browser's time zone, both
 * included; the API gets them as instants (`from` at 00:00, `to` as the next day's 00:00,
 * exclusive).
 */
export interface AuditFilters {
  action: string;
  actor: string;
  entityType: string;
  entityId: string;
  from: string | undefined;
  to: string | undefined;
}

export const emptyAuditFilters: AuditFilters = {
  action: '',
  actor: '',
  entityType: '',
  entityId: '',
  from: undefined,
  to: undefined,
};

/**
 * Actions the server records today, for the action filter's suggestions; the filter takes any
 * action, or a prefix ending in "." for a whole family.
 */
export const knownAuditActions = [
  'session.',
  'session.sign_in',
  'session.sign_in_failed',
  'session.sign_out',
  'user.',
  'user.create',
  'user.update',
  'user.lock',
  'user.password_change',
  'user.password_reset',
  'token.',
  'token.create',
  'token.revoke',
  'import.',
  'import.applied',
  'import.partially_applied',
  'import.rejected',
  'import.unchanged',
  'import_mapping.',
  'import_mapping.save',
  'import_mapping.delete',
] as const;

const textKeys = ['action', 'actor', 'entityType', 'entityId'] as const;
const textLimits: Record<(typeof textKeys)[number], number> = {
  action: 64,
  actor: 100,
  entityType: 64,
  entityId: 64,
};

function day(value: string | null): string | undefined {
  if (value === null || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const parsed = dayjs(value);
  return parsed.isValid() && parsed.format('YYYY-MM-DD') === value ? value : undefined;
}

export function auditFiltersFromSearch(search: URLSearchParams): AuditFilters {
  const filters = { ...emptyAuditFilters };
  for (const key of textKeys) {
    filters[key] = (search.get(key) ?? '').trim().slice(0, textLimits[key]);
  }
  filters.from = day(search.get('from'));
  filters.to = day(search.get('to'));
  if (filters.from !== undefined && filters.to !== undefined && filters.from > filters.to) {
    [filters.from, filters.to] = [filters.to, filters.from];
  }
  return filters;
}

export function auditFiltersToSearch(filters: AuditFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of textKeys) {
    const value = filters[key].trim();
    if (value !== '') search.set(key, value);
  }
  if (filters.from !== undefined) search.set('from', filters.from);
  if (filters.to !== undefined) search.set('to', filters.to);
  return search;
}

export function hasAuditFilters(filters: AuditFilters): boolean {
  return auditFiltersToSearch(filters).toString() !== '';
}

/** The API's query for these filters (AuditQuery), without cursor and limit. */
export function auditApiParams(filters: AuditFilters): Record<string, string> {
  const params: Record<string, string> = {};
  for (const key of textKeys) {
    const value = filters[key].trim();
    if (value !== '') params[key] = value;
  }
  if (filters.from !== undefined) params.from = dayjs(filters.from).startOf('day').format();
  if (filters.to !== undefined) {
    params.to = dayjs(filters.to).startOf('day').add(1, 'day').format();
  }
  return params;
}

/** The download address of the events these filters select, as CSV or XLSX. */
export function auditExportUrl(filters: AuditFilters, format: ExportFormat): string {
  const params: QueryParams = { format, ...auditApiParams(filters) };
  return apiUrl('/api/v1/audit/export', params);
}

/**
 * The top-level fields whose value differs between an event's before and after state (both
 * JSON objects), in the order they first appear; empty when either side is not an object.
 */
export function changedFields(before: unknown, after: unknown): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(before) || !isObject(after)) return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}
