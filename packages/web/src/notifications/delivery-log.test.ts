import { describe, expect, it } from 'vitest';
import {
  canRetry,
  deliveryFiltersFromSearch,
  deliveryFiltersToApiParams,
  deliveryFiltersToSearch,
  deliveryStatusColour,
  deliveryStatuses,
  noDeliveryFilters,
  responseOk,
} from './delivery-log';

describe('delivery log', () => {
  it('offers a retry for failed and dead deliveries only, as the API allows', () => {
    expect(deliveryStatuses.filter((status) => canRetry({ status }))).toEqual(['failed', 'dead']);
  });

  it('colours every status, sent and given-up apart', () => {
    expect(deliveryStatuses.map((s) => deliveryStatusColour[s])).toEqual([
      'blue',
      'green',
      'orange',
      'red',
    ]);
  });

  it('tells a successful answer from a failed one (HTTP 2xx, SMTP 250)', () => {
    expect([200, 204, 250, 302, 404, 535].map(responseOk)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(responseOk(null)).toBeNull();
  });

  it('reads the filters from the URL and drops what the API would refuse', () => {
    expect(
      deliveryFiltersFromSearch(
        new URLSearchParams('tab=log&status=failed&channel=3&alert=17&cursor=abc'),
      ),
    ).toEqual({ status: 'failed', channelId: 3, alertId: 17, cursor: 'abc' });
    expect(
      deliveryFiltersFromSearch(new URLSearchParams('status=lost&channel=x&alert=0&cursor=')),
    ).toEqual(noDeliveryFilters);
  });

  it('writes the filters back to the URL and to the API query', () => {
    const filters = { status: 'dead', channelId: 3, alertId: undefined, cursor: 'c1' } as const;
    expect(deliveryFiltersToSearch(filters)).toEqual({
      tab: 'log',
      status: 'dead',
      channel: '3',
      cursor: 'c1',
    });
    expect(
      deliveryFiltersFromSearch(new URLSearchParams(deliveryFiltersToSearch(filters))),
    ).toEqual(filters);
    expect(deliveryFiltersToApiParams(filters)).toEqual({
      limit: 20,
      status: 'dead',
      channelId: 3,
      cursor: 'c1',
    });
    expect(deliveryFiltersToApiParams(noDeliveryFilters, 50)).toEqual({ limit: 50 });
  });
});
