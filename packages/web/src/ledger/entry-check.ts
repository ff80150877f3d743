import type { LedgerEntryDetail } from '@tierline/contract';
import {
  HASH_SIZE,
  canonicalJson,
  commit,
  fromBase64,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  toBase64,
  toHex,
  verifyInclusion,
} from '@tierline/core/ledger';

/** The checks of one opened record, in the order they run. */
export type EntryStep = 'canonical' | 'commitment' | 'checkpoint' | 'inclusion';
export const entrySteps: readonly EntryStep[] = [
  'canonical',
  'commitment',
  'checkpoint',
  'inclusion',
];

/** Why a check failed; the console says it in the reader's language. */
export type EntryProblem =
  | 'not_json'
  | 'not_canonical'
  | 'bad_salt'
  | 'commitment_mismatch'
  | 'no_checkpoint'
  | 'bad_checkpoint'
  | 'wrong_tree'
  | 'bad_proof'
  | 'not_included';

export interface EntryStepResult {
  step: EntryStep;
  ok: boolean;
  problem?: EntryProblem;
  /** What was computed or what failed, as data (hashes, sizes, the checkpoint's error). */
  detail: string;
}

export interface EntryCheck {
  /** True when every step passed. */
  ok: boolean;
  /** The steps run; the first failure ends the list. */
  steps: EntryStepResult[];
}

/**
 * Checks an opened record in the browser with the ledger core, trusting nothing the server
 * computed: the record is in canonical JSON (RFC 8785); SHA-256(salt ‖ record) is the entry the
 * log holds; the checkpoint is signed by `verifierKey`; and the entry's leaf hash with the
 * inclusion proof leads to the checkpoint's root at the entry's index.
 */
export function checkEntry(entry: LedgerEntryDetail, verifierKey: string): EntryCheck {
  const steps: EntryStepResult[] = [];
  const pass = (step: EntryStep, detail: string) => steps.push({ step, ok: true, detail });
  const fail = (step: EntryStep, problem: EntryProblem, detail = ''): EntryCheck => {
    steps.push({ step, ok: false, problem, detail });
    return { ok: false, steps };
  };

  let record: unknown;
  try {
    record = JSON.parse(entry.recordJson);
  } catch {
    return fail('canonical', 'not_json');
  }
  let canonical: string;
  try {
    canonical = canonicalJson(record);
  } catch (e) {
    return fail('canonical', 'not_canonical', (e as Error).message);
  }
  if (canonical !== entry.recordJson) return fail('canonical', 'not_canonical');
  pass('canonical', `${new TextEncoder().encode(canonical).length} B`);

  const salt = fromBase64(entry.salt);
  if (salt === undefined || salt.length !== 32) return fail('commitment', 'bad_salt', entry.salt);
  const commitment = commit(record, salt);
  if (toHex(commitment) !== entry.commitment.toLowerCase()) {
    return fail('commitment', 'commitment_mismatch', toHex(commitment));
  }
  pass('commitment', toHex(commitment));

  if (entry.checkpoint === null || entry.proof === null) return fail('checkpoint', 'no_checkpoint');
  let size: number;
  let root: Uint8Array;
  try {
    const verifier = parseVerifierKey(verifierKey.trim());
    const opened = openCheckpoint(entry.checkpoint, {
      origin: verifier.name,
      verifiers: [verifier],
    }).checkpoint;
    size = opened.size;
    root = opened.hash;
    pass('checkpoint', `${opened.origin} · ${opened.size}`);
  } catch (e) {
    return fail('checkpoint', 'bad_checkpoint', (e as Error).message);
  }

  if (entry.proof.treeSize !== size) {
    return fail('inclusion', 'wrong_tree', `${entry.proof.treeSize} ≠ ${size}`);
  }
  const hashes = entry.proof.hashes.map((h) => fromBase64(h));
  if (hashes.some((h) => h === undefined || h.length !== HASH_SIZE)) {
    return fail('inclusion', 'bad_proof');
  }
  const leaf = leafHash(commitment);
  if (!verifyInclusion(leaf, entry.index, size, hashes as Uint8Array[], root)) {
    return fail('inclusion', 'not_included', toBase64(leaf));
  }
  pass('inclusion', `${toBase64(leaf)} → ${toBase64(root)}`);
  return { ok: true, steps };
}
