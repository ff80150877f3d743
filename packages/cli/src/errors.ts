import { DomainError } from '@tierline/core';
import { PortInUseError, StoreError } from '@tierline/server';

/** Exit codes: 0 success, 1 the work failed, 2 the command was called wrongly. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A wrong argument; printed as one line and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Print one clear line for a known error (or the stack for an unexpected one) and exit. */
export function fail(error: unknown): never {
  if (error instanceof UsageError) {
    process.stderr.write(`tierline: ${error.message}\n`);
    process.exit(EXIT.usage);
  }
  if (
    error instanceof StoreError ||
    error instanceof PortInUseError ||
    error instanceof DomainError
  ) {
    process.stderr.write(`tierline: ${error.message}\n`);
    process.exit(EXIT.failed);
  }
  process.stderr.write(
    `tierline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(EXIT.failed);
}

/** Parse a whole number within bounds, or throw a UsageError naming the option. */
export function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${value}".`);
    }
    return n;
  };
}
