import { describe, expect, it } from 'vitest';
import { KINDS } from './kinds.js';

describe('natural keys', () => {
  // The import finds repeated keys with `=` (a join), which never matches a null.
  it.each(Object.values(KINDS).map((k) => [k.kind, k] as const))(
    '%s: every key field is required or has a fallback, so a key is never null',
    (_, kind) => {
      for (const key of kind.key) {
        const field = kind.fields.find((f) => f.field === key)!;
        expect(field.required || field.fallback !== undefined).toBe(true);
      }
    },
  );
});
