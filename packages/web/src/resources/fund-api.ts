import type {
  Fund,
  FundBalancePage,
  FundClaim,
  FundClaimPage,
  FundClaimStatus,
  FundRequest,
  FundRequestDetail,
  FundRequestPage,
  FundRequestStatus,
  GrantFundInput,
  PortalFundClaim,
  PortalFundRequest,
  PortalFunds,
  ProofUpload,
  SubmitFundRequestInput,
} from '@tierline/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiUrl, getJson, sendJson } from '../api/client';

/** The market development fund API (docs/resources.md, "Market development funds"). */

export function useFundBalances(params: { q: string; cursor: string | null; limit: number }) {
  return useQuery({
    queryKey: ['funds', 'balances', params],
    queryFn: ({ signal }) =>
      getJson<FundBalancePage>(
        '/api/v1/funds/balances',
        { q: params.q, cursor: params.cursor, limit: params.limit },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useFundRequests(status: FundRequestStatus | null, limit = 100) {
  return useQuery({
    queryKey: ['funds', 'requests', status, limit],
    queryFn: ({ signal }) =>
      getJson<FundRequestPage>('/api/v1/funds/requests', { status, limit }, signal),
  });
}

export function useFundClaims(status: FundClaimStatus | null, limit = 100) {
  return useQuery({
    queryKey: ['funds', 'claims', status, limit],
    queryFn: ({ signal }) =>
      getJson<FundClaimPage>('/api/v1/funds/claims', { status, limit }, signal),
  });
}

export function useFundRequestDetail(id: number | null) {
  return useQuery({
    queryKey: ['funds', 'request', id],
    queryFn: ({ signal }) =>
      getJson<FundRequestDetail>(`/api/v1/funds/requests/${id}`, undefined, signal),
    enabled: id !== null,
  });
}

/** Every staff decision refreshes balances, queues and details. */
function useFundMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['funds'] }),
  });
}

export type FundDecision =
  | { subject: 'request' | 'claim'; id: number; action: 'approve' }
  | { subject: 'request' | 'claim'; id: number; action: 'reject'; reason: string }
  | { subject: 'claim'; id: number; action: 'pay'; paymentReference: string };

export function useFundDecision() {
  return useFundMutation((d: FundDecision) => {
    const path = `/api/v1/funds/${d.subject === 'request' ? 'requests' : 'claims'}/${d.id}/${d.action}`;
    const body =
      d.action === 'reject'
        ? { reason: d.reason }
        : d.action === 'pay'
          ? { paymentReference: d.paymentReference }
          : undefined;
    return sendJson<FundRequest | FundClaim>('POST', path, body);
  });
}

export function useGrantFund() {
  return useFundMutation((input: GrantFundInput) => sendJson<Fund>('POST', '/api/v1/funds', input));
}

/** Where a proof file downloads from: the staff API, or the portal's for the dealer's own. */
export function proofUrl(claimId: number, proofId: number, portal = false): string {
  return apiUrl(`/api/v1/${portal ? 'portal/funds' : 'funds'}/claims/${claimId}/proofs/${proofId}`);
}

// ---- Portal --------------------------------------------------------------------------------

export function usePortalFunds() {
  return useQuery({
    queryKey: ['portal', 'funds'],
    queryFn: ({ signal }) => getJson<PortalFunds>('/api/v1/portal/funds', undefined, signal),
  });
}

function usePortalFundMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['portal', 'funds'] }),
  });
}

export function useSubmitFundRequest() {
  return usePortalFundMutation((input: SubmitFundRequestInput) =>
    sendJson<PortalFundRequest>('POST', '/api/v1/portal/funds/requests', input),
  );
}

export function useCancelFundRequest() {
  return usePortalFundMutation((id: number) =>
    sendJson<PortalFundRequest>('POST', `/api/v1/portal/funds/requests/${id}/cancel`),
  );
}

export function useSubmitFundClaim() {
  return usePortalFundMutation(
    (input: { requestId: number; amount: number; note: string; proofs: ProofUpload[] }) =>
      sendJson<PortalFundClaim>('POST', `/api/v1/portal/funds/requests/${input.requestId}/claims`, {
        amount: input.amount,
        note: input.note,
        proofs: input.proofs,
      }),
  );
}
