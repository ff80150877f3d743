import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error.js';
import { fromBase64, fromHex, toBase64, toHex } from './bytes.js';
import {
  generateKey,
  isValidKeyName,
  keyHash,
  parseSignerKey,
  parseVerifierKey,
  verifyEd25519,
} from './keys.js';
import { domainError as failure } from '../test/domain-error.js';

// golang.org/x/mod sumdb/note/note_test.go: TestNewVerifier, TestNewSigner, TestVerifierList.
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';

describe('keys (golang.org/x/mod sumdb/note)', () => {
  it('generateKey from the published seed reproduces both published key strings', () => {
    const seed = fromBase64(PETER_SKEY.split('+').slice(4).join('+'))!.subarray(1);
    expect(generateKey('PeterNeumann', seed)).toEqual({
      signerKey: PETER_SKEY,
      verifierKey: PETER_VKEY,
    });
  });

  it('the key hash is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]', () => {
    const verifier = parseVerifierKey(PETER_VKEY);
    expect(verifier.keyHash).toBe(0xc74f20a3);
    expect(keyHash('PeterNeumann', verifier.publicKey)).toBe(0xc74f20a3);
    expect(parseSignerKey(PETER_SKEY)).toMatchObject({ name: 'PeterNeumann', keyHash: 0xc74f20a3 });
    expect(parseVerifierKey(ENOCH_VKEY).keyHash).toBe(0xaf0cfe78);
  });

  it('the same seed always gives the same keys, and another seed other keys', () => {
    const seed = new Uint8Array(32).fill(7);
    expect(generateKey('tierline.example/t1', seed)).toEqual(
      generateKey('tierline.example/t1', seed),
    );
    const other = generateKey('tierline.example/t1', new Uint8Array(32).fill(8));
    expect(other.verifierKey).not.toBe(generateKey('tierline.example/t1', seed).verifierKey);
  });

  it('refuses every substring and every one-character change of the verifier key (TestNewVerifier)', () => {
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i === 0 && j === PETER_VKEY.length) continue;
        expect(() => parseVerifierKey(PETER_VKEY.slice(i, j))).toThrow(DomainError);
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const c = String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1);
      const mangled = PETER_VKEY.slice(0, i) + c + PETER_VKEY.slice(i + 1);
      expect(() => parseVerifierKey(mangled), mangled).toThrow(DomainError);
    }
  });

  it.each([
    // Wrong key length and unknown algorithm, each with a key hash adjusted to match (TestNewVerifier).
    // The first also ends in non-canonical base64 ("EY==" leaves bits set), refused before its length.
    [
      'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
      'Malformed verifier key: the key is not valid base64.',
    ],
    [
      `PeterNeumann+00000000+${toBase64(new Uint8Array(32).fill(1))}`,
      'Malformed verifier key: an Ed25519 key is 32 bytes.',
    ],
    [
      'PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      'Malformed verifier key: unknown algorithm 0x65, only Ed25519 (0x01).',
    ],
    [
      'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      'Verifier key PeterNeumann+c74f20a4 has the wrong key hash.',
    ],
  ])('refuses %s', (key, message) => {
    const e = failure(() => parseVerifierKey(key));
    expect(e.message).toBe(message);
    expect(e.details).toMatchObject({ reason: 'malformed_key' });
  });

  it('refuses every substring and every one-character change of the signer key (TestNewSigner)', () => {
    for (let i = 0; i <= PETER_SKEY.length; i++) {
      for (let j = i + 1; j <= PETER_SKEY.length; j++) {
        if (i === 0 && j === PETER_SKEY.length) continue;
        expect(() => parseSignerKey(PETER_SKEY.slice(i, j))).toThrow(DomainError);
      }
    }
    for (let i = 0; i < PETER_SKEY.length; i++) {
      const c = String.fromCharCode(PETER_SKEY.charCodeAt(i) + 1);
      const mangled = PETER_SKEY.slice(0, i) + c + PETER_SKEY.slice(i + 1);
      expect(() => parseSignerKey(mangled)).toThrow(DomainError);
    }
  });

  it('never echoes a signer key in its error message', () => {
    const mangled = PETER_SKEY.replace('c74f20a3', 'c74f20a4');
    expect(failure(() => parseSignerKey(mangled)).message).not.toContain('AYEK');
  });

  it.each(['', 'a+b', 'Bad Name', 'tab\tname', 'nbsp\u00a0name', 'line\u2028sep'])(
    'refuses the key name %j',
    (name) => {
      expect(isValidKeyName(name)).toBe(false);
      expect(() => generateKey(name, new Uint8Array(32))).toThrow(
        /is not valid: it must be non-empty/,
      );
    },
  );

  it('accepts schema-less URLs as key names', () => {
    expect(isValidKeyName('tierline.example/tenant/42')).toBe(true);
  });

  it('refuses a seed that is not 32 bytes', () => {
    expect(() => generateKey('k', new Uint8Array(31))).toThrow(
      'An Ed25519 seed is 32 bytes, not 31.',
    );
  });
});

describe('Ed25519 (RFC 8032 §7.1, TEST 1 and TEST 2)', () => {
  it.each([
    [
      '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      '',
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    ],
    [
      '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      '72',
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    ],
  ])('seed %s derives its public key and its signature verifies', (seed, pub, msg, sig) => {
    const { verifierKey } = generateKey('rfc8032', fromHex(seed));
    expect(toHex(parseVerifierKey(verifierKey).publicKey)).toBe(pub);
    expect(verifyEd25519(fromHex(pub), fromHex(msg), fromHex(sig))).toBe(true);
    const bad = fromHex(sig);
    bad[0] = bad[0]! ^ 1;
    expect(verifyEd25519(fromHex(pub), fromHex(msg), bad)).toBe(false);
    expect(verifyEd25519(fromHex(pub), fromHex(msg), bad.subarray(1))).toBe(false);
  });
});
