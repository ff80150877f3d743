import { DomainError } from '@tierline/core';

type Kind = 'string' | 'number';
type Of<K extends readonly Kind[]> = { [I in keyof K]: K[I] extends 'number' ? number : string };

/** An opaque keyset cursor: the last row's sort values, as base64url JSON. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decode a cursor made by {@link encodeCursor}; a tampered or stale one is a 400. */
export function decodeCursor<const K extends readonly Kind[]>(cursor: string, kinds: K): Of<K> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  if (
    !Array.isArray(values) ||
    values.length !== kinds.length ||
    values.some((v, i) => typeof v !== kinds[i])
  ) {
    throw new DomainError(
      'validation_failed',
      'The cursor is not valid for this list. Start again from the first page.',
      { field: 'cursor' },
    );
  }
  return values as Of<K>;
}
