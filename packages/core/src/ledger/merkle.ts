/**
 * The Merkle Tree Hash of RFC 9162 §2.1 (unchanged from RFC 6962 §2.1) over SHA-256, with
 * inclusion and consistency proofs built from a full list of leaf hashes and verified exactly as
 * RFC 9162 §2.1.3.2 and §2.1.4.2 prescribe. For trees too large to hold in memory, build proofs
 * from stored subtree hashes instead (stored-hashes.ts); both produce the same bytes.
 *
 * Sizes and indexes are JavaScript numbers: exact up to 2^53 − 1, which no tenant's log reaches.
 * Shifts are written as division by two, because `>>` would truncate them to 32 bits.
 */
import { HASH_SIZE, bytesEqual, ledgerError, sha256 } from './bytes.js';

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** The hash of an empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export function emptyTreeHash(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** The hash of a leaf holding entry: SHA-256(0x00 ‖ entry). An empty entry is allowed. */
export function leafHash(entry: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, entry);
}

/** The hash of an interior node: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

/**
 * The largest power of two strictly less than n (n ≥ 2): the RFC's split point k, so that the left
 * subtree D[0:k] is complete and the right one D[k:n] is not empty.
 */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH(D[n]) for the given leaf hashes (RFC 9162 §2.1.1), in O(n) hashes and O(log n) memory.
 * The leaves are folded into their complete subtrees as they arrive; the remaining subtree roots,
 * smallest on the right, are then combined right to left, which is exactly the recursive split at
 * the largest power of two below n. An empty list gives {@link emptyTreeHash}.
 */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return emptyTreeHash();
  const stack: Uint8Array[] = [];
  for (let i = 0; i < hashes.length; i++) {
    let h = hashes[i] as Uint8Array;
    // Each trailing 1 bit of i completes a subtree with the one on the stack's top.
    for (let j = i; j % 2 === 1; j = (j - 1) / 2) h = nodeHash(stack.pop() as Uint8Array, h);
    stack.push(h);
  }
  let root = stack.pop() as Uint8Array;
  while (stack.length > 0) root = nodeHash(stack.pop() as Uint8Array, root);
  return root;
}

function checkSize(what: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw ledgerError(
      'malformed_proof',
      `${what} must be an integer from 0 to ${max}, not ${value}.`,
      {
        [what]: value,
      },
    );
  }
}

/**
 * The inclusion proof PATH(index, D[size]) of RFC 9162 §2.1.3.1, deepest sibling first, for the
 * first `size` of leafHashes. Throws when index ≥ size or size exceeds the list. O(size) hashes.
 */
export function inclusionProof(
  leafHashes: readonly Uint8Array[],
  index: number,
  size: number,
): Uint8Array[] {
  checkSize('size', size, leafHashes.length);
  checkSize('index', index, size - 1);
  const proof: Uint8Array[] = [];
  let lo = 0;
  let hi = size;
  // Walk down from the root, recording the sibling at each split; reverse at the end.
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      proof.push(rootFromLeafHashes(leafHashes.slice(lo + k, hi)));
      hi = lo + k;
    } else {
      proof.push(rootFromLeafHashes(leafHashes.slice(lo, lo + k)));
      lo += k;
    }
  }
  return proof.reverse();
}

/**
 * The consistency proof PROOF(oldSize, D[newSize]) of RFC 9162 §2.1.4.1 for the first newSize of
 * leafHashes. Empty when oldSize is 0 or equals newSize. Throws unless 0 ≤ oldSize ≤ newSize ≤
 * leafHashes.length. O(newSize) hashes.
 */
export function consistencyProof(
  leafHashes: readonly Uint8Array[],
  oldSize: number,
  newSize: number,
): Uint8Array[] {
  checkSize('newSize', newSize, leafHashes.length);
  checkSize('oldSize', oldSize, newSize);
  if (oldSize === 0 || oldSize === newSize) return [];
  const proof: Uint8Array[] = [];
  // SUBPROOF(m, D[lo:hi], b), unrolled: `whole` is b, true while D[lo:hi] starts at leaf 0.
  let lo = 0;
  let hi = newSize;
  let m = oldSize;
  let whole = true;
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      proof.push(rootFromLeafHashes(leafHashes.slice(lo + k, hi)));
      hi = lo + k;
    } else {
      proof.push(rootFromLeafHashes(leafHashes.slice(lo, lo + k)));
      lo += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) proof.push(rootFromLeafHashes(leafHashes.slice(lo, hi)));
  return proof.reverse();
}

function allHashes(...hashes: readonly Uint8Array[]): boolean {
  return hashes.every((h) => h.length === HASH_SIZE);
}

/**
 * True when proof shows that the leaf with hash leafHash sits at index in the tree of the given
 * size whose root is root: the algorithm of RFC 9162 §2.1.3.2, step for step. False for any
 * malformed input (index ≥ size, a hash that is not 32 bytes, a proof too long or too short).
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    return false;
  }
  if (!allHashes(leafHash, root, ...proof)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(r, root);
}

/**
 * True when proof shows that the tree of oldSize with root oldRoot is a prefix of the tree of
 * newSize with root newRoot: RFC 9162 §2.1.4.2 step for step for 0 < oldSize < newSize. The cases
 * the RFC leaves aside are decided so that nothing unproven passes: equal sizes need an empty proof
 * and equal roots; oldSize 0 needs an empty proof and oldRoot = SHA-256("") (every tree extends the
 * empty one); oldSize > newSize is never consistent.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize)) return false;
  if (oldSize < 0 || oldSize > newSize) return false;
  if (!allHashes(oldRoot, newRoot, ...proof)) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && bytesEqual(oldRoot, emptyTreeHash());
  // 1. An empty path fails.
  if (proof.length === 0) return false;
  // 2. If first is an exact power of 2, prepend first_hash.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  // 3. fn = first − 1, sn = second − 1. 4. Shift both right while LSB(fn) is set.
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  // 5. fr = sr = the first value of the path.
  let fr = path[0] as Uint8Array;
  let sr = fr;
  // 6. For each subsequent value c:
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 7. fr = first_hash, sr = second_hash, and sn = 0.
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
