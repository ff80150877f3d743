import { HASH_SIZE, bytesEqual, describeLedgerError, fromBase64, toBase64 } from './bytes.js';
import { type Checkpoint, openCheckpoint } from './checkpoint.js';
import { parseVerifierKey } from './keys.js';
import { leafHash, rootFromLeafHashes, verifyConsistency } from './merkle.js';
import { proveTree, treeHash } from './stored-hashes.js';
import {
  TILE_WIDTH,
  type Tile,
  entryBundlePath,
  parseEntryBundle,
  parseHashTile,
  tileHashReader,
  tilePath,
  tilesForSize,
} from './tiles.js';

/**
 * Verification of a log from what it publishes alone (its checkpoint, tiles and entry bundles),
 * the way an outside auditor checks it: no database, no trust in the server. Used by
 * `tierline ledger verify` and by the console's verification page, in Node and in a browser.
 */

/** Fetches a path below the log's prefix (`checkpoint`, `tile/0/000`…); null when absent (404). */
export type LogFetch = (path: string) => Promise<Uint8Array | null>;

/** A checkpoint the verifier saw before: the next one must be consistent with it. */
export interface SeenCheckpoint {
  size: number;
  /** Base64 root hash. */
  hash: string;
}

/** Why a verification failed; stable codes for programs, with a sentence for people. */
export type LogProblemCode =
  | 'checkpoint_missing'
  | 'checkpoint_invalid'
  | 'rolled_back'
  | 'forked'
  | 'inconsistent'
  | 'tile_missing'
  | 'tile_invalid'
  | 'entry_invalid'
  | 'entry_mismatch'
  | 'root_mismatch';

export interface LogProblem {
  code: LogProblemCode;
  message: string;
  /** Set when the problem is at one entry. */
  index?: number;
}

export interface LogVerification {
  ok: boolean;
  /** What was checked, in order, for people to read. */
  steps: string[];
  problems: LogProblem[];
  /** The verified checkpoint (its note text), to keep as the next run's `previous`. */
  checkpoint: { note: string; origin: string; size: number; hash: string } | null;
  entries: number;
  tilesFetched: number;
}

/** Requests in flight at once: a verifier over the network waits on latency, not on bytes. */
const FETCH_WINDOW = 16;

/** Run `fn` over `items`, FETCH_WINDOW at a time. */
async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_WINDOW, items.length) }, worker));
}

class Failure extends Error {
  constructor(readonly problem: LogProblem) {
    super(problem.message);
  }
}

function fail(code: LogProblemCode, message: string, index?: number): never {
  throw new Failure(index === undefined ? { code, message } : { code, message, index });
}

/**
 * Verify a log: the checkpoint's signature by `verifierKey` (the origin must be the key's name),
 * consistency with `previous` (a rollback or a fork fails), and, unless `full` is false, every
 * entry: each must be a 32-byte commitment whose leaf hash is in the level-0 tile, the root
 * recomputed from all entries must be the checkpoint's, and so must the root from the tiles.
 */
export async function verifyLog(options: {
  fetch: LogFetch;
  verifierKey: string;
  previous?: SeenCheckpoint | null;
  full?: boolean;
}): Promise<LogVerification> {
  const steps: string[] = [];
  const problems: LogProblem[] = [];
  let tilesFetched = 0;
  let opened: Checkpoint | null = null;
  let note = '';
  const tiles = new Map<string, Uint8Array>();

  const fetchTile = async (tile: Tile): Promise<Uint8Array> => {
    const path = tilePath(tile);
    const data = await options.fetch(path);
    tilesFetched++;
    if (data === null) fail('tile_missing', `Tile ${path} is missing.`);
    try {
      parseHashTile(tile, data);
    } catch (e) {
      fail('tile_invalid', `Tile ${path}: ${(e as Error).message}`);
    }
    tiles.set(path, data);
    return data;
  };

  try {
    const verifier = parseVerifierKey(options.verifierKey);
    const raw = await options.fetch('checkpoint');
    if (raw === null) fail('checkpoint_missing', 'The log publishes no checkpoint.');
    note = new TextDecoder().decode(raw);
    try {
      opened = openCheckpoint(raw, { origin: verifier.name, verifiers: [verifier] }).checkpoint;
    } catch (e) {
      fail('checkpoint_invalid', describeLedgerError(e));
    }
    const cp = opened;
    steps.push(`Checkpoint of ${cp.origin} signed by ${verifier.name}: ${cp.size} entries.`);

    const previous = options.previous ?? null;
    const prevHash = previous ? fromBase64(previous.hash) : undefined;
    if (previous) {
      if (!prevHash || prevHash.length !== HASH_SIZE) {
        fail('inconsistent', 'The checkpoint seen before is not readable.');
      }
      if (cp.size < previous.size) {
        fail(
          'rolled_back',
          `The log went back from ${previous.size} entries (seen before) to ${cp.size}.`,
        );
      }
      if (cp.size === previous.size && !bytesEqual(prevHash, cp.hash)) {
        fail('forked', `The log has two different roots for ${cp.size} entries: it was rewritten.`);
      }
    }

    // Every hash tile of the checkpoint's tree (they are what proofs are computed from).
    await inParallel(tilesForSize(cp.size), async (tile) => {
      await fetchTile(tile);
    });
    const reader = tileHashReader(cp.size, (tile) => {
      const data = tiles.get(tilePath(tile));
      if (!data) fail('tile_missing', `Tile ${tilePath(tile)} is missing.`);
      return data;
    });
    const tileRoot = safely(() => treeHash(cp.size, reader));
    if (!bytesEqual(tileRoot, cp.hash)) {
      fail('root_mismatch', 'The tiles do not hash to the checkpoint root.');
    }
    steps.push(`The ${tiles.size} tiles hash to the checkpoint's root.`);

    if (previous && prevHash) {
      const proof = safely(() => proveTree(previous.size, cp.size, reader));
      if (!verifyConsistency(previous.size, cp.size, prevHash, cp.hash, proof)) {
        fail(
          'forked',
          `The log of ${cp.size} entries does not extend the one of ${previous.size} seen before: it was rewritten.`,
        );
      }
      steps.push(`Consistent with the checkpoint seen before (${previous.size} entries).`);
    }

    if (options.full !== false) {
      const leaves: Uint8Array[] = [];
      const bundles = Math.ceil(cp.size / TILE_WIDTH);
      const fetchBundle = async (n: number) => {
        const width = Math.min(TILE_WIDTH, cp.size - n * TILE_WIDTH);
        const path = entryBundlePath(n, width);
        const data = await options.fetch(path);
        tilesFetched++;
        if (data === null) fail('tile_missing', `Entry bundle ${path} is missing.`);
        try {
          return parseEntryBundle(data, width);
        } catch (e) {
          fail('tile_invalid', `Entry bundle ${path}: ${(e as Error).message}`);
        }
      };
      // Bundles are fetched a window at a time, in parallel, and checked in order.
      for (let first = 0; first < bundles; first += FETCH_WINDOW) {
        const window = Array.from(
          { length: Math.min(FETCH_WINDOW, bundles - first) },
          (_, k) => first + k,
        );
        const fetched = await Promise.all(window.map(fetchBundle));
        fetched.forEach((entries, k) => {
          const n = first + k;
          const width = entries.length;
          const hashes = parseHashTile(
            { level: 0, n, width },
            tiles.get(tilePath({ level: 0, n, width }))!,
          );
          entries.forEach((entry, i) => {
            const index = n * TILE_WIDTH + i;
            if (entry.length !== HASH_SIZE) {
              fail(
                'entry_invalid',
                `Entry ${index} is ${entry.length} bytes, not a 32-byte commitment.`,
                index,
              );
            }
            const leaf = leafHash(entry);
            if (!bytesEqual(leaf, hashes[i]!)) {
              fail('entry_mismatch', `Entry ${index} does not match its hash in the tiles.`, index);
            }
            leaves.push(leaf);
          });
        });
      }
      if (!bytesEqual(rootFromLeafHashes(leaves), cp.hash)) {
        fail('root_mismatch', 'The root recomputed from every entry is not the checkpoint root.');
      }
      steps.push(`All ${cp.size} entries are commitments that hash to the checkpoint's root.`);
    }
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    problems.push(e.problem);
  }
  return {
    ok: problems.length === 0,
    steps,
    problems,
    checkpoint:
      opened && problems.length === 0
        ? { note, origin: opened.origin, size: opened.size, hash: toBase64(opened.hash) }
        : null,
    entries: opened?.size ?? 0,
    tilesFetched,
  };
}

/** Runs a computation over tiles; a hash outside them means the tiles do not cover the tree. */
function safely<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Failure) throw e;
    fail('tile_invalid', `The tiles do not cover the tree: ${(e as Error).message}`);
  }
}
