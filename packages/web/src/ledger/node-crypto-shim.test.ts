import type * as NodeCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import * as shim from './node-crypto-shim';

// The ledger core below runs over the shim, as it does in the browser (vite.config.ts aliases
// node:crypto to it); the real node:crypto stays available as the reference.
vi.mock('node:crypto', () => import('./node-crypto-shim'));
const node = await vi.importActual<typeof NodeCrypto>('node:crypto');
const ledger = await import('../../../core/src/ledger/index');
const { DOCS_EXAMPLE } = await import('../../../core/src/test/ledger-docs-example');

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const spki = (publicKey: Uint8Array) =>
  Uint8Array.from([...hex('302a300506032b6570032100'), ...publicKey]);

// RFC 8032 §7.1 TEST 1 and TEST 2: public key, message, signature.
const rfc8032 = [
  [
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ],
  [
    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ],
] as const;

/** Whether Node (OpenSSL) accepts the signature: the behaviour the shim must match. */
function nodeVerifies(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) {
  const key = node.createPublicKey({
    key: Buffer.from(spki(publicKey)),
    format: 'der',
    type: 'spki',
  });
  return node.verify(null, message, key, signature);
}

function shimVerifies(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) {
  return shim.verify(null, message, shim.createPublicKey({ key: spki(publicKey) }), signature);
}

describe('the node:crypto shim', () => {
  it('hashes as Node does', () => {
    for (const size of [0, 1, 55, 56, 64, 1000]) {
      const data = Uint8Array.from({ length: size }, (_, i) => (i * 7 + size) % 256);
      expect(shim.hash('sha256', data, 'buffer')).toEqual(
        Uint8Array.from(node.hash('sha256', data, 'buffer')),
      );
    }
  });

  it.each(rfc8032)('verifies the RFC 8032 vector of key %s, and refuses it altered', (k, m, s) => {
    const [publicKey, message, signature] = [hex(k), hex(m), hex(s)];
    expect(shimVerifies(publicKey, message, signature)).toBe(true);
    const altered = Uint8Array.from(signature);
    altered[10] = altered[10]! ^ 1;
    expect(shimVerifies(publicKey, message, altered)).toBe(false);
    expect(shimVerifies(publicKey, Uint8Array.of(...message, 0), signature)).toBe(false);
  });

  it('refuses a non-canonical signature (S + L) as OpenSSL does', () => {
    const [k, m, s] = rfc8032[0];
    const signature = hex(s);
    // S is little-endian in the last 32 bytes; S + L still fits in 32 bytes for this vector.
    const order = 2n ** 252n + 27742317777372353535851937790883648493n;
    let S = 0n;
    for (let i = 63; i >= 32; i--) S = (S << 8n) | BigInt(signature[i]!);
    let big = S + order;
    expect(big < 2n ** 256n).toBe(true);
    const malleated = Uint8Array.from(signature);
    for (let i = 32; i < 64; i++) {
      malleated[i] = Number(big & 0xffn);
      big >>= 8n;
    }
    expect(nodeVerifies(hex(k), hex(m), malleated)).toBe(false);
    expect(shimVerifies(hex(k), hex(m), malleated)).toBe(false);
  });

  it("agrees with Node on signatures made by Node's own keys", () => {
    const { publicKey, privateKey } = node.generateKeyPairSync('ed25519');
    const raw = Uint8Array.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
    for (let i = 0; i < 20; i++) {
      const message = new TextEncoder().encode(`checkpoint ${i}\n`);
      const signature = Uint8Array.from(node.sign(null, message, privateKey));
      if (i % 2 === 1) signature[i] = signature[i]! ^ 0x40;
      expect(shimVerifies(raw, message, signature)).toBe(nodeVerifies(raw, message, signature));
    }
  });

  it('refuses to sign, and compares bytes like timingSafeEqual', () => {
    expect(() => shim.createPrivateKey()).toThrow('signing is not available in the browser');
    expect(() => shim.sign()).toThrow('signing is not available in the browser');
    expect(() => shim.createPublicKey({ key: hex('3000') })).toThrow(TypeError);
    expect(shim.timingSafeEqual(hex('0102'), hex('0102'))).toBe(true);
    expect(shim.timingSafeEqual(hex('0102'), hex('0103'))).toBe(false);
    expect(() => shim.timingSafeEqual(hex('01'), hex('0102'))).toThrow(RangeError);
  });
});

describe('the ledger core over the shim (the example of docs/ledger.md)', () => {
  const { origin, verifierKey, note, records } = DOCS_EXAMPLE;
  const sha = (s: string) => shim.hash('sha256', new TextEncoder().encode(s));
  const entries = records.map((r, i) => ledger.commit(r, sha(DOCS_EXAMPLE.saltSeed(i))));

  /** The log's public files, as the server publishes them below its prefix. */
  function publishedFiles(entryData: Uint8Array[]): Map<string, Uint8Array> {
    const storage: Uint8Array[] = [];
    const reader = ledger.hashReaderFrom(storage);
    entryData.forEach((e, n) => storage.push(...ledger.storedHashes(n, e, reader)));
    const files = new Map<string, Uint8Array>([['checkpoint', new TextEncoder().encode(note)]]);
    for (const tile of ledger.tilesForSize(entryData.length)) {
      files.set(ledger.tilePath(tile), ledger.readTileData(tile, reader));
    }
    files.set(ledger.entryBundlePath(0, entryData.length), ledger.formatEntryBundle(entryData));
    return files;
  }

  it('commits, opens the signed checkpoint and proves an entry', () => {
    expect(entries.map(ledger.toHex)).toEqual(DOCS_EXAMPLE.entries);
    const verifier = ledger.parseVerifierKey(verifierKey);
    const { checkpoint } = ledger.openCheckpoint(note, { origin, verifiers: [verifier] });
    const leaves = entries.map(ledger.leafHash);
    const proof = ledger.inclusionProof(leaves, 1, 3);
    expect(ledger.verifyInclusion(leaves[1]!, 1, 3, proof, checkpoint.hash)).toBe(true);
    expect(() =>
      ledger.openCheckpoint(note.replace('\n3\n', '\n4\n'), { origin, verifiers: [verifier] }),
    ).toThrow(/signature/i);
  });

  it('verifies the log from its files, and finds an entry replaced', async () => {
    const serve = (files: Map<string, Uint8Array>) => async (path: string) =>
      files.get(path) ?? null;
    const good = await ledger.verifyLog({ fetch: serve(publishedFiles(entries)), verifierKey });
    expect(good).toMatchObject({ ok: true, entries: 3, problems: [] });

    const files = publishedFiles(entries);
    const forged = ledger.formatEntryBundle([entries[0]!, sha('another record'), entries[2]!]);
    files.set(ledger.entryBundlePath(0, 3), forged);
    const bad = await ledger.verifyLog({ fetch: serve(files), verifierKey });
    expect(bad.ok).toBe(false);
    expect(bad.problems[0]).toMatchObject({ code: 'entry_mismatch', index: 1 });
  });
});
