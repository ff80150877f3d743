import type { ErrorBody, ErrorCode } from '@tierline/contract';

/** An error response of the API, carrying its `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export type QueryParams = Readonly<Record<string, string | number | undefined | null>>;

/** `/api/v1/dealers` plus the params that are set, in the order given. */
export function apiUrl(path: string, params?: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

/**
 * GET a JSON resource of the API. Resolves with the body typed as the contract says (the
 * server validates what it sends against the same schemas); rejects with an `ApiError`
 * for every non-2xx answer, using the API's own message when the body has one.
 */
export async function getJson<T>(
  path: string,
  params?: QueryParams,
  signal?: AbortSignal,
): Promise<T> {
  const response = await fetch(apiUrl(path, params), {
    headers: { accept: 'application/json' },
    signal: signal ?? null,
  });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    if (isErrorBody(body)) {
      throw new ApiError(response.status, body.error.code, body.error.message, body.error.details);
    }
    throw new ApiError(
      response.status,
      response.status === 404 ? 'not_found' : 'internal',
      `${response.status} ${response.statusText || 'error'} from ${path}`,
    );
  }
  if (body === undefined) {
    throw new ApiError(response.status, 'internal', `The server sent no JSON for ${path}`);
  }
  return body as T;
}
