import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { scopeOf, type TokenPrincipal, type UserPrincipal } from './policy.js';
import { newSecret, sha256Hex } from './secrets.js';
import { userRegionIds } from '../users/user.repository.js';
import { resolveRegionScope } from '../dealers/dealer-scope.js';

/** A session ends 12 hours after sign-in, or after 2 hours without a request. */
export const SESSION_HOURS = 12;
export const SESSION_IDLE_MINUTES = 120;

export interface NewSession {
  /** The cookie value: `<tenant id>.<secret>`; only its SHA-256 is stored. */
  cookie: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  db: Kysely<Database>,
  tenantId: number,
  userId: number,
  from: { ip: string | null; userAgent: string | null },
  now: Date,
): Promise<NewSession> {
  const secret = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  // The user's ended sessions go when it opens a new one, so the table stays small.
  const idleSince = new Date(now.getTime() - SESSION_IDLE_MINUTES * 60_000);
  await db
    .deleteFrom('user_session')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
    .execute();
  await db
    .insertInto('user_session')
    .values({
      tenant_id: tenantId,
      token_hash: sha256Hex(secret),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      ip: from.ip,
      user_agent: from.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { cookie: `${tenantId}.${secret}`, csrfToken, expiresAt };
}

/** Split a `<tenant id>.<secret>` credential; undefined when malformed. */
export function parseCredential(
  value: string,
  separator: string,
): { tenantId: number; secret: string } | undefined {
  const at = value.indexOf(separator);
  if (at <= 0) return undefined;
  const tenantId = Number(value.slice(0, at));
  const secret = value.slice(at + separator.length);
  if (!Number.isSafeInteger(tenantId) || tenantId <= 0 || !/^[A-Za-z0-9_-]{43}$/.test(secret)) {
    return undefined;
  }
  return { tenantId, secret };
}

/**
 * The user behind a session cookie, if the session is live and the user active. Refreshes
 * `last_seen_at` at most once a minute.
 */
export async function resolveSession(
  db: Kysely<Database>,
  cookie: string,
  now: Date,
): Promise<UserPrincipal | undefined> {
  const credential = parseCredential(cookie, '.');
  if (!credential) return undefined;
  const tokenHash = sha256Hex(credential.secret);
  const idleSince = new Date(now.getTime() - SESSION_IDLE_MINUTES * 60_000);
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', (j) =>
      j.onRef('u.tenant_id', '=', 's.tenant_id').onRef('u.id', '=', 's.user_id'),
    )
    .innerJoin('tenant as t', 't.id', 's.tenant_id')
    .select([
      's.csrf_token',
      's.expires_at',
      's.last_seen_at',
      'u.id as user_id',
      'u.login',
      'u.display_name',
      'u.role',
      'u.dealer_id',
      't.slug',
      't.name as tenant_name',
    ])
    .where('s.tenant_id', '=', credential.tenantId)
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('s.last_seen_at', '>', idleSince)
    .where('u.status', '=', 'active')
    .executeTakeFirst();
  if (!row) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db
      .updateTable('user_session')
      .set({ last_seen_at: now })
      .where('tenant_id', '=', credential.tenantId)
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  const regions =
    row.role === 'channel_manager'
      ? await resolveRegionScope(
          db,
          credential.tenantId,
          await userRegionIds(db, credential.tenantId, row.user_id),
        )
      : null;
  return {
    kind: 'user',
    tenantId: credential.tenantId,
    tenantSlug: row.slug,
    tenantName: row.tenant_name,
    userId: row.user_id,
    login: row.login,
    displayName: row.display_name,
    role: row.role,
    scope: scopeOf(row.role, regions, row.dealer_id),
    sessionHash: tokenHash,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

export async function deleteSession(
  db: Kysely<Database>,
  tenantId: number,
  tokenHash: string,
): Promise<void> {
  await db
    .deleteFrom('user_session')
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .execute();
}

/** End every session of a user (after a password change, a disable or a role change). */
export async function deleteUserSessions(
  db: Kysely<Database>,
  tenantId: number,
  userId: number,
  except?: string,
): Promise<void> {
  let query = db
    .deleteFrom('user_session')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId);
  if (except !== undefined) query = query.where('token_hash', '<>', except);
  await query.execute();
}

/** API tokens are `tl_<tenant id>_<secret>`. */
export const TOKEN_PREFIX = 'tl_';

/** The API token behind a bearer credential, if it is live. */
export async function resolveToken(
  db: Kysely<Database>,
  bearer: string,
  now: Date,
): Promise<TokenPrincipal | undefined> {
  if (!bearer.startsWith(TOKEN_PREFIX)) return undefined;
  const credential = parseCredential(bearer.slice(TOKEN_PREFIX.length), '_');
  if (!credential) return undefined;
  const tokenHash = sha256Hex(credential.secret);
  const row = await db
    .selectFrom('api_token as k')
    .innerJoin('tenant as t', 't.id', 'k.tenant_id')
    .select(['k.id', 'k.name', 'k.scope', 'k.last_used_at', 't.slug', 't.name as tenant_name'])
    .where('k.tenant_id', '=', credential.tenantId)
    .where('k.token_hash', '=', tokenHash)
    .where('k.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', now)]))
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db
      .updateTable('api_token')
      .set({ last_used_at: now })
      .where('tenant_id', '=', credential.tenantId)
      .where('id', '=', row.id)
      .execute();
  }
  return {
    kind: 'token',
    tenantId: credential.tenantId,
    tenantSlug: row.slug,
    tenantName: row.tenant_name,
    tokenId: row.id,
    name: row.name,
    tokenScope: row.scope,
    scope: { kind: 'tenant' },
  };
}
