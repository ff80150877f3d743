import type {
  Benefit,
  BenefitMatrix,
  BenefitPatch,
  DealerPackage,
  NewBenefit,
  SaveBenefitValues,
} from '@tierline/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, sendJson } from '../api/client';

/** The benefit library, archived benefits included. */
export function useBenefits() {
  return useQuery({
    queryKey: ['benefits', 'list'],
    queryFn: ({ signal }) => getJson<{ items: Benefit[] }>('/api/v1/benefits', undefined, signal),
  });
}

/** Everything that shows benefits: the library, value matrices, packages. */
function invalidateBenefits(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['benefits'] }),
    queryClient.invalidateQueries({ queryKey: ['package'] }),
  ]);
}

export function useCreateBenefit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewBenefit) => sendJson<Benefit>('POST', '/api/v1/benefits', input),
    onSuccess: () => invalidateBenefits(queryClient),
  });
}

export function usePatchBenefit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: BenefitPatch }) =>
      sendJson<Benefit>('PATCH', `/api/v1/benefits/${id}`, patch),
    onSuccess: () => invalidateBenefits(queryClient),
  });
}

/** A policy version's value matrix (the latest version when `version` is undefined). */
export function useBenefitMatrix(policy: string | undefined, version: number | undefined) {
  return useQuery({
    queryKey: ['benefits', 'values', policy, version ?? 'latest'],
    queryFn: ({ signal }) =>
      getJson<BenefitMatrix>('/api/v1/benefits/values', { policy, version }, signal),
    enabled: policy !== undefined,
  });
}

export function useSaveBenefitValues() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SaveBenefitValues) =>
      sendJson<BenefitMatrix>('PUT', '/api/v1/benefits/values', input),
    onSuccess: () => invalidateBenefits(queryClient),
  });
}

/** Where a package comes from: a staff member's dealer page, or the dealer's own portal. */
export type PackageSource = { kind: 'dealer'; id: number } | { kind: 'portal' };

export function useDealerPackage(source: PackageSource) {
  return useQuery({
    queryKey: ['package', source.kind === 'dealer' ? source.id : 'portal'],
    queryFn: ({ signal }) =>
      getJson<DealerPackage>(
        source.kind === 'dealer'
          ? `/api/v1/dealers/${source.id}/package`
          : '/api/v1/portal/package',
        undefined,
        signal,
      ),
  });
}
