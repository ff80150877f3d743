import type {
  CreateOverride,
  DealerTier,
  DecisionDetail,
  DecisionPage,
  MetricCatalogue,
  Migration,
  Permission,
  PolicyComparison,
  PolicySummary,
  PolicyValidation,
  PolicyVersion,
  RunDetail,
  RunStatus,
  RunSummary,
  Simulation,
  TierOverview,
} from '@tierline/contract';
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { apiUrl, getJson, sendJson, type QueryParams } from '../api/client';
import { useSignedIn } from '../auth/session';

/** Whether the signed-in caller holds a permission (the server checks it anyway). */
export function useCan(): (permission: Permission) => boolean {
  const { permissions } = useSignedIn();
  return (permission) => permissions.includes(permission);
}

// ---- Policies ------------------------------------------------------------------------------

export function usePolicies() {
  return useQuery({
    queryKey: ['policies', 'list'],
    queryFn: ({ signal }) =>
      getJson<{ items: PolicySummary[] }>('/api/v1/policies', undefined, signal),
  });
}

/** Built-in metrics with names in both languages, base measures and tier schemes. */
export function useCatalogue(enabled = true) {
  return useQuery({
    queryKey: ['policies', 'catalogue'],
    queryFn: ({ signal }) =>
      getJson<MetricCatalogue>('/api/v1/policies/catalogue', undefined, signal),
    staleTime: 30 * 60_000,
    enabled,
  });
}

/** A version of a policy: the latest when `version` is undefined. */
export function usePolicyVersion(name: string, version: number | undefined) {
  return useQuery({
    queryKey: ['policies', 'version', name, version ?? 'latest'],
    queryFn: ({ signal }) =>
      getJson<PolicyVersion>(`/api/v1/policies/${encodeURIComponent(name)}`, { version }, signal),
  });
}

export type PolicyVersionSummary = Omit<PolicyVersion, 'document'>;

export function usePolicyVersions(name: string) {
  return useQuery({
    queryKey: ['policies', 'versions', name],
    queryFn: ({ signal }) =>
      getJson<{ items: PolicyVersionSummary[] }>(
        `/api/v1/policies/${encodeURIComponent(name)}/versions`,
        undefined,
        signal,
      ),
  });
}

export function usePolicyComparison(name: string, from: number | null, to: number | null) {
  return useQuery({
    queryKey: ['policies', 'compare', name, from, to],
    queryFn: ({ signal }) =>
      getJson<PolicyComparison>(
        `/api/v1/policies/${encodeURIComponent(name)}/compare`,
        { from, to },
        signal,
      ),
    enabled: from !== null && to !== null && from !== to,
  });
}

/**
 * The server's check of a draft document (shape and meaning, with JSON paths), asked again
 * whenever the (debounced) JSON text changes; the previous answer stays while the next loads.
 */
export function usePolicyValidation(json: string | null) {
  return useQuery({
    queryKey: ['policies', 'validate', json],
    queryFn: ({ signal }) =>
      sendJsonWithSignal<PolicyValidation>(
        '/api/v1/policies/validate',
        {
          document: JSON.parse(json ?? 'null') as unknown,
        },
        signal,
      ),
    enabled: json !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}

export function useSavePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { document: unknown; note: string }) =>
      sendJson<PolicyVersion>('POST', '/api/v1/policies', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['policies'] }),
  });
}

// ---- Simulations ----------------------------------------------------------------------------

export interface SimulationInput {
  policy: { name: string; version?: number } | { document: unknown };
  from: string;
  to: string;
  movers: number;
}

/**
 * A simulation as a query: the live preview asks it again whenever the draft (in the key as
 * its JSON text) or the period changes, and keeps the previous answer on screen meanwhile.
 */
export function useSimulationQuery(key: string | null, input: SimulationInput | null) {
  return useQuery({
    queryKey: ['simulation', key, input?.from, input?.to, input?.movers],
    queryFn: ({ signal }) => sendJsonWithSignal<Simulation>('/api/v1/simulations', input, signal),
    enabled: key !== null && input !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}

/** A backtest: run when asked, not on every change. */
export function useSimulation() {
  return useMutation({
    mutationFn: (input: SimulationInput) =>
      sendJson<Simulation>('POST', '/api/v1/simulations', input),
  });
}

/**
 * A POST that only reads (validate, simulate), made as a query so that a newer draft cancels
 * the request for an older one. The CSRF token is attached like any write's.
 */
function sendJsonWithSignal<T>(path: string, body: unknown, signal: AbortSignal): Promise<T> {
  return sendJson<T>('POST', path, body, { signal });
}

// ---- Assessments --------------------------------------------------------------------------

export function useRuns(params: { status?: RunStatus; period?: string } = {}) {
  return useQuery({
    queryKey: ['assessments', 'list', params],
    queryFn: ({ signal }) =>
      getJson<{ items: RunSummary[] }>('/api/v1/assessments', params, signal),
  });
}

export function useRun(id: number) {
  return useQuery({
    queryKey: ['assessments', 'run', id],
    queryFn: ({ signal }) => getJson<RunDetail>(`/api/v1/assessments/${id}`, undefined, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
  });
}

export function useDecisions(runId: number, params: QueryParams) {
  return useQuery({
    queryKey: ['assessments', 'decisions', runId, params],
    queryFn: ({ signal }) =>
      getJson<DecisionPage>(`/api/v1/assessments/${runId}/decisions`, params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useDecision(runId: number, dealerId: number | null) {
  return useQuery({
    queryKey: ['assessments', 'decision', runId, dealerId],
    queryFn: ({ signal }) =>
      getJson<DecisionDetail>(
        `/api/v1/assessments/${runId}/decisions/${dealerId}`,
        undefined,
        signal,
      ),
    enabled: dealerId !== null,
  });
}

/** Everything that shows runs, decisions or current tiers. */
function invalidateTiering(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['assessments'] }),
    queryClient.invalidateQueries({ queryKey: ['tiers'] }),
    queryClient.invalidateQueries({ queryKey: ['dealer-tier'] }),
  ]);
}

export function useComputeRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { period: string; policy: string; version?: number }) =>
      sendJson<RunDetail>('POST', '/api/v1/assessments', input),
    onSuccess: () => invalidateTiering(queryClient),
  });
}

export type RunAction = 'approve' | 'publish' | 'discard';

export function useRunAction(runId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: RunAction) =>
      sendJson<RunDetail>('POST', `/api/v1/assessments/${runId}/${action}`),
    onSuccess: (run) => {
      queryClient.setQueryData(['assessments', 'run', runId], run);
      return invalidateTiering(queryClient);
    },
  });
}

export function useOverride(runId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateOverride) =>
      sendJson<DecisionDetail>('POST', `/api/v1/assessments/${runId}/overrides`, input),
    onSuccess: (decision) => {
      queryClient.setQueryData(['assessments', 'decision', runId, decision.dealer.id], decision);
      return invalidateTiering(queryClient);
    },
  });
}

export function exportUrl(runId: number, format: 'csv' | 'xlsx'): string {
  return apiUrl(`/api/v1/assessments/${runId}/export`, { format });
}

// ---- Tiers ---------------------------------------------------------------------------------

export function useTierOverview(enabled = true) {
  return useQuery({
    queryKey: ['tiers', 'overview'],
    queryFn: ({ signal }) => getJson<TierOverview>('/api/v1/tiers/overview', undefined, signal),
    enabled,
  });
}

export function useMigration(from: string | null, to: string | null) {
  return useQuery({
    queryKey: ['tiers', 'migration', from, to],
    queryFn: ({ signal }) => getJson<Migration>('/api/v1/tiers/migration', { from, to }, signal),
    enabled: from !== null && to !== null && from !== to,
    placeholderData: keepPreviousData,
  });
}

/** Where a dealer's tier comes from: a staff member's dealer page, or the dealer's portal. */
export type DealerTierSource = { kind: 'dealer'; id: number } | { kind: 'portal' };

export function useDealerTier(source: DealerTierSource) {
  return useQuery({
    queryKey: ['dealer-tier', source.kind === 'dealer' ? source.id : 'portal'],
    queryFn: ({ signal }) =>
      getJson<DealerTier>(
        source.kind === 'dealer' ? `/api/v1/dealers/${source.id}/tier` : '/api/v1/portal/tier',
        undefined,
        signal,
      ),
  });
}
