import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { leafHash, rootFromLeafHashes, verifyConsistency, verifyInclusion } from './merkle.js';
import { hashReaderFrom, proveRecord, proveTree, storedHashes, treeHash } from './stored-hashes.js';
import {
  type Tile,
  entryBundlePath,
  formatEntryBundle,
  newTiles,
  parseEntryBundle,
  parseHashTile,
  parseTilePath,
  readTileData,
  tileHashReader,
  tilePath,
  tilesForSize,
} from './tiles.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const entryOf = (i: number) => utf8(`entry ${i}`);

/** Stored hashes of a log of `size` entries `entry 0`, `entry 1`, … */
function buildLog(size: number): Uint8Array[] {
  const storage: Uint8Array[] = [];
  const reader = hashReaderFrom(storage);
  for (let n = 0; n < size; n++) storage.push(...storedHashes(n, entryOf(n), reader));
  return storage;
}

describe('tile paths (C2SP tlog-tiles, "Merkle Tree")', () => {
  it('encodes N in 3-digit elements, x-prefixed but the last: 1234067 → x001/x234/067', () => {
    expect(tilePath({ level: 0, n: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(entryBundlePath(1234067, 256)).toBe('tile/entries/x001/x234/067');
  });

  // Index encodings of golang.org/x/mod sumdb/tlog/tlog_test.go tilePaths, whose paths carry a
  // height element that C2SP drops (its height is always 8).
  it.each([
    [{ level: 0, n: 1, width: 256 }, 'tile/0/001'],
    [{ level: 0, n: 1, width: 5 }, 'tile/0/001.p/5'],
    [{ level: 5, n: 123456078, width: 256 }, 'tile/5/x123/x456/078'],
    [{ level: 5, n: 123456078, width: 2 }, 'tile/5/x123/x456/078.p/2'],
    [{ level: 0, n: 3057500, width: 256 }, 'tile/0/x003/x057/500'],
    [{ level: 63, n: 0, width: 255 }, 'tile/63/000.p/255'],
    [{ level: 2, n: 1000, width: 256 }, 'tile/2/x001/000'],
  ] as const)('%o ⇄ %s', (tile, path) => {
    expect(tilePath(tile)).toBe(path);
    expect(parseTilePath(path)).toEqual({ kind: 'hash', tile });
  });

  it('parses entry bundle paths as the level-0 tile they belong to', () => {
    expect(parseTilePath('tile/entries/x003/x057/500.p/17')).toEqual({
      kind: 'entries',
      tile: { level: 0, n: 3057500, width: 17 },
    });
  });

  it.each([
    'tile/5/123/456/078', // all but the last element need an x
    'tile/-1/x123/x456/078',
    'tile/data/x003/x057/500', // Go's name for entries; C2SP says entries
    'tile/0/x000/001', // not the shortest encoding
    'tile/00/001', // leading zero in the level
    'tile/64/001', // level above 63
    'tile/0/001.p/0',
    'tile/0/001.p/256', // a full tile has no .p suffix
    'tile/0/001.p/05',
    'tile/0/1',
    '/tile/0/001',
    'tile/0/001/',
  ])('refuses %s', (path) => {
    expect(() => parseTilePath(path)).toThrow(`Not a tile path: ${JSON.stringify(path)}.`);
  });
});

describe('which tiles a tree has (C2SP tlog-tiles, "Partial Tiles")', () => {
  it('a tree of 70,000: 273 full level-0 tiles, widths 112, 256, 17 and 1 above', () => {
    const tiles = tilesForSize(70000);
    const level0 = tiles.filter((t) => t.level === 0);
    expect(level0.filter((t) => t.width === 256)).toHaveLength(273);
    expect(tiles.filter((t) => t.width < 256)).toEqual([
      { level: 0, n: 273, width: 112 },
      { level: 1, n: 1, width: 17 },
      { level: 2, n: 0, width: 1 },
    ]);
    expect(tiles.filter((t) => t.level > 0 && t.width === 256)).toEqual([
      { level: 1, n: 0, width: 256 },
    ]);
    expect(tiles).toHaveLength(277);
  });

  it('a tree of 256: one full level-0 tile and a level-1 tile of width 1', () => {
    expect(tilesForSize(256)).toEqual([
      { level: 0, n: 0, width: 256 },
      { level: 1, n: 0, width: 1 },
    ]);
    expect(tilesForSize(0)).toEqual([]);
  });

  // golang.org/x/mod sumdb/tlog/tile_test.go TestNewTilesForSize, at its height of 10.
  it.each([
    [1, 1, 0],
    [100, 101, 1],
    [1023, 1025, 3],
    [1024, 1030, 1],
    [1030, 2000, 1],
    [1030, 10000, 10],
    [49516517, 49516586, 3],
  ])('growing from %i to %i publishes %i tiles (height 10)', (oldSize, newSize, count) => {
    expect(newTiles(oldSize, newSize, 10)).toHaveLength(count);
  });
});

describe('tiles of a real log', () => {
  const size = 70000;
  const storage = buildLog(size);
  const reader = hashReaderFrom(storage);
  const root = treeHash(size, reader);
  const published = new Map(tilesForSize(size).map((t) => [tilePath(t), readTileData(t, reader)]));
  const fetch = (tile: Tile) => published.get(tilePath(tile)) ?? new Uint8Array(0);

  it('level-0 tiles hold the leaf hashes of the entries in the matching bundle', () => {
    const tile = { level: 0, n: 273, width: 112 };
    const entries = Array.from({ length: 112 }, (_, i) => entryOf(273 * 256 + i));
    const bundle = parseEntryBundle(formatEntryBundle(entries), 112);
    expect(parseHashTile(tile, fetch(tile))).toEqual(bundle.map(leafHash));
  });

  it('a full level-1 tile holds the roots of 256 full level-0 tiles', () => {
    const top = parseHashTile(
      { level: 1, n: 0, width: 256 },
      fetch({ level: 1, n: 0, width: 256 }),
    );
    const first = parseHashTile(
      { level: 0, n: 0, width: 256 },
      fetch({ level: 0, n: 0, width: 256 }),
    );
    expect(top[0]).toEqual(rootFromLeafHashes(first));
  });

  it('a verifier rebuilds the root, inclusion and consistency proofs from the tiles alone', () => {
    const fromTiles = tileHashReader(size, fetch);
    expect(treeHash(size, fromTiles)).toEqual(root);
    for (const index of [0, 255, 256, 65535, 69999]) {
      const proof = proveRecord(index, size, fromTiles);
      expect(verifyInclusion(leafHash(entryOf(index)), index, size, proof, root)).toBe(true);
    }
    const old = treeHash(12345, reader);
    expect(verifyConsistency(12345, size, old, root, proveTree(12345, size, fromTiles))).toBe(true);
  });

  it('a tampered tile yields proofs that fail against the signed root', () => {
    // Byte 100 of tile/0/100 lies in the leaf hash of entry 100·256 + 3 = 25603.
    const path = 'tile/0/100';
    const tampered = new Uint8Array(published.get(path)!);
    tampered[100] = tampered[100]! ^ 1;
    const forged = new Map(published).set(path, tampered);
    const fromForged = tileHashReader(size, (t) => forged.get(tilePath(t))!);
    const proof = proveRecord(25602, size, fromForged); // its sibling is entry 25603
    expect(verifyInclusion(leafHash(entryOf(25602)), 25602, size, proof, root)).toBe(false);
    expect(
      verifyInclusion(
        leafHash(entryOf(25600)),
        25600,
        size,
        proveRecord(25600, size, fromForged),
        root,
      ),
    ).toBe(false);
  });

  it('refuses a tile of the wrong length and a hash outside the tree', () => {
    const short = tileHashReader(size, () => new Uint8Array(31));
    expect(() => treeHash(size, short)).toThrow(/Tile tile\/\d+\/\d+.* must be \d+ bytes, not 31/);
    expect(() => tileHashReader(10, fetch).readHashes([30])).toThrow(/not part of a tree of 10/);
  });

  it('property: for any two sizes, the tiles of the larger agree with the smaller tree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3000 }), (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const tiles = new Map(tilesForSize(n).map((t) => [tilePath(t), readTileData(t, reader)]));
        const fromTiles = tileHashReader(n, (t) => tiles.get(tilePath(t))!);
        expect(treeHash(n, fromTiles)).toEqual(treeHash(n, reader));
        expect(proveTree(m, n, fromTiles)).toEqual(proveTree(m, n, reader));
        // A partial tile of the smaller tree is a prefix of the same tile in the larger one.
        for (const t of newTiles(m, n)) {
          const earlier = tilesForSize(m).find((o) => o.level === t.level && o.n === t.n);
          if (earlier !== undefined) {
            const data = tiles.get(tilePath(t))!;
            expect(data.subarray(0, earlier.width * 32)).toEqual(readTileData(earlier, reader));
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('entry bundles (C2SP tlog-tiles, "Log entries")', () => {
  it('prefixes each entry with its length as a big-endian uint16', () => {
    const bundle = formatEntryBundle([utf8('hi'), new Uint8Array(0), new Uint8Array(300)]);
    expect(Array.from(bundle.subarray(0, 6))).toEqual([0, 2, 0x68, 0x69, 0, 0]);
    expect(Array.from(bundle.subarray(6, 8))).toEqual([0x01, 0x2c]);
    expect(bundle).toHaveLength(2 + 2 + 2 + 2 + 300);
  });

  it('round-trips any entries up to 65,535 bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 256 }), (entries) => {
        expect(parseEntryBundle(formatEntryBundle(entries), entries.length)).toEqual(entries);
      }),
    );
  });

  it.each([
    [[0, 3, 1, 2], undefined, 'Entry bundle is truncated after 0 entries.'],
    [[0, 1, 7, 0], undefined, 'Entry bundle is truncated after 1 entries.'],
    [[0, 1, 7], 2, 'Entry bundle holds 1 entries where 2 were expected.'],
  ])('refuses %j (width %s)', (bytes, width, message) => {
    expect(() => parseEntryBundle(new Uint8Array(bytes), width)).toThrow(message);
  });

  it('refuses an entry too long for its length prefix', () => {
    expect(() => formatEntryBundle([new Uint8Array(65536)])).toThrow(/exceeds 65535 bytes/);
  });
});
