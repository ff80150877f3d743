import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex, toHex } from './bytes.js';
import { SALT_SIZE, canonicalJson, commit, verifyCommitment } from './commitment.js';

const SALT = Uint8Array.from({ length: 32 }, (_, i) => i);

/** SHA-256(salt ‖ bytes), computed here without the module under test. */
function expectedCommitment(salt: Uint8Array, bytes: Uint8Array): string {
  return createHash('sha256').update(salt).update(bytes).digest('hex');
}

// RFC 8785 §3.2.2 (input, parsed as JSON) and §3.2.4 (the canonical form's UTF-8 in hex).
const RFC8785_INPUT = String.raw`{
  "numbers": [333333333.33333329, 1E30, 4.50,
              2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`;
const RFC8785_UTF8 = `
  7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c 22 6e
  75 6d 62 65 72 73 22 3a 5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 65 2b 33 30
  2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24
  5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d`.replace(/\s+/g, '');

describe('canonical JSON (RFC 8785)', () => {
  it('reproduces the RFC 8785 §3.2.4 bytes for the §3.2.2 sample, and commits to them', () => {
    const record: unknown = JSON.parse(RFC8785_INPUT);
    const json = canonicalJson(record);
    expect(json).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
    expect(toHex(new TextEncoder().encode(json))).toBe(RFC8785_UTF8);
    expect(toHex(commit(record, SALT))).toBe(expectedCommitment(SALT, fromHex(RFC8785_UTF8)));
  });

  // cyberphone/json-canonicalization testdata (the RFC 8785 authors' test suite): input/*.json
  // parsed, compared with output/*.json.
  it.each([
    [
      'structures',
      String.raw`{"1": {"f": {"f": "hi","F": 5} ,"\n": 56.0}, "10": { }, "": "empty", "a": { }, "111": [ { } ], "A": { }}`,
      String.raw`{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}`,
    ],
    [
      'french (sorting ignores locale)',
      '{"peach": "This sorting order", "péché": "is wrong according to French", "pêche": "but canonicalization MUST", "sin": "ingnore locale"}',
      '{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ingnore locale"}',
    ],
    [
      'weird (properties sorted by UTF-16 code units)',
      String.raw`{"\u20ac": "Euro Sign", "1": "One", "\u0080": "Control\u007f", "\ud83d\ude02": "Smiley", "\u00f6": "Latin Small Letter O With Diaeresis", "\ufb33": "Hebrew Letter Dalet With Dagesh", "</script>": "Browser Challenge"}`,
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    ],
  ])('%s', (_, input, output) => {
    const record: unknown = JSON.parse(input);
    expect(canonicalJson(record)).toBe(output);
    expect(toHex(commit(record, SALT))).toBe(
      expectedCommitment(SALT, new TextEncoder().encode(output)),
    );
  });

  it.each([
    ['undefined', undefined, /it is not JSON/],
    ['a function', () => 1, /it is not JSON/],
    ['NaN', { score: Number.NaN }, /NaN is not allowed/],
    ['Infinity', [Number.POSITIVE_INFINITY], /Infinity is not allowed/],
    ['a BigInt', { fen: 10n }, /no canonical JSON form/],
    ['a lone surrogate', { name: '\ud800' }, /Lone surrogate/],
  ])('refuses %s', (_, record, message) => {
    expect(() => canonicalJson(record)).toThrow(message);
    expect(() => commit(record, SALT)).toThrow(message);
  });

  it('refuses a cycle', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => commit(cyclic, SALT)).toThrow(/Circular reference/);
  });
});

describe('commitments', () => {
  const decision = { dealer: 'D-1042', tier: 'A', score: 87.5, month: '2025-06', policy: 3 };

  it('are 32 bytes, independent of key order, and open only with the same record and salt', () => {
    const c = commit(decision, SALT);
    expect(c).toHaveLength(32);
    const reordered = { month: '2025-06', policy: 3, score: 87.5, tier: 'A', dealer: 'D-1042' };
    expect(commit(reordered, SALT)).toEqual(c);
    expect(verifyCommitment(reordered, SALT, c)).toBe(true);
    expect(verifyCommitment({ ...decision, tier: 'B' }, SALT, c)).toBe(false);
    expect(
      verifyCommitment(
        decision,
        SALT.map((b) => b ^ 1),
        c,
      ),
    ).toBe(false);
    expect(verifyCommitment(decision, SALT, c.subarray(0, 31))).toBe(false);
  });

  it('flipping any bit of the commitment fails verification', () => {
    const c = commit(decision, SALT);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 7 }), (i, bit) => {
        const bad = new Uint8Array(c);
        bad[i] = bad[i]! ^ (1 << bit);
        expect(verifyCommitment(decision, SALT, bad)).toBe(false);
      }),
    );
  });

  it('the same record under different salts gives unrelated commitments', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (a, b) => {
          fc.pre(toHex(a) !== toHex(b));
          expect(toHex(commit(decision, a))).not.toBe(toHex(commit(decision, b)));
        },
      ),
    );
  });

  it.each([0, 16, 31, 33])(
    'refuses a salt of %i bytes (one fixed length keeps it binding)',
    (n) => {
      expect(() => commit(decision, new Uint8Array(n))).toThrow(
        `A commitment salt is ${SALT_SIZE} bytes, not ${n}: pass 32 random bytes.`,
      );
    },
  );
});
