import { parseVerifierKey } from '@tierline/core/ledger';

/** Whether a verifier key string is malformed (name, key hash and Ed25519 key disagree). */
export function keyError(key: string): boolean {
  try {
    parseVerifierKey(key.trim());
    return false;
  } catch {
    return true;
  }
}

/** The key's name, which is also its log's origin: what this browser remembers logs by. */
export function keyName(key: string): string {
  return key.trim().split('+')[0] ?? '';
}
