/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys in the encoding of
 * golang.org/x/mod/sumdb/note, so that notes signed here open with Go's note.Open and the other
 * standard tools, and the other way round.
 *
 * A signed note is the text (ending in a newline), a blank line, then one line per signature:
 * `— <key name> <base64(4-byte key hash ‖ signature)>`.
 */
import { sign } from 'node:crypto';
import { LONE_SURROGATE, concatBytes, fromBase64, ledgerError, toBase64 } from './bytes.js';
import {
  type NoteSigner,
  type NoteVerifier,
  checkKeyName,
  isValidKeyName,
  keyId,
  parseSignerKey,
  parseVerifierKey,
  verifyEd25519,
} from './keys.js';

/** Go's note.Open refuses notes with more signature lines than this. */
const MAX_SIGNATURES = 100;
const SIGNATURE_PREFIX = '\u2014 ';

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyHash: number;
  /** base64 of the key hash followed by the signature, as on the line. */
  readonly base64: string;
}

/** A note whose signatures were checked by {@link openNote}. */
export interface OpenedNote {
  /** The signed text, ending in a newline, without the blank line. */
  readonly text: string;
  /** Signatures by known keys, all verified (at least one). */
  readonly signatures: readonly NoteSignature[];
  /** Signatures by keys not in the verifier list, ignored as the spec requires. */
  readonly unverifiedSignatures: readonly NoteSignature[];
}

/** Throws (reason malformed_note) at the first character a note may not contain. */
function checkNoteCharacters(s: string, what: string): void {
  if (LONE_SURROGATE.test(s)) {
    throw ledgerError('malformed_note', `Malformed ${what}: it is not valid Unicode text.`);
  }
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const control = /[\u0000-\u0009\u000b-\u001f]/.exec(s);
  if (control !== null) {
    const code = control[0].charCodeAt(0);
    const why =
      code === 0x0d
        ? 'it contains a carriage return; notes use "\\n" line endings only'
        : `it contains the control character U+${code.toString(16).padStart(4, '0')}`;
    throw ledgerError('malformed_note', `Malformed ${what}: ${why}.`, { offset: control.index });
  }
}

/**
 * Signs text with each signer and returns the signed note. The text must be non-empty, end in a
 * newline and hold no control character other than newline. Ed25519 is deterministic: the same
 * text and key always give the same note.
 */
export function signNote(
  text: string,
  signers: NoteSigner | string | readonly (NoteSigner | string)[],
): string {
  checkNoteCharacters(text, 'note text');
  if (!text.endsWith('\n')) {
    throw ledgerError('malformed_note', 'Malformed note text: it must end with a newline.');
  }
  const list = (Array.isArray(signers) ? signers : [signers]) as readonly (NoteSigner | string)[];
  if (list.length === 0) throw ledgerError('malformed_key', 'A note needs at least one signer.');
  const message = new TextEncoder().encode(text);
  let out = `${text}\n`;
  for (const s of list) {
    const signer = typeof s === 'string' ? parseSignerKey(s) : s;
    checkKeyName(signer.name);
    const hash = new Uint8Array(4);
    new DataView(hash.buffer).setUint32(0, signer.keyHash);
    const signature = new Uint8Array(sign(null, message, signer.privateKey));
    out += `${SIGNATURE_PREFIX}${signer.name} ${toBase64(concatBytes([hash, signature]))}\n`;
  }
  return out;
}

function decodeNote(note: string | Uint8Array): string {
  if (typeof note === 'string') return note;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
  } catch {
    throw ledgerError('malformed_note', 'Malformed note: it is not valid UTF-8.');
  }
}

/**
 * Opens a signed note: checks its format, then every signature by a known key, and returns the
 * text with the signatures. Signatures by keys not in `verifiers` (matched on name and key hash)
 * are ignored, as the spec requires. Throws DomainError('validation_failed') whose
 * details.reason says what failed:
 * - malformed_note: not UTF-8, a control character (a carriage return included), no blank line
 *   before the signatures, a signature line not of the form `— <name> <base64>`, or more than
 *   100 signatures;
 * - bad_signature: a known key's signature does not verify (the text or signature was altered);
 * - unknown_key: no signature is by a known key;
 * - ambiguous_key: two verifiers share a name and key hash;
 * - malformed_key: a verifier key string is malformed.
 */
export function openNote(
  note: string | Uint8Array,
  verifiers: readonly (NoteVerifier | string)[],
): OpenedNote {
  const known = verifiers.map((v) => (typeof v === 'string' ? parseVerifierKey(v) : v));
  const msg = decodeNote(note);
  checkNoteCharacters(msg, 'note');
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) {
    throw ledgerError('malformed_note', 'Malformed note: no blank line before the signatures.');
  }
  const text = msg.slice(0, split + 1);
  const block = msg.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) {
    throw ledgerError(
      'malformed_note',
      'Malformed note: the signature lines must follow the blank line, each ending in a newline.',
    );
  }
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) {
    throw ledgerError('malformed_note', `Malformed note: more than ${MAX_SIGNATURES} signatures.`);
  }
  const message = new TextEncoder().encode(text);
  const signatures: NoteSignature[] = [];
  const unverifiedSignatures: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const [i, line] of lines.entries()) {
    const sig = parseSignatureLine(line, i + 1);
    const id = keyId(sig.name, sig.keyHash);
    const matches = known.filter((v) => v.name === sig.name && v.keyHash === sig.keyHash);
    if (matches.length > 1) {
      throw ledgerError('ambiguous_key', `Two verifier keys are named ${id}; keep one.`, {
        key: id,
      });
    }
    const verifier = matches[0];
    if (verifier === undefined) {
      if (!seen.has(line)) unverifiedSignatures.push(sig);
      seen.add(line);
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    const raw = (fromBase64(sig.base64) as Uint8Array).subarray(4);
    if (!verifyEd25519(verifier.publicKey, message, raw)) {
      throw ledgerError(
        'bad_signature',
        `Invalid signature for key ${id}: the note's text or signature was altered.`,
        { key: id },
      );
    }
    signatures.push(sig);
  }
  if (signatures.length === 0) {
    const signedBy = unverifiedSignatures.map((s) => keyId(s.name, s.keyHash));
    const trusted = known.map((v) => keyId(v.name, v.keyHash));
    throw ledgerError(
      'unknown_key',
      `No signature on this note is by a known key: it is signed by ${signedBy.join(', ')}; ` +
        `the known keys are ${trusted.length > 0 ? trusted.join(', ') : '(none)'}.`,
      { signedBy, trusted },
    );
  }
  return { text, signatures, unverifiedSignatures };
}

function parseSignatureLine(line: string, number: number): NoteSignature {
  const malformed = (why: string) =>
    ledgerError('malformed_note', `Malformed note: signature line ${number} ${why}.`, {
      line: number,
    });
  if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('does not start with "— "');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const base64 = space < 0 ? '' : rest.slice(space + 1);
  if (!isValidKeyName(name)) throw malformed('has an invalid key name');
  const raw = fromBase64(base64);
  if (raw === undefined || raw.length < 5) throw malformed('does not hold a base64 signature');
  const keyHash = new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0);
  return { name, keyHash, base64 };
}
