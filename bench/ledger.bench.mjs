// Benchmark: the transparency log at 1,000,000 entries, in the core (in memory) and as the
// server keeps it (per engine).
//
// Core figures (the same on both engine rows):
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
//
// Persisted figures (the engine's own):
// - appending through the server (`appendRecords` in a tenant transaction, 10,000 records a
//   transaction as a published run of 10,000 dealers does: salts, canonical JSON, commitments,
//   stored hashes, rows), in entries/s; baseline: raw SHA-256 in the same process;
// - an inclusion proof at 1,000,000 persisted entries (`inclusionProof`: stored hashes read in
//   SQL, then verified), in ms; baseline: signing a checkpoint of the whole log;
// - full verification of the persisted log through the HTTP tiles (`verifyLog` over
//   `app.inject`, as `tierline ledger verify` does it without the network), in seconds.
import { createHash, randomBytes } from 'node:crypto';
import { runInChild } from './lib/spawn.mjs';
import { openBenchStore } from './lib/stores.mjs';

const ENTRIES = Number(process.env.TIERLINE_BENCH_LEDGER_ENTRIES ?? 1_000_000);
const PERSISTED = Number(process.env.TIERLINE_BENCH_LEDGER_PERSISTED ?? 1_000_000);
const BATCH = 10_000;
const MIB = 1024 * 1024;

export default async function run({ engine, databaseUrl }) {
  const child = await runInChild(import.meta.url, 'ledgerTask', {});
  const persisted = await runInChild(import.meta.url, 'persistedTask', { engine, databaseUrl });
  const r = child.result;
  const p = persisted.result;
  return {
    name: `transparency log at ${fmt(ENTRIES)} entries: core in memory, and persisted (${engine})`,
    details: {
      ...r,
      peakRssMiB: child.peakRssBytes / MIB,
      persisted: p,
      persistedPeakRssMiB: persisted.peakRssBytes / MIB,
    },
    figures: [
      {
        name: `persisted append (${fmt(BATCH)} a transaction)`,
        value: p.appendPerSecond,
        unit: 'entries/s',
        baseline: {
          name: 'raw SHA-256 of 64-byte inputs',
          value: p.sha256PerSecond,
          unit: 'hashes/s',
        },
      },
      {
        name: `persisted inclusion proof at ${fmt(PERSISTED)} entries`,
        value: p.proofMillis,
        unit: 'ms',
        baseline: {
          name: 'signing a checkpoint of the log',
          value: p.checkpointMillis,
          unit: 'ms',
        },
      },
      {
        name: `full verification of the persisted log through its HTTP tiles`,
        value: p.verifySeconds,
        unit: 's',
        baseline: { name: 'appending it', value: p.appendSeconds, unit: 's' },
      },
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

/** Child task: the log as the server keeps it, in a fresh store of the engine. */
export async function persistedTask({ engine, databaseUrl }) {
  const server = await import('../packages/server/dist/index.js');
  const { verifyLog, verifyInclusion, leafHash, fromBase64, openCheckpoint } =
    await import('../packages/core/dist/index.js');
  const { store, dispose } = await openBenchStore({ engine, databaseUrl });
  try {
    const input = randomBytes(64);
    let started = performance.now();
    for (let i = 0; i < PERSISTED; i++) createHash('sha256').update(input).digest();
    const sha256PerSecond = PERSISTED / ((performance.now() - started) / 1000);

    const tenant = await server.createTenant(store.db, { slug: 'bench-ledger', name: 'Bench' });
    started = performance.now();
    for (let from = 0; from < PERSISTED; from += BATCH) {
      const records = [];
      for (let n = from; n < Math.min(PERSISTED, from + BATCH); n++) {
        records.push({
          kind: 'tier_decision',
          dealerId: null,
          period: '2025-12',
          refId: 1,
          record: {
            run: 1,
            period: '2025-12',
            policy: { id: 1, name: 'default', version: 3, digest: 'ab'.repeat(32) },
            inputs: 'cd'.repeat(32),
            dealer: { id: n + 1, code: `DL${String(n + 1).padStart(7, '0')}` },
            score: 61.234567,
            rank: n + 1,
            scoreTier: 'core',
            candidateTier: 'core',
            previousTier: 'core',
            tier: 'core',
            standing: 'good',
            periodsBelow: 0,
            periodsAtBottom: 0,
            reasons: ['unchanged'],
            override: null,
          },
        });
      }
      await server.withTenant(store.db, tenant.id, (trx) =>
        server.appendRecords(trx, tenant.id, records),
      );
    }
    const appendSeconds = (performance.now() - started) / 1000;
    if (engine === 'pglite') await store.db.executeQuery({ sql: 'analyze', parameters: [] });

    started = performance.now();
    const checkpoint = await server.issueCheckpoint(store.db, tenant.id);
    const checkpointMillis = performance.now() - started;
    const { checkpoint: opened } = openCheckpoint(checkpoint.note, {
      origin: 'localhost/ledger/bench-ledger',
      verifiers: [(await server.findLog(store.db, tenant.id)).verifier_key],
    });

    const proofs = 200;
    started = performance.now();
    for (let i = 0; i < proofs; i++) {
      const index = Math.floor((i * 7919.5) % PERSISTED);
      const [proof, row] = await server.withTenant(
        store.db,
        tenant.id,
        async (trx) => [
          await server.inclusionProof(trx, tenant.id, checkpoint, index),
          await trx
            .selectFrom('ledger_entry')
            .select('commitment')
            .where('tenant_id', '=', tenant.id)
            .where('idx', '=', index)
            .executeTakeFirstOrThrow(),
        ],
        { readOnly: true },
      );
      const hashes = proof.hashes.map((h) => fromBase64(h));
      if (
        !verifyInclusion(
          leafHash(new Uint8Array(row.commitment)),
          index,
          opened.size,
          hashes,
          opened.hash,
        )
      ) {
        throw new Error(`proof ${index} failed`);
      }
    }
    const proofMillis = (performance.now() - started) / proofs;

    const app = await server.buildApp({
      db: store.db,
      engine: store.engine,
      store,
      defaultTenant: 'bench-ledger',
      version: 'bench',
    });
    const log = await server.findLog(store.db, tenant.id);
    started = performance.now();
    const report = await verifyLog({
      verifierKey: log.verifier_key,
      fetch: async (path) => {
        const res = await app.inject({ method: 'GET', url: `/ledger/bench-ledger/${path}` });
        return res.statusCode === 404 ? null : new Uint8Array(res.rawPayload);
      },
    });
    const verifySeconds = (performance.now() - started) / 1000;
    await app.close();
    if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.problems)}`);
    return {
      entries: PERSISTED,
      sha256PerSecond,
      appendSeconds,
      appendPerSecond: PERSISTED / appendSeconds,
      checkpointMillis,
      proofMillis,
      verifySeconds,
      tilesFetched: report.tilesFetched,
    };
  } finally {
    await dispose();
  }
}

function fmt(n) {
  return new Intl.NumberFormat('en-US').format(n);
}
