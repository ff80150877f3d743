import type {
  DealerDetail,
  DealerFacets,
  DealerPage,
  LedgerEntryDetail,
  LedgerEntryPage,
  LedgerInfo,
  LedgerRecordKind,
  RegionList,
  ReplayResult,
  Resume,
  TenantInfo,
} from '@tierline/contract';
import { keepPreviousData, QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
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

// ---- Ledger (docs/ledger.md) ---------------------------------------------------------------

/** The tenant's log: origin, verifier key, size and latest signed checkpoint. */
export function useLedgerInfo() {
  return useQuery({
    queryKey: ['ledger', 'info'],
    queryFn: ({ signal }) => getJson<LedgerInfo>('/api/v1/ledger', undefined, signal),
  });
}

export interface LedgerEntryFilters {
  kind?: LedgerRecordKind | undefined;
  dealerId?: number | undefined;
}

/** The records the caller may open, newest first, page by page (keyset cursors). */
export function useLedgerEntries(filters: LedgerEntryFilters, pageSize = 50) {
  return useInfiniteQuery({
    queryKey: ['ledger', 'entries', filters, pageSize],
    queryFn: ({ pageParam, signal }) =>
      getJson<LedgerEntryPage>(
        '/api/v1/ledger/entries',
        { kind: filters.kind, dealerId: filters.dealerId, limit: pageSize, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One record opened: its JSON, salt and inclusion proof against the latest checkpoint. */
export function useLedgerEntry(index: number | null) {
  return useQuery({
    queryKey: ['ledger', 'entry', index],
    queryFn: ({ signal }) =>
      getJson<LedgerEntryDetail>(`/api/v1/ledger/entries/${index}`, undefined, signal),
    enabled: index !== null && Number.isSafeInteger(index) && index >= 0,
  });
}

/** A tier decision recomputed by the server from its recorded inputs; runs when asked. */
export function useLedgerReplay(index: number, enabled: boolean) {
  return useQuery({
    queryKey: ['ledger', 'replay', index],
    queryFn: ({ signal }) =>
      getJson<ReplayResult>(`/api/v1/ledger/entries/${index}/replay`, undefined, signal),
    enabled,
    staleTime: Infinity,
  });
}

/** The signed-in dealer user's own résumé (`tierline-resume/1`). */
export function usePortalResume() {
  return useQuery({
    queryKey: ['portal', 'resume'],
    queryFn: ({ signal }) => getJson<Resume>('/api/v1/portal/resume', undefined, signal),
  });
}
