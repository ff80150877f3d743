/**
 * The part of `node:crypto` that the ledger's verification code (`@tierline/core/ledger`) uses,
 * for the browser: vite.config.ts aliases `node:crypto` to this file, so the console verifies
 * checkpoints, proofs and résumés with the very code `tierline ledger verify` runs.
 *
 * SHA-256 is @noble/hashes' and Ed25519 verification @noble/curves' (audited, no dependencies);
 * nothing here implements a primitive. Ed25519 verifies strictly as RFC 8032 (and OpenSSL, under
 * Node) does: no ZIP-215 leniency, so a signature the server's Node refuses is refused here too.
 * Signing needs the log's secret key, which never leaves the server: those functions throw.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { equalBytes } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** DER prefix of an Ed25519 public key in SubjectPublicKeyInfo form; the key's 32 bytes follow. */
const ED25519_SPKI_PREFIX = [
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];
const ED25519_SPKI_LENGTH = ED25519_SPKI_PREFIX.length + 32;

const noSigning = 'signing is not available in the browser';

/** An Ed25519 public key, as `createPublicKey` returns it here. */
export class KeyObject {
  readonly type = 'public';
  readonly asymmetricKeyType = 'ed25519';

  constructor(readonly publicKey: Uint8Array) {}
}

/** `hash('sha256', data, 'buffer')`: the digest as bytes. Only SHA-256 is provided. */
export function hash(algorithm: string, data: Uint8Array, outputEncoding?: string): Uint8Array {
  if (algorithm.toLowerCase() !== 'sha256') {
    throw new Error(`hash: only sha256 is available in the browser, not ${algorithm}`);
  }
  if (outputEncoding !== undefined && outputEncoding !== 'buffer') {
    throw new Error(`hash: only the 'buffer' output is available in the browser`);
  }
  return sha256(data);
}

/** `createPublicKey({ key, format: 'der', type: 'spki' })` of an Ed25519 key; nothing else. */
export function createPublicKey(options: { key: Uint8Array; format?: string; type?: string }) {
  const der = options.key;
  if (
    !(der instanceof Uint8Array) ||
    der.length !== ED25519_SPKI_LENGTH ||
    ED25519_SPKI_PREFIX.some((byte, i) => der[i] !== byte)
  ) {
    throw new TypeError('createPublicKey: only DER SPKI Ed25519 keys are available in the browser');
  }
  return new KeyObject(der.slice(ED25519_SPKI_PREFIX.length));
}

/** `verify(null, message, key, signature)`: whether an Ed25519 signature is valid. */
export function verify(
  algorithm: string | null | undefined,
  message: Uint8Array,
  key: KeyObject,
  signature: Uint8Array,
): boolean {
  if (algorithm !== null && algorithm !== undefined) {
    throw new Error('verify: Ed25519 takes no digest algorithm (pass null)');
  }
  if (!(key instanceof KeyObject)) throw new TypeError('verify: the key is not an Ed25519 key');
  return ed25519.verify(signature, message, key.publicKey, { zip215: false });
}

/** Like Node's: throws unless both have the same length, then compares without early exit. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) throw new RangeError('Input buffers must have the same byte length');
  return equalBytes(a, b);
}

export function createPrivateKey(): never {
  throw new Error(noSigning);
}

export function sign(): never {
  throw new Error(noSigning);
}
