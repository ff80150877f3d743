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

  get isForbidden(): boolean {
    return this.status === 403;
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

/** The API path of the session: its 401 means "not signed in", not "signed out meanwhile". */
export const sessionPath = '/api/v1/session';

let csrfToken: string | null = null;
let unauthenticatedHandler: (() => void) | undefined;

/** The CSRF token of the current session, sent back on every write (SessionInfo.csrfToken). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * What to do when the API answers 401 outside the session endpoint: the session ended (expired,
 * signed out in another tab, password reset by an admin), so the console goes to sign-in.
 */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  unauthenticatedHandler = handler;
}

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  params?: QueryParams | undefined;
  body?: unknown;
  /** A body sent as it is (a file), instead of `body` as JSON. */
  raw?: { body: Blob; contentType: string } | undefined;
  signal?: AbortSignal | undefined;
  /** Send the session's CSRF token; writes do unless told otherwise (sign-in needs none). */
  csrf?: boolean | undefined;
}

function send(
  method: 'GET' | WriteMethod,
  path: string,
  options: RequestOptions,
  accept = 'application/json',
): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (options.raw !== undefined) headers['content-type'] = options.raw.contentType;
  else if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && options.csrf !== false && csrfToken !== null) {
    headers['x-csrf-token'] = csrfToken;
  }
  return fetch(apiUrl(path, options.params), {
    method,
    headers,
    body:
      options.raw !== undefined
        ? options.raw.body
        : options.body === undefined
          ? null
          : JSON.stringify(options.body),
    credentials: 'same-origin',
    signal: options.signal ?? null,
  });
}

/** The `ApiError` of a non-2xx answer, with the API's own message when the body has one. */
function failure(response: Response, path: string, body: unknown): ApiError {
  if (response.status === 401 && path !== sessionPath) unauthenticatedHandler?.();
  if (isErrorBody(body)) {
    return new ApiError(response.status, body.error.code, body.error.message, body.error.details);
  }
  return new ApiError(
    response.status,
    fallbackCode(response.status),
    `${response.status} ${response.statusText || 'error'} from ${path}`,
  );
}

function parsed(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function request<T>(
  method: 'GET' | WriteMethod,
  path: string,
  options: RequestOptions,
): Promise<T> {
  const response = await send(method, path, options);
  const body = parsed(await response.text());
  if (!response.ok) throw failure(response, path, body);
  if (response.status === 204) return undefined as T;
  if (body === undefined) {
    throw new ApiError(response.status, 'internal', `The server sent no JSON for ${path}`);
  }
  return body as T;
}

function fallbackCode(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 429:
      return 'rate_limited';
    default:
      return 'internal';
  }
}

/**
 * GET a JSON resource of the API. Resolves with the body typed as the contract says (the
 * server validates what it sends against the same schemas); rejects with an `ApiError`
 * for every non-2xx answer, using the API's own message when the body has one.
 */
export function getJson<T>(path: string, params?: QueryParams, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, { params, signal });
}

/**
 * POST, PUT, PATCH or DELETE a JSON body with the session's CSRF token. Resolves with the
 * response body (undefined for 204 No Content, so `T` is `void` there); rejects like `getJson`.
 * A POST that only reads (a validation, a simulation) may pass a `signal` to be cancelled.
 */
export function sendJson<T = void>(
  method: WriteMethod,
  path: string,
  body?: unknown,
  options?: { csrf?: boolean; signal?: AbortSignal },
): Promise<T> {
  return request<T>(method, path, { body, csrf: options?.csrf, signal: options?.signal });
}

/**
 * POST a file as the raw request body (not multipart) with the session's CSRF token, e.g. an
 * import upload; resolves with the JSON answer and rejects like `sendJson`.
 */
export function sendFile<T>(
  path: string,
  file: Blob,
  contentType: string,
  params?: QueryParams,
  signal?: AbortSignal,
): Promise<T> {
  return request<T>('POST', path, { raw: { body: file, contentType }, params, signal });
}

/**
 * POST a JSON body with the session's CSRF token and receive a file (e.g. a report to
 * download) as a Blob; rejects like `sendJson`.
 */
export async function sendJsonForFile(
  path: string,
  body: unknown,
  params?: QueryParams,
): Promise<Blob> {
  const response = await send('POST', path, { body, params }, '*/*');
  if (!response.ok) throw failure(response, path, parsed(await response.text()));
  return response.blob();
}
