import type { Kysely } from 'kysely';
import { DomainError } from '@tierline/core';
import type { ApiToken, TokenScope } from '@tierline/contract';
import type { ApiTokenRow, Database } from '../db/database.js';
import { newSecret, sha256Hex } from '../auth/secrets.js';
import { TOKEN_PREFIX } from '../auth/session.repository.js';

export function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export async function listTokens(db: Kysely<Database>, tenantId: number): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_token')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiToken);
}

/**
 * Mint a token `tl_<tenant id>_<32 random bytes>`. Only its SHA-256 is stored (the secret has
 * 256 bits of entropy, so a fast hash is enough); the caller shows the secret once.
 */
export async function insertToken(
  db: Kysely<Database>,
  tenantId: number,
  input: { name: string; scope: TokenScope; createdBy: string; expiresAt: Date | null },
): Promise<{ token: ApiToken; secret: string }> {
  const random = newSecret();
  const secret = `${TOKEN_PREFIX}${tenantId}_${random}`;
  const row = await db
    .insertInto('api_token')
    .values({
      tenant_id: tenantId,
      name: input.name,
      scope: input.scope,
      token_hash: sha256Hex(random),
      prefix: secret.slice(0, TOKEN_PREFIX.length + String(tenantId).length + 7),
      created_by: input.createdBy,
      expires_at: input.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token: toApiToken(row), secret };
}

export async function revokeToken(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  now: Date,
): Promise<{ before: ApiToken; after: ApiToken }> {
  const row = await db
    .selectFrom('api_token')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', `API token ${id} does not exist.`, { id });
  if (row.revoked_at) {
    throw new DomainError(
      'conflict',
      `API token ${id} was already revoked on ${row.revoked_at.toISOString()}.`,
      { id },
    );
  }
  const after = await db
    .updateTable('api_token')
    .set({ revoked_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { before: toApiToken(row), after: toApiToken(after) };
}
