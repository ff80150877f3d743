/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed statement "log <origin> has
 * <size> entries and root hash <hash>", as the text of a signed note. The spec's example:
 *
 *     example.com/behind-the-sofa
 *     20852163
 *     CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
 */
import { HASH_SIZE, fromBase64, ledgerError, toBase64 } from './bytes.js';
import type { NoteSigner, NoteVerifier } from './keys.js';
import { type OpenedNote, openNote, signNote } from './note.js';

/** A log's tree head: origin, tree size, RFC 6962 root hash and optional extension lines. */
export interface Checkpoint {
  /** Unique name of the log, e.g. `tierline.example/tenant/<id>`; non-empty, no newline. */
  readonly origin: string;
  /** Number of entries in the tree. */
  readonly size: number;
  /** The 32-byte root hash of the tree of `size` entries. */
  readonly hash: Uint8Array;
  /** Opaque, non-empty lines after the hash; usually none (the spec discourages them). */
  readonly extensions?: readonly string[];
}

function malformed(why: string): never {
  throw ledgerError('malformed_checkpoint', `Malformed checkpoint: ${why}.`);
}

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The checkpoint's note text: `<origin>\n<size>\n<base64 hash>\n` then one line per extension.
 * Throws (reason malformed_checkpoint) on an empty origin or extension, a control character in
 * either, a size that is not a non-negative safe integer, or a hash that is not 32 bytes.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, hash, extensions = [] } = checkpoint;
  if (origin === '' || CONTROL.test(origin)) malformed('the origin must be one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) malformed(`the size ${size} is not a tree size`);
  if (hash.length !== HASH_SIZE) malformed(`the root hash must be ${HASH_SIZE} bytes`);
  for (const e of extensions) {
    if (e === '' || CONTROL.test(e)) malformed('an extension line must be one non-empty line');
  }
  return [origin, String(size), toBase64(hash), ...extensions].map((l) => `${l}\n`).join('');
}

/**
 * Parses a checkpoint's note text (not the signed note: see {@link openCheckpoint}). At least three
 * non-empty lines, each ending in a newline: origin, size in decimal without leading zeros, base64
 * of a 32-byte hash; further lines are extensions and must be non-empty.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) malformed('the text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin = '', sizeText = '', hashText = '', ...extensions] = lines;
  if (lines.length < 3) malformed('it needs an origin, a tree size and a root hash line');
  if (origin === '' || CONTROL.test(origin)) malformed('the origin line is empty or invalid');
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeText)) {
    malformed(`the tree size ${JSON.stringify(sizeText)} is not a decimal number`);
  }
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) malformed(`the tree size ${sizeText} is too large`);
  const hash = fromBase64(hashText);
  if (hash === undefined || hash.length !== HASH_SIZE) {
    malformed(`the root hash line is not the base64 of ${HASH_SIZE} bytes`);
  }
  if (extensions.some((e) => e === '' || CONTROL.test(e))) malformed('an extension line is empty');
  return { origin, size, hash: new Uint8Array(hash), extensions };
}

/** Formats a checkpoint and signs it as a note (see {@link signNote}). */
export function signCheckpoint(
  checkpoint: Checkpoint,
  signers: NoteSigner | string | readonly (NoteSigner | string)[],
): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

/**
 * Opens a signed checkpoint from the log named `origin`: verifies the note (see
 * {@link openNote}), parses its text and checks that its origin is the expected one (reason
 * wrong_origin otherwise: a checkpoint of another tenant's log, say, with a valid signature).
 */
export function openCheckpoint(
  signedNote: string | Uint8Array,
  expected: { readonly origin: string; readonly verifiers: readonly (NoteVerifier | string)[] },
): { readonly checkpoint: Checkpoint; readonly note: OpenedNote } {
  const note = openNote(signedNote, expected.verifiers);
  const checkpoint = parseCheckpoint(note.text);
  if (checkpoint.origin !== expected.origin) {
    throw ledgerError(
      'wrong_origin',
      `The checkpoint is for log ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(expected.origin)}.`,
      { origin: checkpoint.origin, expected: expected.origin },
    );
  }
  return { checkpoint, note };
}
