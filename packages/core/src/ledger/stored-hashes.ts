/**
 * The Merkle tree as a sequence of stored hashes, the layout of golang.org/x/mod/sumdb/tlog: the
 * hash of every complete subtree, each written as soon as the record that completes it is added.
 * Appending record n writes its leaf hash and one hash per subtree it completes (the trailing 1
 * bits of n), so an append costs O(1) amortised and O(log N) at worst; a tree hash, inclusion or
 * consistency proof reads O(log N) stored hashes, never the leaves.
 *
 * Storage is the caller's. Each operation comes in two halves so that it works over an async
 * store: `…Indexes(…)` lists the stored hashes it needs (a pure function of the sizes), and the
 * operation itself takes a synchronous {@link HashReader}, e.g. {@link hashReaderFrom} over the
 * rows just fetched for those indexes.
 */
import { HASH_SIZE, ledgerError } from './bytes.js';
import { emptyTreeHash, leafHash, nodeHash, splitPoint } from './merkle.js';

/**
 * Reads stored hashes by storage index. Must return exactly one 32-byte hash per index, in the
 * order asked; the functions here ask only for hashes of complete subtrees within the tree size
 * they are given.
 */
export interface HashReader {
  readHashes(indexes: readonly number[]): readonly Uint8Array[];
}

/**
 * A HashReader over hashes already in memory: an array indexed by storage index (a whole log's
 * stored hashes, as in tests) or a map from storage index to hash (the rows fetched for a
 * `…Indexes` list). Throws naming the first index it does not hold.
 */
export function hashReaderFrom(
  source: readonly Uint8Array[] | ReadonlyMap<number, Uint8Array>,
): HashReader {
  const get = Array.isArray(source)
    ? (i: number) => (source as readonly Uint8Array[])[i]
    : (i: number) => (source as ReadonlyMap<number, Uint8Array>).get(i);
  return {
    readHashes(indexes) {
      return indexes.map((i) => {
        const h = get(i);
        if (h === undefined) throw new RangeError(`Stored hash ${i} is not available.`);
        return h;
      });
    },
  };
}

/** Number of trailing 1 bits of n (n ≥ 0). */
function trailingOnes(n: number): number {
  let count = 0;
  while (n % 2 === 1) {
    n = (n - 1) / 2;
    count++;
  }
  return count;
}

/**
 * The storage index of the hash of the n-th complete subtree at the given level (level 0: the
 * leaf hash of record n; level l: the subtree over records n·2^l … (n+1)·2^l − 1). The order is
 * that of writing: record n's leaf hash, then the subtrees it completes, lowest first.
 * Example: storedHashIndex(0, 2) = 3, storedHashIndex(1, 1) = 5, storedHashIndex(2, 0) = 6.
 */
export function storedHashIndex(level: number, n: number): number {
  // Level l's n-th hash is written right after level 0's hash of record (n+1)·2^l − 1.
  for (let l = level; l > 0; l--) n = 2 * n + 1;
  // Level 0's n-th hash comes after n + n/2 + n/4 + … hashes.
  let i = 0;
  for (; n > 0; n = Math.floor(n / 2)) i += n;
  return i + level;
}

/** The inverse of {@link storedHashIndex}: the level and n that a storage index holds. */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  // storedHashIndex(0, n) < 2n, so the record that wrote this hash is in [index/2, index].
  let n = Math.floor(index / 2);
  let indexN = storedHashIndex(0, n);
  for (;;) {
    // Record n writes 1 + trailingOnes(n) hashes.
    const next = indexN + 1 + trailingOnes(n);
    if (next > index) break;
    n++;
    indexN = next;
  }
  const level = index - indexN;
  return { level, n: Math.floor(n / 2 ** level) };
}

/** How many hashes a tree of `size` records has stored (0 for the empty tree). */
export function storedHashCount(size: number): number {
  if (size === 0) return 0;
  return storedHashIndex(0, size - 1) + 1 + trailingOnes(size - 1);
}

/** The storage indexes {@link storedHashesForRecordHash} reads to append record n, ascending. */
export function appendIndexes(n: number): number[] {
  const m = trailingOnes(n);
  const indexes = new Array<number>(m);
  for (let i = 0; i < m; i++) {
    // floor(n / 2^i) is odd: its left sibling at level i completes a subtree with it.
    indexes[m - 1 - i] = storedHashIndex(i, Math.floor(n / 2 ** i) - 1);
  }
  return indexes;
}

/**
 * The hashes to store when appending record n whose leaf hash is h: h itself, then the hash of
 * each subtree record n completes, lowest first. They go at storage indexes
 * storedHashCount(n) … storedHashCount(n + 1) − 1. Reads {@link appendIndexes}(n).
 */
export function storedHashesForRecordHash(
  n: number,
  h: Uint8Array,
  reader: HashReader,
): Uint8Array[] {
  const indexes = appendIndexes(n);
  const old = read(reader, indexes);
  const hashes = [h];
  for (let i = 0; i < indexes.length; i++) {
    h = nodeHash(old[indexes.length - 1 - i] as Uint8Array, h);
    hashes.push(h);
  }
  return hashes;
}

/** {@link storedHashesForRecordHash} for the record's entry bytes (hashed as a leaf). */
export function storedHashes(n: number, entry: Uint8Array, reader: HashReader): Uint8Array[] {
  return storedHashesForRecordHash(n, leafHash(entry), reader);
}

function read(reader: HashReader, indexes: readonly number[]): readonly Uint8Array[] {
  if (indexes.length === 0) return [];
  const hashes = reader.readHashes(indexes);
  if (hashes.length !== indexes.length || hashes.some((h) => h.length !== HASH_SIZE)) {
    throw new RangeError(
      `The hash reader returned ${hashes.length} hashes for ${indexes.length} indexes, or a hash that is not ${HASH_SIZE} bytes.`,
    );
  }
  return hashes;
}

/** Hashes consumed in the order their indexes were listed. */
interface Cursor {
  readonly hashes: readonly Uint8Array[];
  at: number;
}

/** Indexes of the complete subtrees that tile [lo, hi), largest first (lo aligned to each). */
function subTreeIndexes(lo: number, hi: number, need: number[]): void {
  while (lo < hi) {
    let k = 1;
    let level = 0;
    while (k * 2 <= hi - lo) {
      k *= 2;
      level++;
    }
    need.push(storedHashIndex(level, lo / k));
    lo += k;
  }
}

function subTreeHash(lo: number, hi: number, c: Cursor): Uint8Array {
  const need: number[] = [];
  subTreeIndexes(lo, hi, need);
  const parts = c.hashes.slice(c.at, c.at + need.length);
  c.at += need.length;
  let h = parts[parts.length - 1] as Uint8Array;
  for (let i = parts.length - 2; i >= 0; i--) h = nodeHash(parts[i] as Uint8Array, h);
  return h;
}

/** The storage indexes {@link treeHash} reads for a tree of `size` records. */
export function treeHashIndexes(size: number): number[] {
  checkRange(size, Number.MAX_SAFE_INTEGER, 'tree size');
  const need: number[] = [];
  subTreeIndexes(0, size, need);
  return need;
}

/** The root hash of the tree of the first `size` records, from O(log size) stored hashes. */
export function treeHash(size: number, reader: HashReader): Uint8Array {
  const indexes = treeHashIndexes(size);
  if (size === 0) return emptyTreeHash();
  return subTreeHash(0, size, { hashes: read(reader, indexes), at: 0 });
}

function leafProofIndexes(lo: number, hi: number, n: number, need: number[]): void {
  if (hi - lo === 1) return;
  const k = splitPoint(hi - lo);
  if (n < lo + k) {
    leafProofIndexes(lo, lo + k, n, need);
    subTreeIndexes(lo + k, hi, need);
  } else {
    subTreeIndexes(lo, lo + k, need);
    leafProofIndexes(lo + k, hi, n, need);
  }
}

function leafProof(lo: number, hi: number, n: number, c: Cursor, proof: Uint8Array[]): void {
  if (hi - lo === 1) return;
  const k = splitPoint(hi - lo);
  let sibling: Uint8Array;
  if (n < lo + k) {
    leafProof(lo, lo + k, n, c, proof);
    sibling = subTreeHash(lo + k, hi, c);
  } else {
    sibling = subTreeHash(lo, lo + k, c);
    leafProof(lo + k, hi, n, c, proof);
  }
  proof.push(sibling);
}

function checkRange(index: number, size: number, what: string): void {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index > size) {
    throw ledgerError('malformed_proof', `The ${what} ${index} is not within 0…${size}.`, {
      value: index,
      max: size,
    });
  }
}

/** The storage indexes {@link proveRecord} reads. */
export function recordProofIndexes(index: number, size: number): number[] {
  checkRange(index, size - 1, 'record index');
  const need: number[] = [];
  leafProofIndexes(0, size, index, need);
  return need;
}

/**
 * The RFC 9162 inclusion proof of record `index` in the tree of `size` records, equal to
 * inclusionProof(allLeafHashes, index, size), from O(log² size) stored hashes at most.
 */
export function proveRecord(index: number, size: number, reader: HashReader): Uint8Array[] {
  const hashes = read(reader, recordProofIndexes(index, size));
  const proof: Uint8Array[] = [];
  leafProof(0, size, index, { hashes, at: 0 }, proof);
  return proof;
}

function treeProofIndexes0(lo: number, hi: number, n: number, need: number[]): void {
  if (n === hi) {
    if (lo !== 0) subTreeIndexes(lo, hi, need);
    return;
  }
  const k = splitPoint(hi - lo);
  if (n <= lo + k) {
    treeProofIndexes0(lo, lo + k, n, need);
    subTreeIndexes(lo + k, hi, need);
  } else {
    subTreeIndexes(lo, lo + k, need);
    treeProofIndexes0(lo + k, hi, n, need);
  }
}

function treeProof(lo: number, hi: number, n: number, c: Cursor, proof: Uint8Array[]): void {
  if (n === hi) {
    if (lo !== 0) proof.push(subTreeHash(lo, hi, c));
    return;
  }
  const k = splitPoint(hi - lo);
  let sibling: Uint8Array;
  if (n <= lo + k) {
    treeProof(lo, lo + k, n, c, proof);
    sibling = subTreeHash(lo + k, hi, c);
  } else {
    sibling = subTreeHash(lo, lo + k, c);
    treeProof(lo + k, hi, n, c, proof);
  }
  proof.push(sibling);
}

/** The storage indexes {@link proveTree} reads. */
export function treeProofIndexes(oldSize: number, newSize: number): number[] {
  checkRange(oldSize, newSize, 'old tree size');
  const need: number[] = [];
  if (oldSize > 0) treeProofIndexes0(0, newSize, oldSize, need);
  return need;
}

/**
 * The RFC 9162 consistency proof from the tree of oldSize records to the tree of newSize, equal
 * to consistencyProof(allLeafHashes, oldSize, newSize); empty when oldSize is 0 or newSize.
 */
export function proveTree(oldSize: number, newSize: number, reader: HashReader): Uint8Array[] {
  const hashes = read(reader, treeProofIndexes(oldSize, newSize));
  const proof: Uint8Array[] = [];
  if (oldSize > 0) treeProof(0, newSize, oldSize, { hashes, at: 0 }, proof);
  return proof;
}
