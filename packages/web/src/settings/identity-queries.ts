import type {
  ApiToken,
  ApiTokenList,
  CreatedApiToken,
  NewApiToken,
  NewUser,
  User,
  UserList,
  UserPatch,
} from '@tierline/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, sendJson } from '../api/client';
import { sessionKey } from '../auth/session';

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => getJson<UserList>('/api/v1/users', undefined, signal),
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: NewUser) => sendJson<User>('POST', '/api/v1/users', user),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UserPatch }) =>
      sendJson<User>('PATCH', `/api/v1/users/${id}`, patch),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      // An admin editing their own name sees it in the header at once.
      await queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
}

export function useTokens() {
  return useQuery({
    queryKey: ['tokens'],
    queryFn: ({ signal }) => getJson<ApiTokenList>('/api/v1/tokens', undefined, signal),
  });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: NewApiToken) => sendJson<CreatedApiToken>('POST', '/api/v1/tokens', token),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => sendJson<ApiToken>('DELETE', `/api/v1/tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
}
