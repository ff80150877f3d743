/**
 * Commitments: what the log holds for each decision. An entry is SHA-256(salt ‖ JCS(record)), 32
 * bytes and nothing else, where JCS is the RFC 8785 canonical JSON of the record and the salt is
 * 32 secret random bytes kept beside the record. Publishing the entry reveals nothing about the
 * record (without the salt, even a correct guess of the record cannot be checked short of trying
 * 2^256 salts); revealing record and salt to an auditor
 * proves the record is the one logged (SHA-256 is collision resistant, and the salt's fixed length
 * leaves one way to split the hashed bytes). Erasing the salt makes the entry unopenable for good.
 */
import { timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';
import { HASH_SIZE, ledgerError, sha256 } from './bytes.js';

/** Length of a commitment salt in bytes. */
export const SALT_SIZE = 32;

/**
 * The RFC 8785 (JCS) canonical JSON of record: object keys sorted by UTF-16 code units, no
 * whitespace, numbers as ECMAScript prints them. Properties whose value is undefined are dropped,
 * as JSON.stringify drops them. Throws (reason bad_commitment_input) when the record has no JSON
 * form: undefined, a function, NaN or ±Infinity, a BigInt, a lone surrogate, a cycle.
 * Example: canonicalJson({ b: 1, a: [1e30, 4.5] }) = '{"a":[1e+30,4.5],"b":1}'.
 */
export function canonicalJson(record: unknown): string {
  let json: string | undefined;
  try {
    json = canonicalize(record);
  } catch (e) {
    throw ledgerError(
      'bad_commitment_input',
      `The record cannot be committed: it has no canonical JSON form (${(e as Error).message}).`,
    );
  }
  if (json === undefined) {
    throw ledgerError('bad_commitment_input', 'The record cannot be committed: it is not JSON.');
  }
  return json;
}

function checkSalt(salt: Uint8Array): void {
  if (salt.length !== SALT_SIZE) {
    throw ledgerError(
      'bad_commitment_input',
      `A commitment salt is ${SALT_SIZE} bytes, not ${salt.length}: pass 32 random bytes.`,
    );
  }
}

/**
 * The 32-byte commitment to record: SHA-256(salt ‖ UTF-8(canonicalJson(record))). This is the
 * whole log entry for the record. The salt must be exactly 32 bytes, fresh from a CSPRNG for each
 * record, and kept secret with it; a fixed length stops one commitment from opening to two records
 * (salt ‖ "12" = (salt ‖ "1") ‖ "2").
 */
export function commit(record: unknown, salt: Uint8Array): Uint8Array {
  return commitJson(canonicalJson(record), salt);
}

/**
 * {@link commit} for a record already in canonical JSON (as the server stores it). The caller
 * vouches that `json` is canonical; verifiers re-canonicalise before calling it.
 */
export function commitJson(json: string, salt: Uint8Array): Uint8Array {
  checkSalt(salt);
  return sha256(salt, new TextEncoder().encode(json));
}

/**
 * True when commitment is the commitment to record under salt. False (never a throw) for a
 * commitment that is not 32 bytes; throws as {@link commit} does for a bad salt or record.
 */
export function verifyCommitment(
  record: unknown,
  salt: Uint8Array,
  commitment: Uint8Array,
): boolean {
  const expected = commit(record, salt);
  return commitment.length === HASH_SIZE && timingSafeEqual(expected, commitment);
}
