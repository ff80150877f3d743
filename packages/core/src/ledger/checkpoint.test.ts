import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64, toHex } from './bytes.js';
import {
  type Checkpoint,
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from './checkpoint.js';
import { commit } from './commitment.js';
import { generateKey } from './keys.js';
import { leafHash, verifyInclusion } from './merkle.js';
import { hashReaderFrom, proveRecord, storedHashes, treeHash } from './stored-hashes.js';
import { DOCS_EXAMPLE } from '../test/ledger-docs-example.js';
import { domainError as failure } from '../test/domain-error.js';

// golang.org/x/mod sumdb/tlog/note_test.go TestFormatTree / TestParseTree: the tree head of the
// Go checksum database, whose hash is RecordHash("hello world") = SHA-256(0x00 ‖ "hello world").
const GO_TREE =
  'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n';

// c2sp.org/tlog-checkpoint, the example at the top (its signing key is not published).
const C2SP_TEXT =
  'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const C2SP_NOTE = `${C2SP_TEXT}\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n`;

describe('checkpoint text', () => {
  it('formats the Go checksum database tree head byte for byte (TestFormatTree)', () => {
    const checkpoint = {
      origin: 'go.sum database tree',
      size: 123456789012,
      hash: leafHash(new TextEncoder().encode('hello world')),
    };
    expect(formatCheckpoint(checkpoint)).toBe(GO_TREE);
    expect(parseCheckpoint(GO_TREE)).toEqual({ ...checkpoint, extensions: [] });
  });

  it('parses the C2SP example', () => {
    expect(parseCheckpoint(C2SP_TEXT)).toEqual({
      origin: 'example.com/behind-the-sofa',
      size: 20852163,
      hash: fromBase64('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='),
      extensions: [],
    });
  });

  it('keeps extension lines, in order', () => {
    const text = `${GO_TREE}ext one\next two\n`;
    expect(parseCheckpoint(text).extensions).toEqual(['ext one', 'ext two']);
    expect(formatCheckpoint(parseCheckpoint(text))).toBe(text);
  });

  it('accepts the empty tree as size 0', () => {
    expect(parseCheckpoint(`log\n0\n${'A'.repeat(43)}=\n`).size).toBe(0);
  });

  it.each([
    // TestParseTree's bad trees.
    [
      GO_TREE.replace('123456789012', '0xabcdef'),
      'the tree size "0xabcdef" is not a decimal number',
    ],
    [GO_TREE.replace('Bb0=', 'BTOOBIG='), 'the root hash line is not the base64 of 32 bytes'],
    // c2sp.org/tlog-checkpoint, "Note text".
    [GO_TREE.replace('123456789012', '0123'), 'the tree size "0123" is not a decimal number'],
    [
      GO_TREE.replace('123456789012', '9007199254740992'),
      'the tree size 9007199254740992 is too large',
    ],
    [GO_TREE.slice(0, -1), 'the text must end with a newline'],
    ['go.sum database tree\n123\n', 'it needs an origin, a tree size and a root hash line'],
    [`\n${GO_TREE.slice(GO_TREE.indexOf('\n') + 1)}`, 'the origin line is empty or invalid'],
    [`${GO_TREE}\nmore\n`, 'an extension line is empty'],
  ])('refuses a malformed checkpoint (%#)', (text, why) => {
    const e = failure(() => parseCheckpoint(text));
    expect(e.message).toBe(`Malformed checkpoint: ${why}.`);
    expect(e.details).toMatchObject({ reason: 'malformed_checkpoint' });
  });

  it.each<[Partial<Checkpoint>, string]>([
    [{ origin: '' }, 'the origin must be one non-empty line'],
    [{ origin: 'a\nb' }, 'the origin must be one non-empty line'],
    [{ size: -1 }, 'the size -1 is not a tree size'],
    [{ size: 1.5 }, 'the size 1.5 is not a tree size'],
    [{ hash: new Uint8Array(31) }, 'the root hash must be 32 bytes'],
    [{ extensions: [''] }, 'an extension line must be one non-empty line'],
  ])('refuses to format %o', (change, why) => {
    const ok = { origin: 'log', size: 1, hash: new Uint8Array(32) };
    expect(() => formatCheckpoint({ ...ok, ...change })).toThrow(`Malformed checkpoint: ${why}.`);
  });
});

describe('signed checkpoints', () => {
  const origin = 'tierline.example/tenant/7';
  const key = generateKey(origin, new Uint8Array(32).fill(9));
  const checkpoint = { origin, size: 1024, hash: leafHash(new Uint8Array([1])) };
  const signed = signCheckpoint(checkpoint, key.signerKey);

  it('signs as a note whose key name is the origin, and opens to the same checkpoint', () => {
    expect(signed.startsWith(`${formatCheckpoint(checkpoint)}\n— ${origin} `)).toBe(true);
    const opened = openCheckpoint(signed, { origin, verifiers: [key.verifierKey] });
    expect(opened.checkpoint).toEqual({ ...checkpoint, extensions: [] });
    expect(opened.note.signatures).toHaveLength(1);
  });

  it('refuses a validly signed checkpoint of another log', () => {
    const e = failure(() =>
      openCheckpoint(signed, { origin: 'tierline.example/tenant/8', verifiers: [key.verifierKey] }),
    );
    expect(e.message).toBe(
      'The checkpoint is for log "tierline.example/tenant/7", not "tierline.example/tenant/8".',
    );
    expect(e.details).toMatchObject({ reason: 'wrong_origin' });
  });

  it('refuses a checkpoint whose size was raised after signing', () => {
    const forged = signed.replace('\n1024\n', '\n1025\n');
    expect(
      failure(() => openCheckpoint(forged, { origin, verifiers: [key.verifierKey] })).details,
    ).toMatchObject({
      reason: 'bad_signature',
    });
  });

  it('opens the C2SP example only as far as its signature: the key is unknown', () => {
    const e = failure(() =>
      openCheckpoint(C2SP_NOTE, {
        origin: 'example.com/behind-the-sofa',
        verifiers: [key.verifierKey],
      }),
    );
    expect(e.details).toMatchObject({
      reason: 'unknown_key',
      signedBy: ['example.com/behind-the-sofa+033de0ae'],
    });
  });
});

describe('the example of docs/ledger.md', () => {
  const sha = (s: string) => createHash('sha256').update(s).digest();
  const { origin, records } = DOCS_EXAMPLE;
  const key = generateKey(origin, sha(DOCS_EXAMPLE.keySeed));
  const salts = records.map((_, i) => sha(DOCS_EXAMPLE.saltSeed(i)));
  const entries = records.map((r, i) => commit(r, salts[i]!));
  const storage: Uint8Array[] = [];
  const reader = hashReaderFrom(storage);
  entries.forEach((e, n) => storage.push(...storedHashes(n, e, reader)));

  it('has the verifier key, entries and signed checkpoint the page shows', () => {
    expect(key.verifierKey).toBe(DOCS_EXAMPLE.verifierKey);
    expect(entries.map(toHex)).toEqual(DOCS_EXAMPLE.entries);
    expect(signCheckpoint({ origin, size: 3, hash: treeHash(3, reader) }, key.signerKey)).toBe(
      DOCS_EXAMPLE.note,
    );
  });

  it("proves entry 1 with entry 0's and entry 2's leaf hashes", () => {
    const proof = proveRecord(1, 3, reader);
    expect(proof.map(toBase64)).toEqual([
      toBase64(leafHash(entries[0]!)),
      toBase64(leafHash(entries[2]!)),
    ]);
    expect(toBase64(proof[0]!)).toMatch(/^Q1X6pIR1/);
    expect(toBase64(proof[1]!)).toMatch(/^6muif9Lm/);
    expect(verifyInclusion(leafHash(entries[1]!), 1, 3, proof, treeHash(3, reader))).toBe(true);
  });
});
