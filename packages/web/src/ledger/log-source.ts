import type { LogFetch } from '@tierline/core/ledger';

/**
 * The absolute URL prefix of a log's public files from what a person typed: a path of this
 * server (`/ledger/demo/`) or any URL, always ending in `/` so that `checkpoint` and `tile/…`
 * resolve below it. Null for something that is not an http(s) URL.
 */
export function logPrefix(input: string, base: string): string | null {
  const text = input.trim();
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url.toString();
}

/**
 * A `LogFetch` over HTTP below `prefix`: the bytes of a file, null for a 404 (a missing tile
 * is the verifier's to report), an error for anything else (network, CORS, 5xx). Tiles are
 * immutable and may come from the cache; the checkpoint is revalidated every time.
 */
export function httpLogFetch(prefix: string, onFetched?: (path: string) => void): LogFetch {
  const sameOrigin = new URL(prefix).origin === window.location.origin;
  return async (path) => {
    const url = new URL(path, prefix);
    const response = await fetch(url, {
      credentials: sameOrigin ? 'same-origin' : 'omit',
      cache: path === 'checkpoint' ? 'no-cache' : 'default',
    });
    onFetched?.(path);
    if (response.status === 404) return null;
    if (!response.ok) {
      throw new Error(
        `${response.status} ${response.statusText || 'error'} from ${url.toString()}`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}
