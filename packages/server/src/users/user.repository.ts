import type { Kysely } from 'kysely';
import { DomainError } from '@tierline/core';
import type { Role, User, UserStatus } from '@tierline/contract';
import type { AppUserRow, Database } from '../db/database.js';

/** A user as the API shows it: never the password hash. */
export async function toUsers(
  db: Kysely<Database>,
  tenantId: number,
  rows: readonly AppUserRow[],
): Promise<User[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const regions = await db
    .selectFrom('user_region as ur')
    .innerJoin('region as r', (j) =>
      j.onRef('r.tenant_id', '=', 'ur.tenant_id').onRef('r.id', '=', 'ur.region_id'),
    )
    .select(['ur.user_id', 'r.code', 'r.name'])
    .where('ur.tenant_id', '=', tenantId)
    .where('ur.user_id', 'in', ids)
    .orderBy('r.code')
    .execute();
  const dealerIds = rows.flatMap((r) => (r.dealer_id === null ? [] : [r.dealer_id]));
  const dealers =
    dealerIds.length === 0
      ? []
      : await db
          .selectFrom('dealer')
          .select(['id', 'code', 'name'])
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', dealerIds)
          .execute();
  const dealerById = new Map(dealers.map((d) => [d.id, d]));
  return rows.map((row) => ({
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    role: row.role,
    status: row.status,
    regions: regions
      .filter((r) => r.user_id === row.id)
      .map((r) => ({ code: r.code, name: r.name })),
    dealer: row.dealer_id === null ? null : (dealerById.get(row.dealer_id) ?? null),
    lockedUntil: row.locked_until ? row.locked_until.toISOString() : null,
    lastSignInAt: row.last_sign_in_at ? row.last_sign_in_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
  }));
}

export async function listUsers(db: Kysely<Database>, tenantId: number): Promise<User[]> {
  const rows = await db
    .selectFrom('app_user')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('login')
    .execute();
  return toUsers(db, tenantId, rows);
}

export async function findUserRow(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<AppUserRow | undefined> {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function getUserRow(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<AppUserRow> {
  const row = await findUserRow(db, tenantId, id);
  if (!row) throw new DomainError('not_found', `User ${id} does not exist.`, { id });
  return row;
}

export async function findUserByLogin(
  db: Kysely<Database>,
  tenantId: number,
  login: string,
): Promise<AppUserRow | undefined> {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('login', '=', login.trim().toLowerCase())
    .executeTakeFirst();
}

/** Region ids for codes; a validation error names every unknown code. */
export async function regionIdsOf(
  db: Kysely<Database>,
  tenantId: number,
  codes: readonly string[],
): Promise<number[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('region')
    .select(['id', 'code'])
    .where('tenant_id', '=', tenantId)
    .where('code', 'in', codes)
    .execute();
  const known = new Set(rows.map((r) => r.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new DomainError(
      'validation_failed',
      `Unknown region code${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
      { field: 'regionCodes', values: unknown },
    );
  }
  return rows.map((r) => r.id);
}

export async function dealerIdOf(
  db: Kysely<Database>,
  tenantId: number,
  code: string,
): Promise<number> {
  const row = await db
    .selectFrom('dealer')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) {
    throw new DomainError('validation_failed', `Unknown dealer code: ${code}.`, {
      field: 'dealerCode',
      value: code,
    });
  }
  return row.id;
}

export interface UserValues {
  login: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  dealerId: number | null;
}

export async function insertUser(
  db: Kysely<Database>,
  tenantId: number,
  values: UserValues,
): Promise<AppUserRow> {
  const taken = await findUserByLogin(db, tenantId, values.login);
  if (taken) {
    throw new DomainError('conflict', `A user with login "${values.login}" already exists.`, {
      field: 'login',
      value: values.login,
    });
  }
  return db
    .insertInto('app_user')
    .values({
      tenant_id: tenantId,
      login: values.login,
      display_name: values.displayName,
      role: values.role,
      password_hash: values.passwordHash,
      dealer_id: values.dealerId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setUserRegions(
  db: Kysely<Database>,
  tenantId: number,
  userId: number,
  regionIds: readonly number[],
): Promise<void> {
  await db
    .deleteFrom('user_region')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
  if (regionIds.length === 0) return;
  await db
    .insertInto('user_region')
    .values(
      regionIds.map((regionId) => ({ tenant_id: tenantId, user_id: userId, region_id: regionId })),
    )
    .execute();
}

export async function userRegionIds(
  db: Kysely<Database>,
  tenantId: number,
  userId: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('user_region')
    .select('region_id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.region_id);
}

export interface UserChanges {
  display_name?: string;
  role?: Role;
  status?: UserStatus;
  dealer_id?: number | null;
  password_hash?: string;
  password_changed_at?: Date;
  failed_attempts?: number;
  locked_until?: Date | null;
  last_sign_in_at?: Date;
}

export async function updateUserRow(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  changes: UserChanges,
): Promise<AppUserRow> {
  return db
    .updateTable('app_user')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function countUsers(db: Kysely<Database>, tenantId: number): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
