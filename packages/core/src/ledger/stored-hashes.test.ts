import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toHex } from './bytes.js';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
import {
  type HashReader,
  appendIndexes,
  hashReaderFrom,
  proveRecord,
  proveTree,
  recordProofIndexes,
  splitStoredHashIndex,
  storedHashCount,
  storedHashIndex,
  storedHashes,
  treeHash,
  treeHashIndexes,
  treeProofIndexes,
} from './stored-hashes.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** Hashes as one string: vitest compares it far faster than arrays of Uint8Array. */
const hexes = (hashes: readonly Uint8Array[]) => hashes.map(toHex).join(' ');

/** A log built by appending entries one by one through the stored-hash method. */
function buildLog(entries: readonly Uint8Array[]): Uint8Array[] {
  const storage: Uint8Array[] = [];
  const reader = hashReaderFrom(storage);
  entries.forEach((e, n) => storage.push(...storedHashes(n, e, reader)));
  return storage;
}

/** A reader that records which indexes were asked for. */
function recording(storage: readonly Uint8Array[]): HashReader & { asked: number[] } {
  const inner = hashReaderFrom(storage);
  const asked: number[] = [];
  return {
    asked,
    readHashes(indexes) {
      asked.push(...indexes);
      return inner.readHashes(indexes);
    },
  };
}

describe('storage layout (golang.org/x/mod sumdb/tlog)', () => {
  it.each([
    [0, 0, 0],
    [0, 1, 1],
    [1, 0, 2],
    [0, 2, 3],
    [0, 3, 4],
    [1, 1, 5],
    [2, 0, 6],
    [0, 4, 7],
  ])(
    'the hash at level %i, n %i is stored at %i (written as record 0…7 are appended)',
    (l, n, i) => {
      expect(storedHashIndex(l, n)).toBe(i);
      expect(splitStoredHashIndex(i)).toEqual({ level: l, n });
    },
  );

  it('splitStoredHashIndex inverts storedHashIndex for levels 0…9, n 0…99 (TestSplitStoredHashIndex)', () => {
    for (let level = 0; level < 10; level++) {
      for (let n = 0; n < 100; n++) {
        expect(splitStoredHashIndex(storedHashIndex(level, n))).toEqual({ level, n });
      }
    }
  });

  it('appendIndexes lists the left siblings of the subtrees record n completes, ascending', () => {
    expect(appendIndexes(0)).toEqual([]);
    expect(appendIndexes(1)).toEqual([0]);
    expect(appendIndexes(3)).toEqual([2, 3]);
    expect(appendIndexes(7)).toEqual([6, 9, 10]);
  });
});

describe('the 100-record tree of TestTree (golang.org/x/mod sumdb/tlog/tlog_test.go)', () => {
  const entries = Array.from({ length: 100 }, (_, i) => utf8(`leaf ${i}`));
  const leafHashes = entries.map(leafHash);
  const storage = buildLog(entries);
  const reader = hashReaderFrom(storage);

  it('stores storedHashCount(n) hashes after n records, for every n', () => {
    const partial: Uint8Array[] = [];
    entries.forEach((e, n) => {
      partial.push(...storedHashes(n, e, hashReaderFrom(partial)));
      expect(partial.length).toBe(storedHashCount(n + 1));
    });
    expect(storedHashCount(0)).toBe(0);
  });

  it('computes every tree hash from stored hashes as the MTH of the leaves', () => {
    for (let size = 0; size <= 100; size++) {
      expect(treeHash(size, reader)).toEqual(rootFromLeafHashes(leafHashes.slice(0, size)));
    }
  });

  it('proves every record in every tree with the bytes of the RFC algorithm', () => {
    for (let size = 1; size <= 100; size++) {
      const root = treeHash(size, reader);
      for (let index = 0; index < size; index++) {
        const proof = proveRecord(index, size, reader);
        expect(hexes(proof)).toBe(hexes(inclusionProof(leafHashes, index, size)));
        expect(verifyInclusion(leafHashes[index]!, index, size, proof, root)).toBe(true);
      }
    }
  });

  it('proves every tree consistent with every larger one with the bytes of the RFC algorithm', () => {
    for (let newSize = 0; newSize <= 100; newSize++) {
      const newRoot = treeHash(newSize, reader);
      for (let oldSize = 0; oldSize <= newSize; oldSize++) {
        const proof = proveTree(oldSize, newSize, reader);
        expect(hexes(proof)).toBe(hexes(consistencyProof(leafHashes, oldSize, newSize)));
        expect(verifyConsistency(oldSize, newSize, treeHash(oldSize, reader), newRoot, proof)).toBe(
          true,
        );
      }
    }
  });
});

describe('reads stay logarithmic', () => {
  const storage = buildLog(Array.from({ length: 1000 }, (_, i) => utf8(String(i))));

  it('a tree hash reads one stored hash per 1 bit of the size', () => {
    const r = recording(storage);
    treeHash(1000, r); // 1000 = 0b1111101000: six complete subtrees
    expect(r.asked).toEqual(treeHashIndexes(1000));
    expect(r.asked).toHaveLength(6);
  });

  it('an append reads one stored hash per subtree it completes', () => {
    const r = recording(storage);
    storedHashes(999, utf8('999'), r); // 999 = 0b1111100111: three trailing 1 bits
    expect(r.asked).toEqual(appendIndexes(999));
    expect(r.asked).toHaveLength(3);
  });

  it('the …Indexes lists are exactly what the proofs read, so an async store can prefetch them', () => {
    for (const [index, size] of [
      [0, 1000],
      [999, 1000],
      [517, 777],
    ] as const) {
      const r = recording(storage);
      proveRecord(index, size, r);
      expect(r.asked).toEqual(recordProofIndexes(index, size));
      expect(r.asked.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(size)) ** 2);
    }
    const r = recording(storage);
    proveTree(333, 1000, r);
    expect(r.asked).toEqual(treeProofIndexes(333, 1000));
  });

  it('works over a map of just the prefetched rows', () => {
    const wanted = recordProofIndexes(517, 777);
    const rows = new Map(wanted.map((i) => [i, storage[i]!] as const));
    expect(proveRecord(517, 777, hashReaderFrom(rows))).toEqual(
      proveRecord(517, 777, hashReaderFrom(storage)),
    );
    expect(() => treeHash(777, hashReaderFrom(rows))).toThrow(/Stored hash \d+ is not available/);
  });
});

describe('properties', () => {
  it('roots computed incrementally from stored hashes equal rootFromLeafHashes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 600 }), (entries) => {
        const storage = buildLog(entries);
        const reader = hashReaderFrom(storage);
        const leaves = entries.map(leafHash);
        expect(storage).toHaveLength(storedHashCount(entries.length));
        for (const size of [0, entries.length >> 1, entries.length]) {
          expect(treeHash(size, reader)).toEqual(rootFromLeafHashes(leaves.slice(0, size)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('stored-hash proofs equal the leaf-list proofs for random sizes', () => {
    const entries = Array.from({ length: 2100 }, (_, i) => utf8(`e${i}`));
    const leaves = entries.map(leafHash);
    const reader = hashReaderFrom(buildLog(entries));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2100 }),
        fc.integer({ min: 0, max: 2100 }),
        fc.nat(),
        (size, other, at) => {
          const index = at % size;
          expect(hexes(proveRecord(index, size, reader))).toBe(
            hexes(inclusionProof(leaves, index, size)),
          );
          const [m, n] = other <= size ? [other, size] : [size, other];
          expect(hexes(proveTree(m, n, reader))).toBe(hexes(consistencyProof(leaves, m, n)));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('refusals', () => {
  const reader = hashReaderFrom(buildLog([utf8('a'), utf8('b')]));

  it.each([
    [
      'a record past the tree',
      () => proveRecord(2, 2, reader),
      'The record index 2 is not within 0…1.',
    ],
    [
      'an old size above the new',
      () => proveTree(3, 2, reader),
      'The old tree size 3 is not within 0…2.',
    ],
    ['a negative tree size', () => treeHash(-1, reader), 'The tree size -1 is not within'],
    ['a fractional tree size', () => treeHash(1.5, reader), 'The tree size 1.5 is not within'],
    [
      'a reader returning too few hashes',
      () => treeHash(2, { readHashes: () => [] }),
      /returned 0 hashes for 1 indexes/,
    ],
  ])('%s', (_, f, message) => {
    expect(f).toThrow(message);
  });
});
