import { DomainError } from '../domain-error.js';

/**
 * The DomainError that `call` throws: anything else it throws is rethrown, and a call that
 * throws nothing fails.
 */
export function domainError(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
