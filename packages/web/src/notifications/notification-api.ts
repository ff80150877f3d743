import type {
  NewNotificationChannel,
  NotificationChannel,
  NotificationChannelList,
  NotificationChannelPatch,
  NotificationDelivery,
  NotificationDeliveryPage,
} from '@tierline/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, sendJson, type QueryParams } from '../api/client';

/** Alert notifications (docs/notifications.md): channels and the delivery log, alerts:configure. */

const channelsKey = ['notifications', 'channels'] as const;
const deliveriesKey = ['notifications', 'deliveries'] as const;

export function useChannels() {
  return useQuery({
    queryKey: channelsKey,
    queryFn: ({ signal }) =>
      getJson<NotificationChannelList>('/api/v1/notifications/channels', undefined, signal),
  });
}

export function useCreateChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewNotificationChannel) =>
      sendJson<NotificationChannel>('POST', '/api/v1/notifications/channels', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: channelsKey }),
  });
}

export function useUpdateChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: NotificationChannelPatch }) =>
      sendJson<NotificationChannel>('PATCH', `/api/v1/notifications/channels/${id}`, patch),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

/** Deletes a channel and its delivery log. */
export function useDeleteChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => sendJson('DELETE', `/api/v1/notifications/channels/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

/** Sends a test message now; answers the logged delivery (delivered, or dead with the error). */
export function useTestChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      sendJson<NotificationDelivery>('POST', `/api/v1/notifications/channels/${id}/test`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deliveriesKey }),
  });
}

export function useDeliveries(params: QueryParams) {
  return useQuery({
    queryKey: [...deliveriesKey, params],
    queryFn: ({ signal }) =>
      getJson<NotificationDeliveryPage>('/api/v1/notifications/deliveries', params, signal),
    placeholderData: keepPreviousData,
  });
}

/** Gives a failed or dead delivery a fresh round and sends it now; answers it after the attempt. */
export function useRetryDelivery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      sendJson<NotificationDelivery>('POST', `/api/v1/notifications/deliveries/${id}/retry`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deliveriesKey }),
  });
}
