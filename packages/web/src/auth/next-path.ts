import type { Permission } from '@tierline/contract';
import { homePath, mayOpen } from '../layout/nav';

export const signInPath = '/signin';

const probeOrigin = 'https://console.invalid';

/**
 * The `next` parameter of the sign-in page when it is safe to go to: a path of this console,
 * starting with exactly one `/`. Anything that a browser could read as another origin is
 * refused: `//host`, `/\host` (browsers treat `\` as `/`), schemes such as `javascript:`,
 * and control characters (the URL parser drops tabs and newlines, so `/\t/host` would become
 * `//host`). The sign-in page itself is refused too, so that sign-in never loops.
 */
export function safeNextPath(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined || raw.length > 2000) return undefined;
  if (!raw.startsWith('/') || raw.startsWith('//')) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw, probeOrigin);
  } catch {
    return undefined;
  }
  if (url.origin !== probeOrigin) return undefined;
  if (url.pathname === signInPath || url.pathname.startsWith(`${signInPath}/`)) return undefined;
  return raw;
}

/** The sign-in page's address that comes back to `path` (path, search and hash) afterwards. */
export function signInLocation(path: string): string {
  const next = safeNextPath(path);
  if (next === undefined || next === '/') return signInPath;
  return `${signInPath}?${new URLSearchParams({ next }).toString()}`;
}

/**
 * Where to go once signed in: the `next` path when it is safe and the caller may open it,
 * else the caller's home (the portal for dealer users, the dashboard for staff).
 */
export function landingPath(
  next: string | null | undefined,
  permissions: readonly Permission[],
): string {
  const home = homePath(permissions);
  const safe = safeNextPath(next);
  if (safe === undefined) return home;
  const pathname = new URL(safe, probeOrigin).pathname;
  if (pathname === '/' || !mayOpen(pathname, permissions)) return home;
  return safe;
}
