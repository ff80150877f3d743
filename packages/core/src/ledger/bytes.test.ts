import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../domain-error.js';
import { bytesEqual, fromBase64, fromHex, ledgerError, sha256, toBase64, toHex } from './bytes.js';

describe('strict base64 (RFC 4648 §4), so that one signature has one spelling', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        expect(fromBase64(toBase64(bytes))).toEqual(bytes);
      }),
    );
  });

  it.each([
    ['missing padding', 'AAA'],
    ['whitespace', 'AA AA'],
    ['URL alphabet', 'AA-_'],
    ['non-zero trailing bits', 'AB=='],
    ['padding in the middle', 'AA==AAAA'],
    ['a newline', 'AAAA\n'],
  ])('refuses %s', (_, s) => {
    expect(fromBase64(s)).toBeUndefined();
  });
});

describe('hex and hashing', () => {
  it('hex round-trips and refuses odd or foreign digits', () => {
    expect(toHex(fromHex('00ff10Ab'))).toBe('00ff10ab');
    expect(() => fromHex('abc')).toThrow(/Not a hexadecimal byte string/);
    expect(() => fromHex('zz')).toThrow(/Not a hexadecimal byte string/);
  });

  it('hashes the concatenation of its parts (FIPS 180-2 "abc")', () => {
    const abc = new TextEncoder().encode('abc');
    const want = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(toHex(sha256(abc))).toBe(want);
    expect(toHex(sha256(abc.subarray(0, 1), abc.subarray(1)))).toBe(want);
  });

  it('compares bytes by value and length', () => {
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
  });

  it('ledger errors are validation_failed DomainErrors carrying the reason', () => {
    const e = ledgerError('bad_signature', 'msg', { key: 'k' });
    expect(e).toBeInstanceOf(DomainError);
    expect(e.code).toBe('validation_failed');
    expect(e.details).toEqual({ reason: 'bad_signature', key: 'k' });
  });
});
