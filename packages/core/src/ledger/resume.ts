import { HASH_SIZE, describeLedgerError, fromBase64 } from './bytes.js';
import { openCheckpoint } from './checkpoint.js';
import { canonicalJson, commit, SALT_SIZE } from './commitment.js';
import { parseVerifierKey } from './keys.js';
import { leafHash, verifyInclusion } from './merkle.js';

/**
 * A dealer's résumé (数字履历): its own ledger records, each with its salt and an inclusion
 * proof against one signed checkpoint, in one JSON file that anyone holding the log's verifier
 * key can check offline — without the server, and without learning about any other dealer.
 */
export const RESUME_FORMAT = 'tierline-resume/1';

export interface ResumeEntry {
  /** Position of the entry in the log. */
  index: number;
  /** The record as RFC 8785 canonical JSON: exactly the bytes that were committed. */
  record: string;
  /** Base64 of the record's 32-byte salt. */
  salt: string;
  /** Base64 hashes of the RFC 9162 inclusion proof in the checkpoint's tree. */
  proof: string[];
}

export interface Resume {
  format: typeof RESUME_FORMAT;
  /** The log's origin (its checkpoint's first line, and its key's name). */
  origin: string;
  /** The log's verifier key as the server states it; check it against one you trust. */
  verifierKey: string;
  dealer: { code: string; name: string };
  /** The signed checkpoint every proof is against. */
  checkpoint: string;
  generatedAt: string;
  entries: ResumeEntry[];
}

export interface ResumeEntryCheck {
  index: number;
  kind: string | null;
  period: string | null;
  ok: boolean;
  problem: string | null;
}

export interface ResumeVerification {
  ok: boolean;
  /** A problem with the file or its checkpoint (then no entry is trusted). */
  problem: string | null;
  origin: string | null;
  treeSize: number | null;
  dealer: { code: string; name: string } | null;
  entries: ResumeEntryCheck[];
}

/**
 * Verify a résumé: its checkpoint must be signed by `verifierKey` (whose name is the log's
 * origin), and each record, canonical JSON of this dealer's, must open its commitment with its
 * salt and be at its index in the checkpoint's tree. A record edited by hand, a swapped salt, a
 * proof of another entry or a checkpoint of another log fails.
 */
export function verifyResume(file: unknown, verifierKey: string): ResumeVerification {
  const result: ResumeVerification = {
    ok: false,
    problem: null,
    origin: null,
    treeSize: null,
    dealer: null,
    entries: [],
  };
  const r = file as Partial<Resume> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    r.format !== RESUME_FORMAT ||
    typeof r.checkpoint !== 'string' ||
    !Array.isArray(r.entries) ||
    typeof r.dealer?.code !== 'string'
  ) {
    result.problem = `This is not a Tierline résumé (format ${RESUME_FORMAT}).`;
    return result;
  }
  result.dealer = { code: r.dealer.code, name: String(r.dealer.name ?? '') };
  let size: number;
  let root: Uint8Array;
  try {
    const verifier = parseVerifierKey(verifierKey.trim());
    const { checkpoint } = openCheckpoint(r.checkpoint, {
      origin: verifier.name,
      verifiers: [verifier],
    });
    size = checkpoint.size;
    root = checkpoint.hash;
    result.origin = checkpoint.origin;
    result.treeSize = size;
  } catch (e) {
    result.problem = `The checkpoint does not verify: ${describeLedgerError(e)}`;
    return result;
  }
  result.entries = r.entries.map((entry) => checkEntry(entry, r.dealer!.code, size, root));
  result.ok = result.entries.length > 0 && result.entries.every((e) => e.ok);
  if (result.entries.length === 0) result.problem = 'The résumé holds no records.';
  return result;
}

function checkEntry(
  entry: Partial<ResumeEntry>,
  dealerCode: string,
  size: number,
  root: Uint8Array,
): ResumeEntryCheck {
  const index = typeof entry.index === 'number' ? entry.index : -1;
  const out: ResumeEntryCheck = { index, kind: null, period: null, ok: false, problem: null };
  const bad = (problem: string) => ({ ...out, problem });
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    return bad(`Index ${String(entry.index)} is not in the checkpoint's ${size} entries.`);
  }
  if (typeof entry.record !== 'string') return bad('The record is missing.');
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(entry.record) as Record<string, unknown>;
  } catch {
    return bad('The record is not JSON.');
  }
  out.kind = typeof record['kind'] === 'string' ? record['kind'] : null;
  out.period = typeof record['period'] === 'string' ? record['period'] : null;
  if (canonicalJson(record) !== entry.record) {
    return bad('The record is not in canonical form: it was edited.');
  }
  const dealer = record['dealer'] as { code?: unknown } | undefined;
  if (dealer?.code !== dealerCode) {
    return bad(`The record is not about dealer ${dealerCode}.`);
  }
  const salt = typeof entry.salt === 'string' ? fromBase64(entry.salt) : undefined;
  if (!salt || salt.length !== SALT_SIZE) return bad('The salt is not 32 bytes of base64.');
  const proof = (Array.isArray(entry.proof) ? entry.proof : []).map((p) =>
    typeof p === 'string' ? fromBase64(p) : undefined,
  );
  if (proof.some((p) => !p || p.length !== HASH_SIZE)) {
    return bad('The inclusion proof is not a list of base64 hashes.');
  }
  const leaf = leafHash(commit(record, salt));
  if (!verifyInclusion(leaf, index, size, proof as Uint8Array[], root)) {
    return bad(
      `The record is not entry ${index} of the log: it, its salt or its proof was altered.`,
    );
  }
  return { ...out, ok: true };
}
