import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex, toHex } from './bytes.js';
import {
  consistencyProof,
  emptyTreeHash,
  inclusionProof,
  leafHash,
  nodeHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

const hex = (s: string) => fromHex(s);
const utf8 = (s: string) => new TextEncoder().encode(s);

// transparency-dev/merkle testonly/constants.go: LeafInputs(), NodeHashes(), RootHashes() — the
// RFC 6962 reference tree of 8 leaves used by certificate-transparency-go and Trillian.
const LEAF_INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);
const LEAF_HASHES = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
] as const;
const LEVEL1 = [
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
  '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
  'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
] as const;
const LEVEL2 = [
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
] as const;
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
] as const;
const leaves = LEAF_INPUTS.map(leafHash);

// transparency-dev/merkle proof/verify_test.go: inclusionProofs (leaf numbered from 1 there)
// and consistencyProofs over the same 8 leaves.
const INCLUSION = [
  { index: 0, size: 8, proof: [LEAF_HASHES[1], LEVEL1[1], LEVEL2[1]] },
  { index: 5, size: 8, proof: [LEAF_HASHES[4], LEVEL1[3], LEVEL2[0]] },
  { index: 2, size: 3, proof: [LEVEL1[0]] },
  { index: 1, size: 5, proof: [LEAF_HASHES[0], LEVEL1[1], LEAF_HASHES[4]] },
] as const;
const CONSISTENCY = [
  { oldSize: 1, newSize: 8, proof: [LEAF_HASHES[1], LEVEL1[1], LEVEL2[1]] },
  { oldSize: 6, newSize: 8, proof: [LEVEL1[2], LEVEL1[3], LEVEL2[0]] },
  { oldSize: 2, newSize: 5, proof: [LEVEL1[1], LEAF_HASHES[4]] },
  { oldSize: 6, newSize: 7, proof: [LEVEL1[2], LEAF_HASHES[6], LEVEL2[0]] },
] as const;

describe('RFC 6962 hashing (transparency-dev/merkle rfc6962/rfc6962_test.go)', () => {
  it.each([
    ['the empty tree is SHA-256("")', emptyTreeHash(), ROOTS[0]],
    ['an empty leaf is SHA-256(0x00)', leafHash(new Uint8Array(0)), LEAF_HASHES[0]],
    [
      'a leaf is SHA-256(0x00 ‖ entry)',
      leafHash(utf8('L123456')),
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    ],
    [
      'a node is SHA-256(0x01 ‖ left ‖ right)',
      nodeHash(utf8('N123'), utf8('N456')),
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    ],
  ])('%s', (_, got, want) => {
    expect(toHex(got)).toBe(want);
  });

  it('hashes the reference leaves as testonly.NodeHashes()[0] lists them', () => {
    expect(leaves.map(toHex)).toEqual(LEAF_HASHES);
  });

  it('gives the reference root for every size 0…8 (testonly.RootHashes())', () => {
    for (let size = 0; size <= 8; size++) {
      expect(toHex(rootFromLeafHashes(leaves.slice(0, size))), `size ${size}`).toBe(ROOTS[size]);
    }
  });
});

describe('inclusion proofs (transparency-dev/merkle proof/verify_test.go)', () => {
  it.each(INCLUSION)('leaf $index of $size: proof as published, and it verifies', (v) => {
    const proof = inclusionProof(leaves, v.index, v.size);
    expect(proof.map(toHex)).toEqual(v.proof);
    expect(verifyInclusion(leaves[v.index]!, v.index, v.size, proof, hex(ROOTS[v.size]))).toBe(
      true,
    );
  });

  it.each(INCLUSION)('leaf $index of $size: every corruption probe fails', (v) => {
    const root = hex(ROOTS[v.size]);
    const leaf = leaves[v.index]!;
    const proof = v.proof.map(hex);
    const some = hex('abacaba000000000000000000000000000000000000000000060061e00123456');
    const probes: [number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
      [v.index - 1, v.size, leaf, root, proof],
      [v.index + 1, v.size, leaf, root, proof],
      [v.index ^ 2, v.size, leaf, root, proof],
      [v.index, v.size * 2, leaf, root, proof],
      [v.index, Math.floor(v.size / 2), leaf, root, proof],
      [v.index, v.size, utf8('WrongLeaf'), root, proof],
      [v.index, v.size, leaf, emptyTreeHash(), proof],
      [v.index, v.size, leaf, some, proof],
      [v.index, v.size, leaf, root, [...proof, new Uint8Array(0)]],
      [v.index, v.size, leaf, root, [...proof, root]],
      [v.index, v.size, leaf, root, [new Uint8Array(0), ...proof]],
      [v.index, v.size, leaf, root, [root, ...proof]],
      [v.index, v.size, leaf, root, proof.slice(0, -1)],
    ];
    for (const [index, size, l, r, p] of probes) {
      expect(verifyInclusion(l, index, size, p, r), `index ${index} size ${size}`).toBe(false);
    }
  });

  it('a one-leaf tree needs an empty proof and its root is the leaf hash', () => {
    const h = leafHash(utf8('data'));
    expect(inclusionProof([h], 0, 1)).toEqual([]);
    expect(verifyInclusion(h, 0, 1, [], h)).toBe(true);
    expect(verifyInclusion(h, 0, 1, [], new Uint8Array(0))).toBe(false);
  });

  it.each([
    [0, 0],
    [1, 0],
    [2, 1],
  ])('index %i in a tree of %i never verifies', (index, size) => {
    expect(verifyInclusion(leaves[0]!, index, size, [], emptyTreeHash())).toBe(false);
  });
});

describe('consistency proofs (transparency-dev/merkle proof/verify_test.go)', () => {
  it.each(CONSISTENCY)('$oldSize → $newSize: proof as published, and it verifies', (v) => {
    const proof = consistencyProof(leaves, v.oldSize, v.newSize);
    expect(proof.map(toHex)).toEqual(v.proof);
    const [r1, r2] = [hex(ROOTS[v.oldSize]), hex(ROOTS[v.newSize])];
    expect(verifyConsistency(v.oldSize, v.newSize, r1, r2, proof)).toBe(true);
  });

  it.each(CONSISTENCY)('$oldSize → $newSize: every corruption probe fails', (v) => {
    const [r1, r2] = [hex(ROOTS[v.oldSize]), hex(ROOTS[v.newSize])];
    const p = v.proof.map(hex);
    const probes: [number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
      [v.oldSize - 1, v.newSize, r1, r2, p],
      [v.oldSize + 1, v.newSize, r1, r2, p],
      [v.oldSize ^ 2, v.newSize, r1, r2, p],
      [v.oldSize, v.newSize * 2, r1, r2, p],
      [v.oldSize, Math.floor(v.newSize / 2), r1, r2, p],
      [v.oldSize, v.newSize, utf8('WrongRoot'), r2, p],
      [v.oldSize, v.newSize, r1, utf8('WrongRoot'), p],
      [v.oldSize, v.newSize, r2, r1, p],
      [v.oldSize, v.newSize, r1, r2, []],
      [v.oldSize, v.newSize, r1, r2, [...p, new Uint8Array(0)]],
      [v.oldSize, v.newSize, r1, r2, [...p, r1]],
      [v.oldSize, v.newSize, r1, r2, [...p, r2]],
      [v.oldSize, v.newSize, r1, r2, [new Uint8Array(0), ...p]],
      [v.oldSize, v.newSize, r1, r2, [r1, ...p]],
      [v.oldSize, v.newSize, r1, r2, [r2, ...p]],
      [v.oldSize, v.newSize, r1, r2, [p[0]!, ...p]],
      [v.oldSize, v.newSize, r1, r2, p.slice(0, -1)],
    ];
    for (const [s1, s2, a, b, proof] of probes) {
      expect(verifyConsistency(s1, s2, a, b, proof), `${s1} → ${s2}`).toBe(false);
    }
  });

  it('decides the cases RFC 9162 leaves aside without accepting anything unproven', () => {
    const [r0, r1, r5] = [hex(ROOTS[0]), hex(ROOTS[1]), hex(ROOTS[5])];
    expect(verifyConsistency(0, 0, r0, r0, [])).toBe(true);
    expect(verifyConsistency(0, 5, r0, r5, [])).toBe(true);
    expect(verifyConsistency(0, 5, r1, r5, [])).toBe(false); // size 0 has only one root
    expect(verifyConsistency(5, 5, r5, r5, [])).toBe(true);
    expect(verifyConsistency(5, 5, r5, r1, [])).toBe(false);
    expect(verifyConsistency(5, 5, r5, r5, [r0])).toBe(false);
    expect(verifyConsistency(1, 0, r1, r0, [])).toBe(false); // time travel
    expect(verifyConsistency(1, 2, r1, hex(ROOTS[2]), [])).toBe(false); // empty proof
  });
});

/** Leaf hashes of n distinct entries (the entry is its index, as 4 bytes). */
function leafHashesOf(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => leafHash(new Uint8Array(new Uint32Array([i]).buffer)));
}

/** A copy of bytes with bit 0 of byte i flipped. */
function flip(bytes: Uint8Array, i: number): Uint8Array {
  const out = new Uint8Array(bytes);
  out[i] = out[i]! ^ 1;
  return out;
}

describe('properties', () => {
  const tree = leafHashesOf(300);
  const roots = Array.from({ length: 301 }, (_, n) => rootFromLeafHashes(tree.slice(0, n)));

  it('every inclusion proof verifies, and none for another index', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 300 })
          .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }))),
        ([size, index]) => {
          const proof = inclusionProof(tree, index, size);
          expect(verifyInclusion(tree[index]!, index, size, proof, roots[size]!)).toBe(true);
          if (size > 1) {
            const other = (index + 1) % size;
            expect(verifyInclusion(tree[index]!, other, size, proof, roots[size]!)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every consistency proof between two sizes verifies, and not with the sizes swapped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const proof = consistencyProof(tree, m, n);
        expect(verifyConsistency(m, n, roots[m]!, roots[n]!, proof)).toBe(true);
        if (m !== n) expect(verifyConsistency(n, m, roots[n]!, roots[m]!, proof)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('flipping any byte of the entry, a proof hash or the root fails inclusion', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 300 })
          .chain((size) =>
            fc.tuple(
              fc.constant(size),
              fc.integer({ min: 0, max: size - 1 }),
              fc.nat(),
              fc.integer({ min: 0, max: 31 }),
            ),
          ),
        ([size, index, pick, byte]) => {
          const entry = new Uint8Array(new Uint32Array([index]).buffer);
          const proof = inclusionProof(tree, index, size);
          const root = roots[size]!;
          const verifyEntry = (e: Uint8Array, p: Uint8Array[], r: Uint8Array) =>
            verifyInclusion(leafHash(e), index, size, p, r);
          expect(verifyEntry(entry, proof, root)).toBe(true);
          expect(verifyEntry(flip(entry, byte % entry.length), proof, root)).toBe(false);
          expect(verifyEntry(entry, proof, flip(root, byte))).toBe(false);
          const k = pick % proof.length;
          const bad = proof.map((h, i) => (i === k ? flip(h, byte) : h));
          expect(verifyEntry(entry, bad, root)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('flipping any byte of a consistency proof or either root fails', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 300 })
          .chain((n) =>
            fc.tuple(
              fc.integer({ min: 1, max: n - 1 }),
              fc.constant(n),
              fc.nat(),
              fc.integer({ min: 0, max: 31 }),
            ),
          ),
        ([m, n, pick, byte]) => {
          const proof = consistencyProof(tree, m, n);
          const [r1, r2] = [roots[m]!, roots[n]!];
          const k = pick % proof.length;
          const bad = proof.map((h, i) => (i === k ? flip(h, byte) : h));
          expect(verifyConsistency(m, n, r1, r2, bad)).toBe(false);
          expect(verifyConsistency(m, n, flip(r1, byte), r2, proof)).toBe(false);
          expect(verifyConsistency(m, n, r1, flip(r2, byte), proof)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the O(n) root equals the recursive MTH definition of RFC 9162 §2.1.1', () => {
    const mth = (d: Uint8Array[]): Uint8Array => {
      if (d.length === 0) return emptyTreeHash();
      if (d.length === 1) return d[0]!;
      let k = 1;
      while (k * 2 < d.length) k *= 2;
      return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
    };
    for (let n = 0; n <= 70; n++) expect(roots[n]).toEqual(mth(tree.slice(0, n)));
  });
});

describe('proof construction refuses impossible requests', () => {
  it.each([
    ['an index past the tree', () => inclusionProof(leaves, 8, 8)],
    ['a size past the leaves', () => inclusionProof(leaves, 0, 9)],
    ['an old size above the new one', () => consistencyProof(leaves, 5, 4)],
    ['a fractional size', () => consistencyProof(leaves, 1.5, 4)],
  ])('%s', (_, f) => {
    expect(f).toThrow(/must be an integer from 0 to/);
  });
});
