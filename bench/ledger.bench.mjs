// Benchmark: the transparency-log core (packages/core/src/ledger) at 1,000,000 entries, in
// memory. The log is not yet stored by the server, so every figure is the core's alone; the
// database is not involved (the two engine rows of the report show the same work twice).
//
// Figures and their same-run baselines:
// - appending: salted RFC 8785 commitments of 1,000,000 decision-like records, each appended
//   with its stored subtree hashes (O(log N) per entry), in entries/s; baseline: raw SHA-256 of
//   the same number of 64-byte inputs (this machine's hashing speed);
// - an inclusion proof at 1,000,000 entries (proveRecord from stored hashes, then
//   verifyInclusion against the tree hash), in µs per proof; baseline: the tree hash of the
//   1,000,000-entry log from its stored hashes;
// - full verification of the 1,000,000-entry log from its tiles and entry bundles alone, as an
//   outside verifier would: signed checkpoint opened, every entry bundle parsed and hashed,
//   every level-0 tile compared, the root recomputed from all entries and from the tiles; in
//   seconds; baseline: building the tiles and bundles on the log's side.
import { createHash, randomBytes } from 'node:crypto';
import { runInChild } from './lib/spawn.mjs';

const ENTRIES = Number(process.env.TIERLINE_BENCH_LEDGER_ENTRIES ?? 1_000_000);
const MIB = 1024 * 1024;

export default async function run() {
  const child = await runInChild(import.meta.url, 'ledgerTask', {});
  const r = child.result;
  return {
    name: `transparency log core at ${fmt(ENTRIES)} entries (in memory)`,
    details: { ...r, peakRssMiB: child.peakRssBytes / MIB },
    figures: [
      {
        name: 'append: commit + stored hashes',
        value: r.appendPerSecond,
        unit: 'entries/s',
        baseline: {
          name: 'raw SHA-256 of 64-byte inputs',
          value: r.sha256PerSecond,
          unit: 'hashes/s',
        },
      },
      {
        name: `inclusion proof + verification at ${fmt(ENTRIES)} entries`,
        value: r.proofMicros,
        unit: 'µs',
        baseline: { name: 'tree hash from stored hashes', value: r.treeHashMicros, unit: 'µs' },
      },
      {
        name: `full verification from tiles and entry bundles`,
        value: r.verifySeconds,
        unit: 's',
        baseline: { name: 'building the tiles and bundles', value: r.tileSeconds, unit: 's' },
      },
    ],
  };
}

/** Child task: every measurement on one log. */
export async function ledgerTask() {
  const core = await import('../packages/core/dist/index.js');
  const {
    commit,
    storedHashes,
    hashReaderFrom,
    treeHash,
    proveRecord,
    verifyInclusion,
    leafHash,
    tilesForSize,
    readTileData,
    parseHashTile,
    formatEntryBundle,
    parseEntryBundle,
    tileHashReader,
    rootFromLeafHashes,
    generateKey,
    signCheckpoint,
    openCheckpoint,
    tilePath,
  } = core;

  // Baseline: this machine's SHA-256 of 64-byte inputs.
  const input = randomBytes(64);
  let started = performance.now();
  for (let i = 0; i < ENTRIES; i++) createHash('sha256').update(input).digest();
  const sha256PerSecond = ENTRIES / ((performance.now() - started) / 1000);

  // Append: a commitment per record, then its stored hashes.
  const salt = randomBytes(32);
  const stored = [];
  const reader = hashReaderFrom(stored);
  const entries = new Array(ENTRIES);
  started = performance.now();
  for (let n = 0; n < ENTRIES; n++) {
    const record = {
      kind: 'tier_decision',
      run: 12,
      dealer: n,
      tier: 'core',
      score: 61.25,
      reasons: ['unchanged'],
    };
    const entry = commit(record, salt);
    entries[n] = entry;
    for (const h of storedHashes(n, entry, reader)) stored.push(h);
  }
  const appendSeconds = (performance.now() - started) / 1000;

  // Tree hash and inclusion proofs from the stored hashes.
  started = performance.now();
  const root = treeHash(ENTRIES, reader);
  const treeHashMicros = (performance.now() - started) * 1000;
  const proofs = 1000;
  started = performance.now();
  for (let i = 0; i < proofs; i++) {
    const index = Math.floor((i * 7919.5) % ENTRIES);
    const proof = proveRecord(index, ENTRIES, reader);
    if (!verifyInclusion(leafHash(entries[index]), index, ENTRIES, proof, root)) {
      throw new Error(`proof ${index} failed`);
    }
  }
  const proofMicros = ((performance.now() - started) * 1000) / proofs;

  // The log's side: tiles, entry bundles and a signed checkpoint.
  started = performance.now();
  const tiles = new Map();
  for (const tile of tilesForSize(ENTRIES)) tiles.set(tilePath(tile), readTileData(tile, reader));
  const bundles = [];
  for (let i = 0; i < ENTRIES; i += 256) bundles.push(formatEntryBundle(entries.slice(i, i + 256)));
  const tileSeconds = (performance.now() - started) / 1000;
  const key = generateKey('tierline.example/demo', randomBytes(32));
  const signed = signCheckpoint(
    { origin: 'tierline.example/demo', size: ENTRIES, hash: root, extensions: [] },
    key.signerKey,
  );

  // A verifier's side, from those bytes alone.
  started = performance.now();
  const { checkpoint } = openCheckpoint(signed, {
    origin: 'tierline.example/demo',
    verifiers: [key.verifierKey],
  });
  const leaves = [];
  for (const bundle of bundles) for (const e of parseEntryBundle(bundle)) leaves.push(leafHash(e));
  for (const tile of tilesForSize(checkpoint.size)) {
    if (tile.level !== 0) continue;
    const hashes = parseHashTile(tile, tiles.get(tilePath(tile)));
    hashes.forEach((h, i) => {
      if (Buffer.compare(h, leaves[tile.n * 256 + i]) !== 0)
        throw new Error(`tile ${tilePath(tile)} differs`);
    });
  }
  const fromEntries = rootFromLeafHashes(leaves);
  const fromTiles = treeHash(
    checkpoint.size,
    tileHashReader(checkpoint.size, (t) => tiles.get(tilePath(t))),
  );
  if (
    Buffer.compare(fromEntries, checkpoint.hash) !== 0 ||
    Buffer.compare(fromTiles, checkpoint.hash) !== 0
  ) {
    throw new Error('root mismatch');
  }
  const verifySeconds = (performance.now() - started) / 1000;

  return {
    entries: ENTRIES,
    sha256PerSecond,
    appendSeconds,
    appendPerSecond: ENTRIES / appendSeconds,
    storedHashes: stored.length,
    treeHashMicros,
    proofMicros,
    tiles: tiles.size,
    tileSeconds,
    verifySeconds,
  };
}

function fmt(n) {
  return new Intl.NumberFormat('en-US').format(n);
}
