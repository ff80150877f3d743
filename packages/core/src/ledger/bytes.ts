// Every ledger module imports this one, so this brings Node's types (node:crypto,
// TextEncoder, btoa) to the whole ledger, also under tsconfig.build.json, whose `types` is empty.
/// <reference types="node" />
/**
 * Byte helpers shared by the ledger modules: SHA-256, byte comparison, hex and strict
 * base64. Kept apart so that merkle, tiles, notes and commitments agree on one encoding.
 */
import { hash } from 'node:crypto';
import { DomainError } from '../domain-error.js';

/** Size in bytes of every hash in the ledger (SHA-256). */
export const HASH_SIZE = 32;

/**
 * Why a ledger input was refused. Carried in `DomainError.details.reason` (the error code is
 * always `validation_failed`), so that a caller can tell a forged signature from a typo.
 */
export type LedgerErrorReason =
  | 'malformed_note'
  | 'malformed_key'
  | 'unknown_key'
  | 'ambiguous_key'
  | 'bad_signature'
  | 'malformed_checkpoint'
  | 'wrong_origin'
  | 'malformed_tile'
  | 'malformed_proof'
  | 'bad_commitment_input';

/** A `validation_failed` DomainError whose details name the ledger reason. */
export function ledgerError(
  reason: LedgerErrorReason,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): DomainError {
  return new DomainError('validation_failed', message, { reason, ...details });
}

/**
 * Where small multi-part inputs are assembled before hashing. Appending to the log hashes two
 * short inputs per entry, and a fresh allocation for each costs a quarter of the time. Safe to
 * share: hashing is synchronous, copies its input, and nothing outside this function sees it.
 */
const scratch = new Uint8Array(1024);

/** SHA-256 of the concatenation of parts, as a plain Uint8Array. */
export function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  let data: Uint8Array;
  if (parts.length === 1) {
    data = parts[0] as Uint8Array;
  } else {
    let size = 0;
    for (const p of parts) size += p.length;
    if (size > scratch.length) {
      data = concatBytes(parts);
    } else {
      let at = 0;
      for (const p of parts) {
        scratch.set(p, at);
        at += p.length;
      }
      data = scratch.subarray(0, size);
    }
  }
  const digest = hash('sha256', data, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/** The concatenation of parts as one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** True when a and b hold the same bytes. Not constant-time: nothing compared here is secret. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lower-case hexadecimal of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Bytes of a hexadecimal string (even length, 0-9a-fA-F only); throws on anything else. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError(`Not a hexadecimal byte string: ${JSON.stringify(hex.slice(0, 20))}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Standard (RFC 4648 §4) padded base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  // btoa/atob exist in Node and in browsers alike, so the verifier runs in both.
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Matches a UTF-16 surrogate without its pair: a string that has no UTF-8 encoding. */
export const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Bytes of standard padded base64, or undefined when s is not exactly the canonical encoding of
 * some bytes (wrong alphabet, missing padding, whitespace, non-zero trailing bits). Node's own
 * decoder skips bad characters silently, which would let two spellings of one signature pass.
 */
export function fromBase64(s: string): Uint8Array | undefined {
  if (!BASE64.test(s)) return undefined;
  const binary = atob(s);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  if (toBase64(out) !== s) return undefined;
  return out;
}

/** A thrown error as one line for people: its message and, for ledger errors, the reason. */
export function describeLedgerError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const reason = e instanceof DomainError ? e.details?.['reason'] : undefined;
  return typeof reason === 'string' ? `${message} (${reason})` : message;
}
