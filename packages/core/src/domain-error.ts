/**
 * The closed set of domain error codes. The server maps each to exactly one HTTP status;
 * core knows nothing of HTTP.
 */
export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'payload_too_large'
  | 'rate_limited';

/**
 * The one error type that domain code throws. `message` is for a person and says what to do;
 * `details` carries structured data (e.g. `{ field, value }`).
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/** Shorthand for a not-found error naming what was looked for. */
export function notFound(what: string, key: string | number): DomainError {
  return new DomainError('not_found', `${what} ${key} does not exist.`, { what, key });
}
