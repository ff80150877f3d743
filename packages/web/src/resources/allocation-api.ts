import type {
  AllocationDetail,
  AllocationLinePage,
  AllocationPreview,
  AllocationPurpose,
  AllocationStatus,
  AllocationSummary,
  CreateAllocation,
  ResourceRoi,
} from '@tierline/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiUrl, getJson, sendJson, type QueryParams } from '../api/client';

export interface AllocationFilter {
  purpose?: AllocationPurpose | undefined;
  status?: AllocationStatus | undefined;
  period?: string | undefined;
}

export function useAllocations(filter: AllocationFilter) {
  return useQuery({
    queryKey: ['allocations', 'list', filter],
    queryFn: ({ signal }) =>
      getJson<{ items: AllocationSummary[] }>('/api/v1/allocations', { ...filter }, signal),
  });
}

export function useAllocation(id: number) {
  return useQuery({
    queryKey: ['allocations', 'detail', id],
    queryFn: ({ signal }) =>
      getJson<AllocationDetail>(`/api/v1/allocations/${id}`, undefined, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
  });
}

export function useAllocationLines(id: number, params: QueryParams) {
  return useQuery({
    queryKey: ['allocations', 'lines', id, params],
    queryFn: ({ signal }) =>
      getJson<AllocationLinePage>(`/api/v1/allocations/${id}/lines`, params, signal),
    placeholderData: keepPreviousData,
  });
}

/**
 * The plan of a request, computed by the server and not saved (`dryRun`), as a query: the form
 * asks again whenever its (debounced) request changes and keeps the last plan on screen.
 */
export function useAllocationPreview(request: CreateAllocation | null) {
  const key = request === null ? null : JSON.stringify(request);
  return useQuery({
    queryKey: ['allocations', 'preview', key],
    queryFn: ({ signal }) =>
      sendJson<AllocationPreview>(
        'POST',
        '/api/v1/allocations',
        { ...request, dryRun: true },
        { signal },
      ),
    enabled: request !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}

export function useCreateAllocation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateAllocation) =>
      sendJson<AllocationDetail>('POST', '/api/v1/allocations', { ...request, dryRun: false }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['allocations'] }),
  });
}

export type AllocationAction = 'publish' | 'discard';

export function useAllocationAction(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: AllocationAction) =>
      sendJson<AllocationDetail>('POST', `/api/v1/allocations/${id}/${action}`),
    onSuccess: (detail) => {
      queryClient.setQueryData(['allocations', 'detail', id], detail);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ['allocations'] }),
        queryClient.invalidateQueries({ queryKey: ['roi'] }),
        queryClient.invalidateQueries({ queryKey: ['funds'] }),
      ]);
    },
  });
}

export function allocationExportUrl(id: number, format: 'xlsx' | 'csv'): string {
  return apiUrl(`/api/v1/allocations/${id}/export`, { format });
}

export function useRoi(
  params: { from: string; to: string; tier?: string; q?: string; limit?: number } | null,
) {
  return useQuery({
    queryKey: ['roi', params],
    queryFn: ({ signal }) => getJson<ResourceRoi>('/api/v1/resources/roi', { ...params }, signal),
    enabled: params !== null,
    placeholderData: keepPreviousData,
  });
}
