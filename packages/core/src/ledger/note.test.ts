import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromBase64, toBase64 } from './bytes.js';
import { generateKey, parseSignerKey, parseVerifierKey } from './keys.js';
import { openNote, signNote } from './note.js';
import { domainError as failure } from '../test/domain-error.js';

// golang.org/x/mod sumdb/note/note_test.go: TestNewVerifier, TestNewSigner, TestSign,
// TestVerifierList, TestOpen (and the package documentation's doubly signed example).
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT =
  'If you think cryptography is the answer to your problem,\n' +
  "then you don't know what your problem is.\n";
const PETER_SIG =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
const PETER = {
  name: 'PeterNeumann',
  keyHash: 0xc74f20a3,
  base64:
    'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=',
};
const ENOCH = {
  name: 'EnochRoot',
  keyHash: 0xaf0cfe78,
  base64:
    'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=',
};

describe('signing (golang.org/x/mod sumdb/note TestSign)', () => {
  it('reproduces the published signed note byte for byte', () => {
    expect(signNote(TEXT, PETER_SKEY)).toBe(`${TEXT}\n${PETER_SIG}`);
    expect(signNote(TEXT, parseSignerKey(PETER_SKEY))).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('signs with several keys, one line each, in order', () => {
    const enoch = generateKey('Enoch', new Uint8Array(32).fill(1));
    const signed = signNote(TEXT, [PETER_SKEY, enoch.signerKey]);
    expect(signed.startsWith(`${TEXT}\n${PETER_SIG}— Enoch `)).toBe(true);
    expect(openNote(signed, [PETER_VKEY, enoch.verifierKey]).signatures).toHaveLength(2);
  });

  it.each([
    ['abc', 'Malformed note text: it must end with a newline.'],
    ['', 'Malformed note text: it must end with a newline.'],
    [
      'a\r\n',
      'Malformed note text: it contains a carriage return; notes use "\\n" line endings only.',
    ],
    ['a\tb\n', 'Malformed note text: it contains the control character U+0009.'],
  ])('refuses the text %j', (text, message) => {
    expect(() => signNote(text, PETER_SKEY)).toThrow(message);
  });
});

describe('opening (golang.org/x/mod sumdb/note TestOpen)', () => {
  const both = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;

  it('verifies the known key and sets the unknown one aside', () => {
    expect(openNote(both, [PETER_VKEY])).toEqual({
      text: TEXT,
      signatures: [PETER],
      unverifiedSignatures: [ENOCH],
    });
  });

  it('verifies both when both keys are known, from strings or parsed keys', () => {
    const note = openNote(both, [parseVerifierKey(PETER_VKEY), ENOCH_VKEY]);
    expect(note.signatures).toEqual([PETER, ENOCH]);
    expect(note.unverifiedSignatures).toEqual([]);
  });

  it('accepts the note as UTF-8 bytes', () => {
    expect(openNote(new TextEncoder().encode(both), [PETER_VKEY]).text).toBe(TEXT);
  });

  it('refuses a note with no signature by a known key, naming the keys on both sides', () => {
    const e = failure(() => openNote(both, []));
    expect(e.message).toBe(
      'No signature on this note is by a known key: it is signed by PeterNeumann+c74f20a3, ' +
        'EnochRoot+af0cfe78; the known keys are (none).',
    );
    expect(e.details).toMatchObject({ reason: 'unknown_key' });
  });

  it('ignores a signature whose name or key hash (but not both) matches a known key', () => {
    const renamed = PETER_SIG.replace('PeterNeumann', 'CarmenSandiego');
    const rehashed = PETER_SIG.replace('x08g', 'xxxx');
    for (const sig of [renamed, rehashed]) {
      expect(failure(() => openNote(`${TEXT}\n${sig}`, [PETER_VKEY])).details).toMatchObject({
        reason: 'unknown_key',
      });
    }
  });

  it('refuses two verifiers with one name and key hash, if the note uses that key', () => {
    const e = failure(() =>
      openNote(`${TEXT}\n${ENOCH_SIG}`, [ENOCH_VKEY, PETER_VKEY, ENOCH_VKEY]),
    );
    expect(e.message).toBe('Two verifier keys are named EnochRoot+af0cfe78; keep one.');
    expect(openNote(`${TEXT}\n${PETER_SIG}`, [ENOCH_VKEY, PETER_VKEY, ENOCH_VKEY]).text).toBe(TEXT);
  });

  it('refuses more than 100 signatures', () => {
    const e = failure(() => openNote(`${TEXT}\n${PETER_SIG.repeat(101)}`, [PETER_VKEY]));
    expect(e.message).toBe('Malformed note: more than 100 signatures.');
  });

  it('refuses an invalid signature by a known key', () => {
    const bad = `${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    const e = failure(() => openNote(`${TEXT}\n${bad}`, [PETER_VKEY]));
    expect(e.message).toBe(
      "Invalid signature for key PeterNeumann+c74f20a3: the note's text or signature was altered.",
    );
    expect(e.details).toMatchObject({ reason: 'bad_signature' });
  });

  it('drops repeated signatures, verified once, and keeps distinct unknown ones', () => {
    const enochAbcd = `${ENOCH_SIG.slice(0, 60)}ABCD${ENOCH_SIG.slice(60)}`;
    const note = openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${enochAbcd}`, [
      PETER_VKEY,
    ]);
    expect(note.signatures).toEqual([PETER]);
    expect(note.unverifiedSignatures).toEqual([
      ENOCH,
      { ...ENOCH, base64: `${ENOCH.base64.slice(0, 48)}ABCD${ENOCH.base64.slice(48)}` },
    ]);
  });

  it.each([
    [TEXT, 'Malformed note: no blank line before the signatures.'],
    [
      `${TEXT}\n`,
      'Malformed note: the signature lines must follow the blank line, each ending in a newline.',
    ],
    [
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      'Malformed note: the signature lines must follow the blank line, each ending in a newline.',
    ],
    [`\u0001${TEXT}\n${PETER_SIG}`, 'Malformed note: it contains the control character U+0001.'],
    [
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      'Malformed note: signature line 1 does not hold a base64 signature.',
    ],
    [
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      'Malformed note: signature line 2 does not start with "— ".',
    ],
    [
      `${TEXT}\n- PeterNeumann ${PETER.base64}\n`,
      'Malformed note: signature line 1 does not start with "— ".',
    ],
    [
      `${TEXT}\n— a+b ${PETER.base64}\n`,
      'Malformed note: signature line 1 has an invalid key name.',
    ],
    [
      `${TEXT}\n— PeterNeumann ${PETER.base64.slice(1)}\n`,
      'Malformed note: signature line 1 does not hold a base64 signature.',
    ],
    [
      `${TEXT}\n— PeterNeumann AAAA\n`,
      'Malformed note: signature line 1 does not hold a base64 signature.',
    ],
    [
      (TEXT + '\n' + PETER_SIG).replaceAll('\n', '\r\n'),
      'Malformed note: it contains a carriage return; notes use "\\n" line endings only.',
    ],
  ])('refuses a malformed note (%#)', (msg, message) => {
    const e = failure(() => openNote(msg, [PETER_VKEY]));
    expect(e.message).toBe(message);
    expect(e.details).toMatchObject({ reason: 'malformed_note' });
  });

  it('refuses bytes that are not UTF-8 (TestOpen: "\\xff" + text)', () => {
    const bytes = new Uint8Array([0xff, ...new TextEncoder().encode(`${TEXT}\n${PETER_SIG}`)]);
    expect(() => openNote(bytes, [PETER_VKEY])).toThrow('Malformed note: it is not valid UTF-8.');
  });

  it('parses the C2SP signed-note example, whose key is not published, as unverified', () => {
    // c2sp.org/signed-note, the example at the top; the text holds a blank line of its own.
    const example =
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n' +
      '— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n';
    const e = failure(() => openNote(example, [PETER_VKEY]));
    expect(e.details).toMatchObject({
      reason: 'unknown_key',
      signedBy: ['quasimodo.example/salvatore+367ba04b'],
    });
  });
});

describe('tampering', () => {
  const signer = generateKey('tierline.example/tenant/1', new Uint8Array(32).fill(42));
  const note = signNote('tierline.example/tenant/1\n3\nAAAA\n', signer.signerKey);
  const text = note.slice(0, note.lastIndexOf('\n\n') + 1);
  const b64 = note.slice(note.lastIndexOf(' ') + 1, -1);

  it('changing any character of the text fails with bad_signature', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 2 }), (i) => {
        const c = text[i] === 'x' ? 'y' : 'x';
        const forged = text.slice(0, i) + c + text.slice(i + 1) + note.slice(text.length);
        expect(failure(() => openNote(forged, [signer.verifierKey])).details).toMatchObject({
          reason: 'bad_signature',
        });
      }),
    );
  });

  it('flipping any bit of the signature fails (bad_signature; unknown_key if in the key hash)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 67 }), fc.integer({ min: 0, max: 7 }), (i, bit) => {
        const raw = new Uint8Array(fromBase64(b64)!);
        raw[i] = raw[i]! ^ (1 << bit);
        const forged = note.replace(b64, toBase64(raw));
        const e = failure(() => openNote(forged, [signer.verifierKey]));
        expect(e.details).toMatchObject({ reason: i < 4 ? 'unknown_key' : 'bad_signature' });
      }),
    );
  });

  it('a note signed by one tenant does not open with another tenant key of the same name', () => {
    const impostor = generateKey('tierline.example/tenant/1', new Uint8Array(32).fill(43));
    expect(failure(() => openNote(note, [impostor.verifierKey])).details).toMatchObject({
      reason: 'unknown_key',
    });
  });

  it('property: any valid text signs and opens to itself', () => {
    // eslint-disable-next-line no-control-regex -- lines without control characters
    const line = fc.stringMatching(/^[^\u0000-\u001f\u007f\ud800-\udfff]{0,30}$/);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        const t = lines.map((l) => `${l}\n`).join('');
        expect(openNote(signNote(t, signer.signerKey), [signer.verifierKey]).text).toBe(t);
      }),
    );
  });
});
