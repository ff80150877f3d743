import { createHash } from 'node:crypto';
import type { LedgerEntryDetail } from '@tierline/contract';
import { describe, expect, it } from 'vitest';

const ledger = await import('../../../core/src/ledger/index');
const { DOCS_EXAMPLE } = await import('../../../core/src/test/ledger-docs-example');
const { checkEntry } = await import('./entry-check');

// The example log of docs/ledger.md: three records, their salts SHA-256("salt i"), and its
// checkpoint signed by the example key.
const { verifierKey, note, records } = DOCS_EXAMPLE;
const sha = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());
const salts = records.map((_, i) => sha(DOCS_EXAMPLE.saltSeed(i)));
const leaves = records.map((r, i) => ledger.leafHash(ledger.commit(r, salts[i]!)));

/** Entry `index` of the example as GET /api/v1/ledger/entries/{index} returns it. */
function detail(index: number): LedgerEntryDetail {
  const record = records[index]!;
  return {
    index,
    kind: 'tier_decision',
    createdAt: '2025-07-01T00:00:00Z',
    commitment: ledger.toHex(ledger.commit(record, salts[index]!)),
    dealer: null,
    period: record.period,
    summary: '',
    record,
    recordJson: ledger.canonicalJson(record),
    salt: ledger.toBase64(salts[index]!),
    proof: {
      index,
      treeSize: 3,
      hashes: ledger.inclusionProof(leaves, index, 3).map(ledger.toBase64),
    },
    checkpoint: note,
  };
}

const outcome = (entry: LedgerEntryDetail, key: string = verifierKey) => {
  const check = checkEntry(entry, key);
  const last = check.steps.at(-1);
  return { ok: check.ok, step: last?.step, problem: last?.problem };
};

describe('checking an opened record in the browser', () => {
  it('passes every step for each record of the example log', () => {
    for (const index of [0, 1, 2]) {
      const check = checkEntry(detail(index), verifierKey);
      expect(check.ok).toBe(true);
      expect(check.steps.map((s) => s.step)).toEqual([
        'canonical',
        'commitment',
        'checkpoint',
        'inclusion',
      ]);
    }
  });

  it('catches a record edited, even in canonical form', () => {
    const spaced = { ...detail(1), recordJson: JSON.stringify(records[1], null, 1) };
    expect(outcome(spaced)).toEqual({ ok: false, step: 'canonical', problem: 'not_canonical' });
    const json = ledger.canonicalJson({ ...records[1], tier: 'B' });
    expect(outcome({ ...detail(1), recordJson: json })).toEqual({
      ok: false,
      step: 'commitment',
      problem: 'commitment_mismatch',
    });
  });

  it('catches another salt, a proof of another entry, and a key that did not sign', () => {
    expect(outcome({ ...detail(1), salt: detail(2).salt })).toMatchObject({
      problem: 'commitment_mismatch',
    });
    // Entry 2's record, salt and commitment presented as entry 1 with entry 1's proof.
    const moved = { ...detail(2), index: 1, proof: detail(1).proof };
    expect(outcome(moved)).toEqual({ ok: false, step: 'inclusion', problem: 'not_included' });
    const other = ledger.generateKey('tierline.example/ledger/demo', sha('another key'));
    expect(outcome(detail(1), other.verifierKey)).toEqual({
      ok: false,
      step: 'checkpoint',
      problem: 'bad_checkpoint',
    });
    expect(outcome({ ...detail(1), proof: null })).toMatchObject({ problem: 'no_checkpoint' });
  });
});
