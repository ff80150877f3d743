/**
 * C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the Merkle tree published as static "tiles" of
 * 256 consecutive hashes at levels 0, 8, 16, … of the tree, plus "entry bundles" of the entries
 * themselves, so that any client can compute roots and proofs with standard tools.
 */
import { HASH_SIZE, concatBytes, ledgerError } from './bytes.js';
import { rootFromLeafHashes } from './merkle.js';
import { type HashReader, splitStoredHashIndex, storedHashIndex } from './stored-hashes.js';

/** Tile height: each tile spans 8 levels of the Merkle tree (fixed by C2SP tlog-tiles). */
export const TILE_HEIGHT = 8;

/** Hashes (or entries) in a full tile: 2^8 = 256; a full hash tile is 8,192 bytes. */
export const TILE_WIDTH = 256;

/**
 * One tile: the n-th at tile level `level` (holding Merkle tree hashes at tree level 8·level),
 * `width` hashes wide: 256 for a full tile, 1–255 for a partial one. The entry bundle with the same
 * n and width carries the entries behind the level-0 tile.
 */
export interface Tile {
  readonly level: number;
  readonly n: number;
  readonly width: number;
}

/** A parsed tile path: a hash tile, or the entry bundle behind a level-0 tile (level 0). */
export interface TilePath {
  readonly kind: 'hash' | 'entries';
  readonly tile: Tile;
}

function checkTile(tile: Tile, maxLevel = 63): void {
  const { level, n, width } = tile;
  if (!Number.isInteger(level) || level < 0 || level > maxLevel) {
    throw new RangeError(`Tile level must be an integer from 0 to ${maxLevel}, not ${level}.`);
  }
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`Tile index must be a non-negative integer, not ${n}.`);
  }
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new RangeError(`Tile width must be an integer from 1 to ${TILE_WIDTH}, not ${width}.`);
  }
}

/** N as zero-padded 3-digit path elements, all but the last prefixed x: 1234067 → x001/x234/067. */
function encodeIndex(n: number): string {
  let s = String(n);
  s = s.padStart(Math.ceil(s.length / 3) * 3, '0');
  const parts: string[] = [];
  for (let i = 0; i < s.length; i += 3) parts.push(s.slice(i, i + 3));
  return parts.map((p, i) => (i < parts.length - 1 ? `x${p}` : p)).join('/');
}

function suffix(width: number): string {
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

/**
 * The path of a hash tile below the log's prefix: `tile/<L>/<N>[.p/<W>]`.
 * Example: { level: 0, n: 1234067, width: 256 } → `tile/0/x001/x234/067`.
 */
export function tilePath(tile: Tile): string {
  checkTile(tile);
  return `tile/${tile.level}/${encodeIndex(tile.n)}${suffix(tile.width)}`;
}

/**
 * The path of the entry bundle behind level-0 tile n: `tile/entries/<N>[.p/<W>]`.
 * Example: entryBundlePath(1, 17) → `tile/entries/001.p/17`.
 */
export function entryBundlePath(n: number, width: number): string {
  checkTile({ level: 0, n, width });
  return `tile/entries/${encodeIndex(n)}${suffix(width)}`;
}

const PATH =
  /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/**
 * Parses a tile or entry-bundle path (relative to the log prefix). Only the canonical spelling is
 * accepted (no `x000` leading groups, no leading zeros in L or W, L ≤ 63, 1 ≤ W ≤ 255); anything
 * else throws DomainError('validation_failed', reason malformed_tile).
 */
export function parseTilePath(path: string): TilePath {
  const m = PATH.exec(path);
  const fail = () => ledgerError('malformed_tile', `Not a tile path: ${JSON.stringify(path)}.`);
  if (m === null) throw fail();
  const [, l, digits, w] = m as unknown as [string, string, string, string | undefined];
  const kind = l === 'entries' ? 'entries' : 'hash';
  const tile: Tile = {
    level: kind === 'entries' ? 0 : Number(l),
    n: Number(digits.replaceAll('x', '').replaceAll('/', '')),
    width: w === undefined ? TILE_WIDTH : Number(w),
  };
  if (!Number.isSafeInteger(tile.n) || tile.level > 63) throw fail();
  if (w !== undefined && tile.width >= TILE_WIDTH) throw fail();
  const canonical = kind === 'entries' ? entryBundlePath(tile.n, tile.width) : tilePath(tile);
  if (canonical !== path) throw fail();
  return { kind, tile };
}

/**
 * Every hash tile of a tree of `size` entries, full and partial, level by level. A tree of 70,000
 * has 273 full level-0 tiles, a partial one of width 112, one full level-1 tile, a partial one of
 * width 17 and a partial level-2 tile of width 1; a tree of 256 has one full level-0 tile and a
 * partial level-1 tile of width 1. `height` exists only to check against published vectors for
 * other heights; C2SP logs use 8.
 */
export function tilesForSize(size: number, height = TILE_HEIGHT): Tile[] {
  return newTiles(0, size, height);
}

/**
 * The tiles a log must (re)publish when it grows from oldSize to newSize: every tile of newSize
 * that oldSize did not have at the same width. (golang.org/x/mod/sumdb/tlog NewTiles.)
 */
export function newTiles(oldSize: number, newSize: number, height = TILE_HEIGHT): Tile[] {
  const width = 2 ** height;
  const tiles: Tile[] = [];
  for (let level = 0, span = 1; Math.floor(newSize / span) > 0; level++, span *= width) {
    const oldN = Math.floor(oldSize / span);
    const newN = Math.floor(newSize / span);
    if (oldN === newN) continue;
    const full = Math.floor(newN / width);
    for (let n = Math.floor(oldN / width); n < full; n++) tiles.push({ level, n, width });
    const partial = newN - full * width;
    if (partial > 0) tiles.push({ level, n: full, width: partial });
  }
  return tiles;
}

/** The storage indexes of the stored hashes that make up a hash tile, in tile order. */
export function tileHashIndexes(tile: Tile): number[] {
  checkTile(tile);
  const indexes = new Array<number>(tile.width);
  for (let i = 0; i < tile.width; i++) {
    indexes[i] = storedHashIndex(TILE_HEIGHT * tile.level, tile.n * TILE_WIDTH + i);
  }
  return indexes;
}

/** A hash tile's bytes (width × 32), read from stored hashes. */
export function readTileData(tile: Tile, reader: HashReader): Uint8Array {
  return concatBytes(reader.readHashes(tileHashIndexes(tile)));
}

/** The hashes in a hash tile's bytes; throws unless the data is exactly width × 32 bytes. */
export function parseHashTile(tile: Tile, data: Uint8Array): Uint8Array[] {
  checkTile(tile);
  if (data.length !== tile.width * HASH_SIZE) {
    throw ledgerError(
      'malformed_tile',
      `Tile ${tilePath(tile)} must be ${tile.width * HASH_SIZE} bytes, not ${data.length}.`,
      { path: tilePath(tile) },
    );
  }
  const hashes: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += HASH_SIZE)
    hashes.push(data.subarray(at, at + HASH_SIZE));
  return hashes;
}

/**
 * A HashReader for the tree of `size` entries backed by published tiles: each stored hash is taken
 * from, or recomputed inside, the tile that holds its level. readTile returns a tile's bytes (e.g.
 * from a fetched cache). The hashes are not authenticated by themselves: compute the tree hash or
 * proof from them and verify it against a signed checkpoint, which is what makes the tiles
 * trustworthy. Tiles are read once each.
 */
export function tileHashReader(size: number, readTile: (tile: Tile) => Uint8Array): HashReader {
  const cache = new Map<string, Uint8Array[]>();
  const hashAt = (index: number): Uint8Array => {
    const { level, n } = splitStoredHashIndex(index);
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const span = 2 ** (level - TILE_HEIGHT * tileLevel); // tile-level hashes under this one
    const first = n * span;
    const available = Math.floor(size / TILE_WIDTH ** tileLevel); // tile-level hashes in the tree
    if (first + span > available) {
      throw new RangeError(`Stored hash ${index} is not part of a tree of ${size} entries.`);
    }
    const tileN = Math.floor(first / TILE_WIDTH);
    const width = Math.min(TILE_WIDTH, available - tileN * TILE_WIDTH);
    const tile: Tile = { level: tileLevel, n: tileN, width };
    const key = tilePath(tile);
    let hashes = cache.get(key);
    if (hashes === undefined) {
      hashes = parseHashTile(tile, readTile(tile));
      cache.set(key, hashes);
    }
    const at = first - tileN * TILE_WIDTH;
    return rootFromLeafHashes(hashes.slice(at, at + span));
  };
  return { readHashes: (indexes) => indexes.map(hashAt) };
}

/** Largest entry an entry bundle can carry: its length prefix is a uint16. */
export const MAX_ENTRY_SIZE = 0xffff;

/** An entry bundle's bytes: each entry as a big-endian uint16 length followed by its bytes. */
export function formatEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    if (e.length > MAX_ENTRY_SIZE) {
      throw new RangeError(`An entry of ${e.length} bytes exceeds ${MAX_ENTRY_SIZE} bytes.`);
    }
    parts.push(new Uint8Array([e.length >> 8, e.length & 0xff]), e);
  }
  return concatBytes(parts);
}

/**
 * The entries of an entry bundle. Throws DomainError (reason malformed_tile) when a length prefix
 * runs past the end, or when `width` is given and the count differs.
 */
export function parseEntryBundle(data: Uint8Array, width?: number): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + 2 > data.length) break;
    const len = ((data[at] as number) << 8) | (data[at + 1] as number);
    if (at + 2 + len > data.length) break;
    entries.push(data.subarray(at + 2, at + 2 + len));
    at += 2 + len;
  }
  if (at !== data.length) {
    throw ledgerError(
      'malformed_tile',
      `Entry bundle is truncated after ${entries.length} entries.`,
    );
  }
  if (width !== undefined && entries.length !== width) {
    throw ledgerError(
      'malformed_tile',
      `Entry bundle holds ${entries.length} entries where ${width} were expected.`,
    );
  }
  return entries;
}
