import type { Kysely } from 'kysely';
import { DomainError } from '@tierline/core';
import type { Role, User, UserPatch } from '@tierline/contract';
import type { Database } from '../db/database.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { deleteUserSessions } from '../auth/session.repository.js';
import {
  dealerIdOf,
  getUserRow,
  insertUser,
  regionIdsOf,
  setUserRegions,
  toUsers,
  updateUserRow,
  userRegionIds,
  type UserChanges,
} from './user.repository.js';

export interface CreateUserInput {
  login: string;
  displayName: string;
  role: Role;
  regionCodes: readonly string[];
  dealerCode?: string | undefined;
}

/** Channel managers own regions; dealer users belong to a dealer; other roles have neither. */
function checkScope(role: Role, regionCodes: readonly string[], dealerCode: string | null): void {
  if (role === 'channel_manager' && regionCodes.length === 0) {
    throw new DomainError(
      'validation_failed',
      'A channel manager needs at least one region (regionCodes).',
      { field: 'regionCodes' },
    );
  }
  if (role !== 'channel_manager' && regionCodes.length > 0) {
    throw new DomainError(
      'validation_failed',
      `A ${role} user has no regions; only channel managers do.`,
      {
        field: 'regionCodes',
      },
    );
  }
  if (role === 'dealer' && dealerCode === null) {
    throw new DomainError('validation_failed', 'A dealer user needs its dealer (dealerCode).', {
      field: 'dealerCode',
    });
  }
  if (role !== 'dealer' && dealerCode !== null) {
    throw new DomainError(
      'validation_failed',
      `A ${role} user has no dealer; only dealer users do.`,
      {
        field: 'dealerCode',
      },
    );
  }
}

async function userById(db: Kysely<Database>, tenantId: number, id: number): Promise<User> {
  const [user] = await toUsers(db, tenantId, [await getUserRow(db, tenantId, id)]);
  if (!user) throw new DomainError('not_found', `User ${id} does not exist.`, { id });
  return user;
}

/** Create a user in the caller's transaction; the password arrives hashed. */
export async function createUser(
  db: Kysely<Database>,
  tenantId: number,
  origin: AuditOrigin,
  input: CreateUserInput,
  passwordHash: string,
): Promise<User> {
  checkScope(input.role, input.regionCodes, input.dealerCode ?? null);
  const regionIds = await regionIdsOf(db, tenantId, input.regionCodes);
  const dealerId = input.dealerCode ? await dealerIdOf(db, tenantId, input.dealerCode) : null;
  const row = await insertUser(db, tenantId, {
    login: input.login,
    displayName: input.displayName,
    role: input.role,
    passwordHash,
    dealerId,
  });
  await setUserRegions(db, tenantId, row.id, regionIds);
  const user = await userById(db, tenantId, row.id);
  await recordAudit(db, tenantId, origin, {
    action: 'user.create',
    entityType: 'user',
    entityId: row.id,
    after: user,
  });
  return user;
}

async function activeAdmins(db: Kysely<Database>, tenantId: number): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Change a user in the caller's transaction. A new role, scope, password or a disable ends the
 * user's sessions; the last active admin cannot be demoted or disabled.
 */
export async function updateUser(
  db: Kysely<Database>,
  tenantId: number,
  origin: AuditOrigin,
  id: number,
  patch: Omit<UserPatch, 'password'>,
  passwordHash?: string,
): Promise<User> {
  const before = await userById(db, tenantId, id);
  const role = patch.role ?? before.role;
  const regionCodes =
    patch.regionCodes ??
    (patch.role && role !== 'channel_manager' ? [] : before.regions.map((r) => r.code));
  const dealerCode =
    patch.dealerCode !== undefined
      ? patch.dealerCode
      : patch.role && role !== 'dealer'
        ? null
        : (before.dealer?.code ?? null);
  checkScope(role, regionCodes, dealerCode);
  const status = patch.status ?? before.status;
  if (
    before.role === 'admin' &&
    before.status === 'active' &&
    (role !== 'admin' || status !== 'active')
  ) {
    if ((await activeAdmins(db, tenantId)) <= 1) {
      throw new DomainError(
        'conflict',
        `${before.login} is the last active admin of this tenant; make another user admin first.`,
        { id },
      );
    }
  }
  const changes: UserChanges = {};
  if (patch.displayName !== undefined) changes.display_name = patch.displayName;
  if (patch.role !== undefined) changes.role = patch.role;
  if (patch.status !== undefined) changes.status = patch.status;
  changes.dealer_id = dealerCode === null ? null : await dealerIdOf(db, tenantId, dealerCode);
  if (passwordHash !== undefined) {
    changes.password_hash = passwordHash;
    changes.password_changed_at = new Date();
  }
  if (patch.unlock) {
    changes.failed_attempts = 0;
    changes.locked_until = null;
  }
  await updateUserRow(db, tenantId, id, changes);
  const oldRegionIds = await userRegionIds(db, tenantId, id);
  const newRegionIds = await regionIdsOf(db, tenantId, regionCodes);
  const regionsChanged =
    oldRegionIds.length !== newRegionIds.length ||
    newRegionIds.some((r) => !oldRegionIds.includes(r));
  if (regionsChanged) await setUserRegions(db, tenantId, id, newRegionIds);
  const after = await userById(db, tenantId, id);
  const endsSessions =
    passwordHash !== undefined ||
    after.status !== 'active' ||
    after.role !== before.role ||
    regionsChanged ||
    after.dealer?.id !== before.dealer?.id;
  if (endsSessions) await deleteUserSessions(db, tenantId, id);
  await recordAudit(db, tenantId, origin, {
    action:
      passwordHash !== undefined && Object.keys(patch).length === 0
        ? 'user.password_reset'
        : 'user.update',
    entityType: 'user',
    entityId: id,
    before,
    after: passwordHash !== undefined ? { ...after, passwordReset: true } : after,
  });
  return after;
}
