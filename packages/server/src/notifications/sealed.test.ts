import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isSealed, seal, unseal, useSecretKeyFile } from './sealed.js';

/** Channel credentials at rest: AES-256-GCM under a key kept outside the database. */
const dir = mkdtempSync(join(tmpdir(), 'tierline-sealed-'));
const envBefore = process.env['TIERLINE_SECRET_KEY'];

afterEach(() => {
  if (envBefore === undefined) delete process.env['TIERLINE_SECRET_KEY'];
  else process.env['TIERLINE_SECRET_KEY'] = envBefore;
  useSecretKeyFile(null);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sealed credentials', () => {
  it('seals with a fresh IV each time and opens only for its tenant and field', () => {
    delete process.env['TIERLINE_SECRET_KEY'];
    useSecretKeyFile(null);
    const one = seal('SEC-signing-secret', 7, 'secret');
    const two = seal('SEC-signing-secret', 7, 'secret');
    expect(isSealed(one)).toBe(true);
    expect(one).not.toBe(two);
    expect(one).not.toContain('SEC-signing');
    expect(unseal(one, 7, 'secret')).toBe('SEC-signing-secret');
    expect(() => unseal(one, 8, 'secret')).toThrow(/altered or belongs to another channel/);
    expect(() => unseal(one, 7, 'url')).toThrow(/altered or belongs to another channel/);
    // One changed character of the ciphertext: refused, not garbage.
    const last = one.at(-1) === 'A' ? 'B' : 'A';
    expect(() => unseal(one.slice(0, -1) + last, 7, 'secret')).toThrow(/altered/);
  });

  it('reads values stored before sealing as they are', () => {
    expect(unseal('plain-old-secret', 1, 'secret')).toBe('plain-old-secret');
  });

  it('makes the key file once (mode 0600) and reuses it; another key is named in the error', () => {
    delete process.env['TIERLINE_SECRET_KEY'];
    const file = join(dir, 'nested', 'tierline-secret.key');
    useSecretKeyFile(file);
    const sealed = seal('smtp-password', 3, 'secret');
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    // A new process with the same file opens it.
    useSecretKeyFile(file);
    expect(unseal(sealed, 3, 'secret')).toBe('smtp-password');
    // A server started with another key says which key the value needs.
    process.env['TIERLINE_SECRET_KEY'] = 'ab'.repeat(32);
    useSecretKeyFile(file);
    const keyId = sealed.split(':')[2];
    expect(() => unseal(sealed, 3, 'secret')).toThrow(
      new RegExp(`sealed with secret key ${keyId}, but this server has key [0-9a-f]{8}`),
    );
  });

  it('takes TIERLINE_SECRET_KEY as hex or base64 and explains a bad one', () => {
    const key = Buffer.alloc(32, 9);
    process.env['TIERLINE_SECRET_KEY'] = key.toString('base64');
    useSecretKeyFile(null);
    const sealed = seal('x', 1, 'secret');
    process.env['TIERLINE_SECRET_KEY'] = key.toString('hex');
    useSecretKeyFile(null);
    expect(unseal(sealed, 1, 'secret')).toBe('x');
    process.env['TIERLINE_SECRET_KEY'] = 'too-short';
    useSecretKeyFile(null);
    expect(() => seal('x', 1, 'secret')).toThrow(
      /TIERLINE_SECRET_KEY must hold 32 bytes as 64 hex digits or base64 \(it holds \d+ bytes\)/,
    );
  });
});
