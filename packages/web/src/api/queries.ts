import type {
  DealerDetail,
  DealerFacets,
  DealerPage,
  RegionList,
  TenantInfo,
} from '@tierline/contract';
import { keepPreviousData, QueryClient, useQuery } from '@tanstack/react-query';
import { ApiError, getJson, type QueryParams } from './client';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // A 4xx will not change on retry; network blips and 5xx get two more tries.
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status < 500) && failures < 2,
      },
    },
  });
}

export function useTenant() {
  return useQuery({
    queryKey: ['tenant'],
    queryFn: ({ signal }) => getJson<TenantInfo>('/api/v1/tenant', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

export function useDealerFacets() {
  return useQuery({
    queryKey: ['dealers', 'facets'],
    queryFn: ({ signal }) => getJson<DealerFacets>('/api/v1/dealers/facets', undefined, signal),
  });
}

/** One page of dealers; the previous page stays on screen while the next one loads. */
export function useDealerPage(params: QueryParams) {
  return useQuery({
    queryKey: ['dealers', 'page', params],
    queryFn: ({ signal }) => getJson<DealerPage>('/api/v1/dealers', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useDealer(id: number) {
  return useQuery({
    queryKey: ['dealers', 'detail', id],
    queryFn: ({ signal }) => getJson<DealerDetail>(`/api/v1/dealers/${id}`, undefined, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
  });
}

export function regionsQuery(parent: string | null) {
  return {
    queryKey: ['regions', parent ?? ''] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      getJson<RegionList>('/api/v1/regions', { parent }, signal),
    staleTime: 10 * 60_000,
  };
}
