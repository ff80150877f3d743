import { createHash } from 'node:crypto';
import type { LedgerEntryDetail } from '@tierline/contract';
import { describe, expect, it } from 'vitest';

const ledger = await import('../../../core/src/ledger/index');
const { checkEntry } = await import('./entry-check');

// The example log of docs/ledger.md: three records, their salts SHA-256("salt i"), and its
// checkpoint signed by the example key.
const verifierKey =
  'tierline.example/ledger/demo+3a370b78+AW5m/anempg5NbKcRan189U36Q6m7oTHNe7VuoRCB/Ua';
const note =
  'tierline.example/ledger/demo\n3\nTGKQz5BkctysTJrdse/BBNZkGgC1L2I0C+OhJ70nY2g=\n\n' +
  '— tierline.example/ledger/demo OjcLeFVws4kQxQ1MN9sTWDHju4esEUcMk/GwSDSdCRJZkLMI9oCgQluXznHh1jH82+ajGFXQeknVuLRrk8rDyaXNaQI=\n';
const sha = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());
const records = [
  { kind: 'tier_decision', dealer: 'D-1042', period: '2025-06', tier: 'A', score: 87.5, policy: 3 },
  {
    kind: 'tier_decision',
    dealer: 'D-2001',
    period: '2025-06',
    tier: 'C',
    score: 41.25,
    policy: 3,
  },
  {
    kind: 'allocation',
    dealer: 'D-1042',
    period: '2025-07',
    resource: 'rebate',
    amountFen: 1200000,
  },
];
const salts = records.map((_, i) => sha(`salt ${i}`));
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

const outcome = (entry: LedgerEntryDetail, key = verifierKey) => {
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
