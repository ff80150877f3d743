import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toBase64 } from './bytes.js';
import { signCheckpoint } from './checkpoint.js';
import { canonicalJson, commit } from './commitment.js';
import { generateKey } from './keys.js';
import { leafHash } from './merkle.js';
import { hashReaderFrom, proveRecord, storedHashes, treeHash } from './stored-hashes.js';
import {
  entryBundlePath,
  formatEntryBundle,
  readTileData,
  tilePath,
  tilesForSize,
} from './tiles.js';
import { verifyLog } from './verify.js';
import { RESUME_FORMAT, verifyResume, type Resume } from './resume.js';

const sha = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());
const ORIGIN = 'example.test/ledger/t';
const key = generateKey(ORIGIN, sha('verify test key'));
const other = generateKey('example.test/ledger/u', sha('another key'));

/** A log of `size` records, published as files: path → bytes. */
function publish(size: number, signer = key.signerKey, origin = ORIGIN) {
  const records = Array.from({ length: size }, (_, i) => ({
    kind: 'tier_decision',
    dealer: { code: i % 2 ? 'D-1' : 'D-2' },
    period: `2025-${String((i % 12) + 1).padStart(2, '0')}`,
    tier: 'A',
  }));
  const salts = records.map((_, i) => sha(`salt ${i}`));
  const entries = records.map((r, i) => commit(r, salts[i]!));
  const hashes: Uint8Array[] = [];
  entries.forEach((e, n) => hashes.push(...storedHashes(n, e, hashReaderFrom(hashes))));
  const reader = hashReaderFrom(hashes);
  const files = new Map<string, Uint8Array>();
  for (const tile of tilesForSize(size)) files.set(tilePath(tile), readTileData(tile, reader));
  for (let n = 0; n * 256 < size; n++) {
    const width = Math.min(256, size - n * 256);
    files.set(
      entryBundlePath(n, width),
      formatEntryBundle(entries.slice(n * 256, n * 256 + width)),
    );
  }
  const root = treeHash(size, reader);
  const note = signCheckpoint({ origin, size, hash: root }, signer);
  files.set('checkpoint', new TextEncoder().encode(note));
  return { files, records, salts, reader, note, root, size };
}

const fetchFrom = (files: Map<string, Uint8Array>) => async (path: string) =>
  files.get(path) ?? null;

describe('verifyLog', () => {
  it('verifies a published log and hands back the checkpoint to keep', async () => {
    const log = publish(600);
    const report = await verifyLog({ fetch: fetchFrom(log.files), verifierKey: key.verifierKey });
    expect(report.problems).toEqual([]);
    expect(report.checkpoint).toMatchObject({
      origin: ORIGIN,
      size: 600,
      hash: toBase64(log.root),
    });
    expect(report.steps.at(-1)).toBe(
      "All 600 entries are commitments that hash to the checkpoint's root.",
    );
    // Grown since, consistent with what was seen.
    const grown = publish(700);
    const again = await verifyLog({
      fetch: fetchFrom(grown.files),
      verifierKey: key.verifierKey,
      previous: { size: 600, hash: report.checkpoint!.hash },
    });
    expect(again.problems).toEqual([]);
    expect(again.steps).toContain('Consistent with the checkpoint seen before (600 entries).');
  });

  it('names what failed: key, entry, missing tile, rollback, fork', async () => {
    const log = publish(300);
    const wrongKey = await verifyLog({
      fetch: fetchFrom(log.files),
      verifierKey: other.verifierKey,
    });
    expect(wrongKey.problems[0]?.code).toBe('checkpoint_invalid');
    expect(wrongKey.checkpoint).toBeNull();

    const flipped = new Map(log.files);
    const bundle = flipped.get('tile/entries/000')!.slice();
    bundle[2 + 34 * 5] = bundle[2 + 34 * 5]! ^ 1;
    flipped.set('tile/entries/000', bundle);
    const entry = await verifyLog({ fetch: fetchFrom(flipped), verifierKey: key.verifierKey });
    expect(entry.problems).toEqual([
      {
        code: 'entry_mismatch',
        index: 5,
        message: 'Entry 5 does not match its hash in the tiles.',
      },
    ]);

    const missing = new Map(log.files);
    missing.delete('tile/0/001.p/44');
    expect(
      (await verifyLog({ fetch: fetchFrom(missing), verifierKey: key.verifierKey })).problems[0],
    ).toMatchObject({ code: 'tile_missing' });

    const seen = { size: 300, hash: toBase64(log.root) };
    const smaller = publish(200);
    const rolled = await verifyLog({
      fetch: fetchFrom(smaller.files),
      verifierKey: key.verifierKey,
      previous: seen,
    });
    expect(rolled.problems[0]?.code).toBe('rolled_back');
    const fork = { size: 300, hash: toBase64(sha('another root')) };
    const forked = await verifyLog({
      fetch: fetchFrom(log.files),
      verifierKey: key.verifierKey,
      previous: fork,
    });
    expect(forked.problems[0]?.code).toBe('forked');
    const notExtended = await verifyLog({
      fetch: fetchFrom(log.files),
      verifierKey: key.verifierKey,
      previous: { size: 100, hash: toBase64(sha('not the first 100')) },
    });
    expect(notExtended.problems[0]?.code).toBe('forked');
  });
});

describe('verifyResume', () => {
  const log = publish(40);
  const resume = (indexes: number[]): Resume => ({
    format: RESUME_FORMAT,
    origin: ORIGIN,
    verifierKey: key.verifierKey,
    dealer: { code: 'D-1', name: '一号经销商' },
    checkpoint: log.note,
    generatedAt: '2026-11-28T00:00:00.000Z',
    entries: indexes.map((i) => ({
      index: i,
      record: canonicalJson(log.records[i]),
      salt: toBase64(log.salts[i]!),
      proof: proveRecord(i, log.size, log.reader).map(toBase64),
    })),
  });

  it('accepts the dealer’s own records, each at its index', () => {
    const checked = verifyResume(resume([1, 3, 39]), key.verifierKey);
    expect(checked.problem).toBeNull();
    expect(checked.entries.map((e) => [e.index, e.ok, e.period])).toEqual([
      [1, true, '2025-02'],
      [3, true, '2025-04'],
      [39, true, '2025-04'],
    ]);
    expect(checked.ok).toBe(true);
    expect(leafHash(commit(log.records[1], log.salts[1]!))).toEqual(log.reader.readHashes([1])[0]);
  });

  it('refuses an edited record, another dealer’s record, a moved proof, a wrong key, a non-résumé', () => {
    const edited = resume([1, 3]);
    edited.entries[0]!.record = edited.entries[0]!.record.replace('"tier":"A"', '"tier":"S"');
    expect(verifyResume(edited, key.verifierKey).entries[0]).toMatchObject({
      ok: false,
      problem: 'The record is not entry 1 of the log: it, its salt or its proof was altered.',
    });
    const foreign = resume([2]);
    expect(verifyResume(foreign, key.verifierKey).entries[0]!.problem).toBe(
      'The record is not about dealer D-1.',
    );
    const moved = resume([1]);
    moved.entries[0]!.index = 3;
    expect(verifyResume(moved, key.verifierKey).ok).toBe(false);
    const spaced = resume([1]);
    spaced.entries[0]!.record = spaced.entries[0]!.record.replace(',', ', ');
    expect(verifyResume(spaced, key.verifierKey).entries[0]!.problem).toContain('canonical');
    expect(verifyResume(resume([1]), other.verifierKey).problem).toMatch(/does not verify/);
    expect(verifyResume({ hello: 1 }, key.verifierKey).problem).toContain('not a Tierline résumé');
  });
});
