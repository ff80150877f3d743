/**
 * Ed25519 keys for C2SP signed notes in the string encoding of golang.org/x/mod/sumdb/note:
 * verifier keys `<name>+<hex key hash>+<base64(0x01 ‖ public key)>` and signer keys
 * `PRIVATE+KEY+<name>+<hex key hash>+<base64(0x01 ‖ seed)>`.
 */
import { type KeyObject, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import {
  LONE_SURROGATE,
  concatBytes,
  fromBase64,
  fromHex,
  ledgerError,
  sha256,
  toBase64,
} from './bytes.js';

/** Signature type byte of Ed25519 in key hashes and key strings. */
const ALG_ED25519 = 0x01;
/** DER prefixes that wrap a raw Ed25519 seed (PKCS #8) or public key (SPKI) for node:crypto. */
const PKCS8_PREFIX = fromHex('302e020100300506032b657004220420');
const SPKI_PREFIX = fromHex('302a300506032b6570032100');

/** A key that verifies notes: its name, its 32-bit key hash and its 32-byte Ed25519 public key. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyHash: number;
  readonly publicKey: Uint8Array;
}

/** A key that signs notes. The private key stays in an opaque KeyObject, out of logs. */
export interface NoteSigner {
  readonly name: string;
  readonly keyHash: number;
  readonly privateKey: KeyObject;
}

/** The two strings of a key pair: the secret signer key and the verifier key to publish. */
export interface NoteKeyPair {
  /** `PRIVATE+KEY+<name>+<hex key hash>+<base64(0x01 ‖ 32-byte seed)>`: keep secret. */
  readonly signerKey: string;
  /** `<name>+<hex key hash>+<base64(0x01 ‖ 32-byte public key)>`: give to verifiers. */
  readonly verifierKey: string;
}

// eslint-disable-next-line no-control-regex -- control characters are among what it refuses
const NOT_IN_NAMES = /[\s\u0085+\u0000-\u001f\u007f]/u;

/**
 * True when name is a valid key name: non-empty, no Unicode space and no `+` (C2SP signed-note;
 * Go's isValidName), and no control character.
 */
export function isValidKeyName(name: string): boolean {
  return name !== '' && !NOT_IN_NAMES.test(name) && !LONE_SURROGATE.test(name);
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** `<name>+<8 hex digits>`: how Go's messages, and these, name a key. */
export function keyId(name: string, keyHash: number): string {
  return `${name}+${hex8(keyHash)}`;
}

/**
 * The key hash (key ID) of an Ed25519 key: the first 4 bytes, big-endian, of
 * SHA-256(name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key).
 */
export function keyHash(name: string, publicKey: Uint8Array): number {
  const digest = sha256(
    new TextEncoder().encode(`${name}\n`),
    new Uint8Array([ALG_ED25519]),
    publicKey,
  );
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

/**
 * Node takes DER keys as any TypedArray, though its types say Buffer; no Buffer is built, so
 * that the same code runs in a browser (over a node:crypto shim).
 */
type DerBytes = Buffer;

function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  const der = concatBytes([PKCS8_PREFIX, seed]);
  return createPrivateKey({ key: der as unknown as DerBytes, format: 'der', type: 'pkcs8' });
}

function publicKeyOf(privateKey: KeyObject): Uint8Array {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

/** Throws (reason malformed_key) unless {@link isValidKeyName}(name). */
export function checkKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw ledgerError(
      'malformed_key',
      `Key name ${JSON.stringify(name)} is not valid: it must be non-empty, without spaces or "+".`,
    );
  }
}

/**
 * The key pair for a named key whose Ed25519 private key is derived from `seed` (32 bytes, as RFC
 * 8032 defines). Core has no randomness of its own: the server passes 32 bytes from a CSPRNG, and
 * the same name and seed always give the same keys.
 */
export function generateKey(name: string, seed: Uint8Array): NoteKeyPair {
  checkKeyName(name);
  if (seed.length !== 32) {
    throw ledgerError('malformed_key', `An Ed25519 seed is 32 bytes, not ${seed.length}.`);
  }
  const publicKey = publicKeyOf(privateKeyFromSeed(seed));
  const id = keyId(name, keyHash(name, publicKey));
  return {
    signerKey: `PRIVATE+KEY+${id}+${toBase64(concatBytes([new Uint8Array([ALG_ED25519]), seed]))}`,
    verifierKey: `${id}+${toBase64(concatBytes([new Uint8Array([ALG_ED25519]), publicKey]))}`,
  };
}

/** Splits `<name>+<hex hash>+<base64 key>` and checks the algorithm byte and key length. */
function splitKey(rest: string, kind: string): { name: string; hash: number; key: Uint8Array } {
  const parts = rest.split('+');
  // Base64 may itself contain "+": rejoin everything after the second separator.
  const [name = '', hash16 = '', ...keyParts] = parts;
  const raw = fromBase64(keyParts.join('+'));
  const malformed = (why: string) => ledgerError('malformed_key', `Malformed ${kind} key: ${why}.`);
  if (!isValidKeyName(name)) throw malformed('the key name is missing or invalid');
  if (!/^[0-9a-f]{8}$/.test(hash16))
    throw malformed('the key hash must be 8 lower-case hex digits');
  if (raw === undefined || raw.length === 0) throw malformed('the key is not valid base64');
  if (raw[0] !== ALG_ED25519) {
    throw malformed(`unknown algorithm 0x${(raw[0] as number).toString(16)}, only Ed25519 (0x01)`);
  }
  if (raw.length !== 33) throw malformed('an Ed25519 key is 32 bytes');
  return { name, hash: parseInt(hash16, 16), key: raw.subarray(1) };
}

/** Parses a verifier key string; throws (reason malformed_key) unless its key hash matches. */
export function parseVerifierKey(verifierKey: string): NoteVerifier {
  const { name, hash, key } = splitKey(verifierKey, 'verifier');
  if (keyHash(name, key) !== hash) {
    throw ledgerError('malformed_key', `Verifier key ${keyId(name, hash)} has the wrong key hash.`);
  }
  return { name, keyHash: hash, publicKey: new Uint8Array(key) };
}

/**
 * Parses a signer key string `PRIVATE+KEY+…`; throws (reason malformed_key) when it is malformed
 * or its key hash does not match the public key derived from it. Messages never echo the key.
 */
export function parseSignerKey(signerKey: string): NoteSigner {
  if (!signerKey.startsWith('PRIVATE+KEY+')) {
    throw ledgerError('malformed_key', 'Malformed signer key: it must start with PRIVATE+KEY+.');
  }
  const { name, hash, key } = splitKey(signerKey.slice('PRIVATE+KEY+'.length), 'signer');
  const privateKey = privateKeyFromSeed(key);
  if (keyHash(name, publicKeyOf(privateKey)) !== hash) {
    throw ledgerError('malformed_key', `Signer key ${keyId(name, hash)} has the wrong key hash.`);
  }
  return { name, keyHash: hash, privateKey };
}

/** The verifier key that goes with a signer key string (throws as {@link parseSignerKey}). */
export function verifierKeyOf(signerKey: string): string {
  const signer = parseSignerKey(signerKey);
  const publicKey = publicKeyOf(signer.privateKey);
  return `${keyId(signer.name, signer.keyHash)}+${toBase64(concatBytes([new Uint8Array([ALG_ED25519]), publicKey]))}`;
}

/** True when signature is a valid Ed25519 signature of message by publicKey (32 bytes). */
export function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const der = concatBytes([SPKI_PREFIX, publicKey]);
  try {
    const key = createPublicKey({ key: der as unknown as DerBytes, format: 'der', type: 'spki' });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
