import type {
  AlertAssigneeList,
  AlertCatalogue,
  AlertDetail,
  AlertPage,
  AlertRulePreview,
  AlertRuleSummary,
  AlertRuleVersion,
} from '@tierline/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, sendJson } from '../api/client';

export function useAlerts(params: Readonly<Record<string, string | number>>) {
  return useQuery({
    queryKey: ['alerts', 'list', params],
    queryFn: ({ signal }) => getJson<AlertPage>('/api/v1/alerts', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useAlert(id: number) {
  return useQuery({
    queryKey: ['alerts', 'detail', id],
    queryFn: ({ signal }) => getJson<AlertDetail>(`/api/v1/alerts/${id}`, undefined, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
    retry: (count, error) => count < 2 && !('status' in error && error.status === 404),
  });
}

/** Who may own an alert of the dealer (alerts:manage; the server filters by scope). */
export function useAlertAssignees(dealerId: number, enabled = true) {
  return useQuery({
    queryKey: ['alerts', 'assignees', dealerId],
    queryFn: ({ signal }) =>
      getJson<AlertAssigneeList>('/api/v1/alerts/assignees', { dealerId }, signal),
    enabled,
    staleTime: 60_000,
  });
}

/** A lifecycle step of an alert and its body (see docs/alerts.md). */
export type AlertAction =
  | { kind: 'acknowledge'; comment?: string }
  | { kind: 'resolve'; note?: string }
  | { kind: 'dismiss'; reason: string }
  | { kind: 'comments'; text: string }
  | { kind: 'assign'; ownerUserId: number | null };

export function useAlertAction(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, ...body }: AlertAction) =>
      sendJson<AlertDetail>('POST', `/api/v1/alerts/${id}/${kind}`, body),
    onSuccess: (detail) => {
      queryClient.setQueryData(['alerts', 'detail', id], detail);
      return queryClient.invalidateQueries({ queryKey: ['alerts', 'list'] });
    },
  });
}

export function useAlertRules() {
  return useQuery({
    queryKey: ['alerts', 'rules'],
    queryFn: ({ signal }) =>
      getJson<{ items: AlertRuleSummary[] }>('/api/v1/alerts/rules', undefined, signal),
  });
}

export function useAlertRule(code: string | undefined) {
  return useQuery({
    queryKey: ['alerts', 'rule', code],
    queryFn: ({ signal }) =>
      getJson<{ items: AlertRuleVersion[] }>(`/api/v1/alerts/rules/${code}`, undefined, signal),
    enabled: code !== undefined,
  });
}

export function useAlertCatalogue() {
  return useQuery({
    queryKey: ['alerts', 'catalogue'],
    queryFn: ({ signal }) =>
      getJson<AlertCatalogue>('/api/v1/alerts/rules/catalogue', undefined, signal),
    staleTime: 10 * 60_000,
  });
}

export function useSetRuleEnabled() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, enabled }: { code: string; enabled: boolean }) =>
      sendJson<AlertRuleVersion>('PATCH', `/api/v1/alerts/rules/${code}`, { enabled }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['alerts'] }),
  });
}

/** Saves a document as a new rule (`code` undefined) or as a new version of a rule. */
export function useSaveRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, document, note }: { code?: string; document: unknown; note: string }) =>
      sendJson<AlertRuleVersion>(
        'POST',
        code === undefined ? '/api/v1/alerts/rules' : `/api/v1/alerts/rules/${code}/versions`,
        { document, note },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['alerts'] }),
  });
}

export function usePreviewRule() {
  return useMutation({
    mutationFn: (request: { document: unknown; from: string; to: string; limit: number }) =>
      sendJson<AlertRulePreview>('POST', '/api/v1/alerts/rules/preview', request),
  });
}
