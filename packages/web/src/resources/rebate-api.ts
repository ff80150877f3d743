import type {
  CreateRebateProgram,
  PortalRebates,
  RebatePreview,
  RebatePreviewSort,
  RebateProgram,
  RebateSettlementPage,
  RebateSettlementResult,
  UpdateRebateProgram,
} from '@tierline/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiUrl, getJson, sendJson } from '../api/client';

/** The ladder rebate API (docs/resources.md, "Ladder rebates"), as TanStack Query hooks. */

export function useRebatePrograms() {
  return useQuery({
    queryKey: ['rebates', 'programs'],
    queryFn: ({ signal }) =>
      getJson<{ items: RebateProgram[] }>('/api/v1/rebates/programs', undefined, signal),
  });
}

export function useSaveRebateProgram() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: number | null; body: CreateRebateProgram | UpdateRebateProgram }) =>
      input.id === null
        ? sendJson<RebateProgram>('POST', '/api/v1/rebates/programs', input.body)
        : sendJson<RebateProgram>('PATCH', `/api/v1/rebates/programs/${input.id}`, input.body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['rebates'] }),
  });
}

export interface PreviewParams {
  program: string;
  period: string;
  q?: string | undefined;
  sort: RebatePreviewSort;
  limit: number;
  offset: number;
}

/** A page of a program's preview; the previous page stays on screen while the next loads. */
export function useRebatePreview(params: PreviewParams | null) {
  return useQuery({
    queryKey: ['rebates', 'preview', params],
    queryFn: ({ signal }) =>
      getJson<RebatePreview>('/api/v1/rebates/preview', { ...params! }, signal),
    enabled: params !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function previewExportUrl(program: string, period: string, format: 'csv' | 'xlsx'): string {
  return apiUrl('/api/v1/rebates/preview/export', { program, period, format });
}

/** A program's settlements (each summed); only the batches are shown, so one line is asked. */
export function useRebateSettlements(program: string | null) {
  return useQuery({
    queryKey: ['rebates', 'settlements', program],
    queryFn: ({ signal }) =>
      getJson<RebateSettlementPage>('/api/v1/rebates/settlements', { program, limit: 1 }, signal),
    enabled: program !== null,
  });
}

export function useSettleRebates() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { program: string; period: string; final: boolean }) =>
      sendJson<RebateSettlementResult>('POST', '/api/v1/rebates/settlements', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['rebates'] }),
  });
}

/** The signed-in dealer's own projections (portal). */
export function usePortalRebates() {
  return useQuery({
    queryKey: ['portal', 'rebates'],
    queryFn: ({ signal }) => getJson<PortalRebates>('/api/v1/portal/rebates', undefined, signal),
  });
}
