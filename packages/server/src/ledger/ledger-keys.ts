import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import {
  generateKey,
  parseSignerKey,
  parseVerifierKey,
  verifierKeyOf,
  type NoteSigner,
} from '@tierline/core';
import type { Database } from '../db/database.js';

/**
 * Where each tenant's log signing key lives, and the log's name.
 *
 * - By default the signer key is kept in `ledger_signer`, a table the request role has no
 *   privilege on: only the server's own connection reads it, to sign checkpoints.
 * - With `TIERLINE_LEDGER_KEY_DIR` set, keys are files `<dir>/<tenant slug>.key` (mode 0600 in a
 *   0700 folder) and never enter the database. An operator may place a key there before the
 *   tenant is created (`tierline ledger keygen`), e.g. one kept in a secrets manager.
 * - The origin (the checkpoint's first line and the key's name) is
 *   `<TIERLINE_LEDGER_ORIGIN_PREFIX or "localhost">/ledger/<slug>`, fixed when the log is made.
 */
export function ledgerKeyDir(): string | undefined {
  const dir = process.env['TIERLINE_LEDGER_KEY_DIR'];
  return dir ? resolve(dir) : undefined;
}

export function ledgerOrigin(slug: string): string {
  const prefix = (process.env['TIERLINE_LEDGER_ORIGIN_PREFIX'] ?? 'localhost').replace(/\/+$/, '');
  return `${prefix}/ledger/${slug}`;
}

function keyFile(dir: string, slug: string): string {
  return join(dir, `${slug}.key`);
}

/** A new key pair for `origin` from the operating system's CSPRNG. */
export function newLedgerKey(origin: string): { signerKey: string; verifierKey: string } {
  return generateKey(origin, new Uint8Array(randomBytes(32)));
}

/** Write a signer key file readable by its owner only. */
export function writeKeyFile(dir: string, slug: string, signerKey: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = keyFile(dir, slug);
  writeFileSync(path, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return path;
}

/**
 * Create the tenant's log and its key when it has none; idempotent. Runs on the server's own
 * connection (the request role cannot write keys).
 */
export async function ensureLedger(
  db: Kysely<Database>,
  tenant: { id: number; slug: string },
): Promise<void> {
  const existing = await db
    .selectFrom('ledger_log')
    .select('tenant_id')
    .where('tenant_id', '=', tenant.id)
    .executeTakeFirst();
  if (existing) return;
  const origin = ledgerOrigin(tenant.slug);
  const dir = ledgerKeyDir();
  let verifierKey: string;
  if (dir) {
    const path = keyFile(dir, tenant.slug);
    if (existsSync(path)) {
      verifierKey = verifierKeyOf(readKeyFile(path, origin));
    } else {
      const pair = newLedgerKey(origin);
      writeKeyFile(dir, tenant.slug, pair.signerKey);
      verifierKey = pair.verifierKey;
    }
  } else {
    const pair = newLedgerKey(origin);
    verifierKey = pair.verifierKey;
    await db
      .insertInto('ledger_signer')
      .values({ tenant_id: tenant.id, signer_key: pair.signerKey })
      .execute();
  }
  await db
    .insertInto('ledger_log')
    .values({
      tenant_id: tenant.id,
      origin,
      verifier_key: verifierKey,
      signer_location: dir ? 'file' : 'database',
    })
    .execute();
}

/** A log for every tenant that has none (after migrating a database made before the ledger). */
export async function ensureLedgers(db: Kysely<Database>): Promise<number> {
  const missing = await db
    .selectFrom('tenant')
    .leftJoin('ledger_log', 'ledger_log.tenant_id', 'tenant.id')
    .select(['tenant.id', 'tenant.slug'])
    .where('ledger_log.tenant_id', 'is', null)
    .execute();
  for (const tenant of missing) await ensureLedger(db, tenant);
  return missing.length;
}

/** A signer key file's text, checked to be a key named `origin`. */
function readKeyFile(path: string, origin: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new Error(`The ledger signing key ${path} cannot be read (${(error as Error).message}).`);
  }
  const { name } = parseSignerKey(text);
  if (name !== origin) {
    throw new Error(`The ledger signing key ${path} is named ${name}, but the log is ${origin}.`);
  }
  return text;
}

/**
 * The signer of a tenant's log, from where its log says it is kept. Refuses a key whose public
 * half is not the verifier key the log publishes.
 */
export async function loadSigner(
  db: Kysely<Database>,
  tenantId: number,
  log: { origin: string; verifier_key: string; signer_location: 'database' | 'file' },
): Promise<NoteSigner> {
  let signer: NoteSigner;
  if (log.signer_location === 'database') {
    const row = await db
      .selectFrom('ledger_signer')
      .select('signer_key')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!row) {
      throw new Error(`The ledger of ${log.origin} has no signing key.`);
    }
    signer = parseSignerKey(row.signer_key);
  } else {
    const dir = ledgerKeyDir();
    const slug = log.origin.slice(log.origin.lastIndexOf('/') + 1);
    if (!dir) {
      throw new Error(
        `The ledger of ${log.origin} keeps its key in a file: set TIERLINE_LEDGER_KEY_DIR.`,
      );
    }
    signer = parseSignerKey(readKeyFile(keyFile(dir, slug), log.origin));
  }
  const verifier = parseVerifierKey(log.verifier_key);
  if (verifier.name !== signer.name || verifier.keyHash !== signer.keyHash) {
    throw new Error(`The signing key of ${log.origin} does not match its published verifier key.`);
  }
  return signer;
}
