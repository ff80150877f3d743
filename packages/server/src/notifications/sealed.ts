import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '@tierline/core';

/**
 * Channel credentials at rest: signing secrets, SMTP passwords and robot webhook URLs (whose
 * access token is the credential) are stored sealed with AES-256-GCM, so that a database dump or
 * backup does not hand out the right to post into a tenant's groups. The key never enters the
 * database. It comes from, in order:
 *
 * 1. `TIERLINE_SECRET_KEY`: 32 bytes as 64 hex digits or base64;
 * 2. the key file set by {@link useSecretKeyFile} (the CLI uses `TIERLINE_SECRET_KEY_FILE`, by
 *    default `tierline-secret.key` beside the data folder), made with 32 random bytes and mode
 *    0600 the first time a credential is sealed;
 * 3. otherwise a random key for the life of the process (in-memory databases: tests).
 *
 * A sealed value is `sealed:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts), bound to its
 * tenant and field as associated data, so that a value copied to another tenant or field does
 * not open. The key id (8 hex digits of the key's SHA-256) lets a wrong key be named instead of
 * failing obscurely. Values stored before sealing existed (plain text) still read.
 */
const PREFIX = 'sealed:v1:';
const KEY_BYTES = 32;

let keyFile: string | null = null;
let cached: { key: Buffer; id: string } | null = null;

/** Seal and open with the key in `path` (created on first use when missing). */
export function useSecretKeyFile(path: string | null): void {
  keyFile = path;
  cached = null;
}

function parseKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `${where} must hold 32 bytes as 64 hex digits or base64 (it holds ${key.length} bytes); make one with: openssl rand -hex 32`,
    );
  }
  return key;
}

function secretKey(): { key: Buffer; id: string } {
  if (cached) return cached;
  let key: Buffer;
  const fromEnv = process.env['TIERLINE_SECRET_KEY'];
  if (fromEnv) {
    key = parseKey(fromEnv, 'TIERLINE_SECRET_KEY');
  } else if (keyFile && existsSync(keyFile)) {
    key = parseKey(readFileSync(keyFile, 'utf8'), `The secret key file ${keyFile}`);
  } else if (keyFile) {
    key = randomBytes(KEY_BYTES);
    mkdirSync(dirname(keyFile), { recursive: true });
    // 'wx': never overwrite a key another process made in the meantime.
    try {
      writeFileSync(keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(keyFile, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      key = parseKey(readFileSync(keyFile, 'utf8'), `The secret key file ${keyFile}`);
    }
  } else {
    key = randomBytes(KEY_BYTES);
  }
  cached = { key, id: createHash('sha256').update(key).digest('hex').slice(0, 8) };
  return cached;
}

/** Whether a stored value is sealed (rather than plain text from before sealing). */
export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

const aad = (tenantId: number, field: string) => Buffer.from(`tierline:${tenantId}:${field}`);

/** Seal `plain` for `field` of a tenant's channel. */
export function seal(plain: string, tenantId: number, field: string): string {
  const { key, id } = secretKey();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(tenantId, field));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'));
  return `${PREFIX}${id}:${parts.join(':')}`;
}

/** A channel config with its `url` (where it has one) sealed or opened by `f`. */
export function mapUrl(
  config: Record<string, unknown>,
  f: (url: string) => string,
): Record<string, unknown> {
  return typeof config['url'] === 'string' ? { ...config, url: f(config['url']) } : config;
}

/**
 * Open a stored value: sealed ones with the key, plain ones as they are. A value sealed with
 * another key, or altered, is a clear error naming the key it needs.
 */
export function unseal(stored: string, tenantId: number, field: string): string {
  if (!isSealed(stored)) return stored;
  const [id, iv, tag, data] = stored.slice(PREFIX.length).split(':');
  const { key, id: current } = secretKey();
  if (id !== current) {
    throw new DomainError(
      'conflict',
      `The channel's ${field} was sealed with secret key ${id}, but this server has key ${current}; start it with the key it was sealed with (TIERLINE_SECRET_KEY or TIERLINE_SECRET_KEY_FILE), or set the ${field} again.`,
      { field },
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv ?? '', 'base64url'));
    decipher.setAAD(aad(tenantId, field));
    decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data ?? '', 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new DomainError(
      'conflict',
      `The channel's ${field} does not open with secret key ${current}: it was altered or belongs to another channel; set the ${field} again.`,
      { field },
    );
  }
}
