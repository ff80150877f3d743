import type { NotificationDelivery, NotificationDeliveryStatus } from '@tierline/contract';

export const deliveryStatuses: readonly NotificationDeliveryStatus[] = [
  'pending',
  'delivered',
  'failed',
  'dead',
];

/** The antd tag colour of a delivery status: sent green, retrying orange, given up red. */
export const deliveryStatusColour: Readonly<Record<NotificationDeliveryStatus, string>> = {
  pending: 'blue',
  delivered: 'green',
  failed: 'orange',
  dead: 'red',
};

/** Whether the retry action applies: the API retries failed and dead deliveries only (409 else). */
export function canRetry(delivery: Pick<NotificationDelivery, 'status'>): boolean {
  return delivery.status === 'failed' || delivery.status === 'dead';
}

/** Whether an HTTP status (or SMTP reply code) is a success: 2xx, or SMTP 250. */
export function responseOk(status: number | null): boolean | null {
  if (status === null) return null;
  return (status >= 200 && status < 300) || status === 250;
}

/** The log's filters and page, as the page's URL holds them (`?tab=log&status=failed&…`). */
export interface DeliveryFilters {
  status: NotificationDeliveryStatus | undefined;
  channelId: number | undefined;
  alertId: number | undefined;
  cursor: string | undefined;
}

export const noDeliveryFilters: DeliveryFilters = {
  status: undefined,
  channelId: undefined,
  alertId: undefined,
  cursor: undefined,
};

const isStatus = (value: string | null): value is NotificationDeliveryStatus =>
  (deliveryStatuses as readonly (string | null)[]).includes(value);

function positiveId(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  const id = Number(value);
  return id > 0 ? id : undefined;
}

/** The filters in a URL's search; anything malformed is dropped, not sent to the API. */
export function deliveryFiltersFromSearch(search: URLSearchParams): DeliveryFilters {
  const status = search.get('status');
  const cursor = search.get('cursor');
  return {
    status: isStatus(status) ? status : undefined,
    channelId: positiveId(search.get('channel')),
    alertId: positiveId(search.get('alert')),
    cursor: cursor === null || cursor === '' ? undefined : cursor,
  };
}

/** The URL search of the log tab with these filters. */
export function deliveryFiltersToSearch(filters: DeliveryFilters): Record<string, string> {
  const search: Record<string, string> = { tab: 'log' };
  if (filters.status !== undefined) search['status'] = filters.status;
  if (filters.channelId !== undefined) search['channel'] = String(filters.channelId);
  if (filters.alertId !== undefined) search['alert'] = String(filters.alertId);
  if (filters.cursor !== undefined) search['cursor'] = filters.cursor;
  return search;
}

/** The query of `GET /notifications/deliveries` for these filters. */
export function deliveryFiltersToApiParams(
  filters: DeliveryFilters,
  limit = 20,
): Record<string, string | number> {
  const params: Record<string, string | number> = { limit };
  if (filters.status !== undefined) params['status'] = filters.status;
  if (filters.channelId !== undefined) params['channelId'] = filters.channelId;
  if (filters.alertId !== undefined) params['alertId'] = filters.alertId;
  if (filters.cursor !== undefined) params['cursor'] = filters.cursor;
  return params;
}
