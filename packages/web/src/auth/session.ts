import type { PasswordChange, SessionInfo, SignInHint, SignInRequest } from '@tierline/contract';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, getJson, sendJson, sessionPath, setCsrfToken } from '../api/client';

export const sessionKey = ['session'] as const;

/** The signed-in caller, or null when nobody is signed in (the API answers 401). */
export async function fetchSession(signal?: AbortSignal): Promise<SessionInfo | null> {
  try {
    const session = await getJson<SessionInfo>(sessionPath, undefined, signal);
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/**
 * The session of this browser: `data` is the SessionInfo, null when signed out, undefined while
 * the first answer is on its way. It changes on sign-in, sign-out and on any 401 of the API.
 */
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: Infinity,
  });
}

/** What the sign-in page may show: the server's default tenant and a demo's sign-ins. */
export function useSignInHint() {
  return useQuery({
    queryKey: ['session', 'hint'],
    queryFn: ({ signal }) => getJson<SignInHint>(`${sessionPath}/hint`, undefined, signal),
    staleTime: 5 * 60_000,
  });
}

/** The signed-in caller; only for components rendered behind the session guard. */
export function useSignedIn(): SessionInfo {
  const { data } = useSession();
  if (data === undefined || data === null) {
    throw new Error('useSignedIn is only for pages behind the session guard');
  }
  return data;
}

/**
 * Forgets everything the previous caller loaded and records the new session (or none): data
 * that one user may see must never show for the next one who signs in on this browser.
 */
export function replaceSession(queryClient: QueryClient, session: SessionInfo | null): void {
  setCsrfToken(session?.csrfToken ?? null);
  void queryClient.cancelQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
  queryClient.setQueryData(sessionKey, session);
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    // The sign-in POST carries no CSRF token: there is no session yet to take it from.
    mutationFn: (request: SignInRequest) =>
      sendJson<SessionInfo>('POST', sessionPath, request, { csrf: false }),
    onSuccess: (session) => replaceSession(queryClient, session),
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => sendJson('DELETE', sessionPath),
    // Signed out locally even when the server could not be told (it expires the session).
    onSettled: () => replaceSession(queryClient, null),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: PasswordChange) => sendJson('POST', `${sessionPath}/password`, change),
    // The server may rotate the session (and its CSRF token) on a password change.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKey }),
  });
}
