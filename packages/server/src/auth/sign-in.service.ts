import type { Kysely } from 'kysely';
import { DomainError } from '@tierline/core';
import type { AppUserRow, Database, TenantRow } from '../db/database.js';
import { withTenant } from '../db/tenant-scope.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { findTenantBySlug } from '../tenants/tenant.repository.js';
import { findUserByLogin, updateUserRow } from '../users/user.repository.js';
import { decoyHash, verifyPassword } from './secrets.js';
import { createSession, type NewSession } from './session.repository.js';

/** Five wrong passwords in a row lock a user's sign-in for 15 minutes. */
export const LOCKOUT = { attempts: 5, minutes: 15 } as const;

const WRONG = 'The tenant, login or password is wrong.';

export interface SignedIn {
  tenant: TenantRow;
  user: AppUserRow;
  session: NewSession;
}

function lockedError(until: Date): DomainError {
  return new DomainError(
    'rate_limited',
    `Too many wrong passwords: sign-in for this user is locked until ${until.toISOString()}. ` +
      'Wait, or ask an administrator to unlock it.',
    { lockedUntil: until.toISOString() },
  );
}

/**
 * Check a login and password and open a session. A wrong tenant, login or password gets the
 * same answer after the same work (a decoy hash is verified when there is no such user). Every
 * attempt, good or bad, lands in the tenant's audit trail; the failure count and lock-out are
 * committed even though the caller gets an error.
 */
export async function signIn(
  db: Kysely<Database>,
  input: { tenant: string; login: string; password: string },
  from: { ip: string | null; userAgent: string | null },
  now: Date,
): Promise<SignedIn> {
  const tenant = await findTenantBySlug(db, input.tenant);
  const login = input.login.trim().toLowerCase();
  const user = tenant
    ? await withTenant(db, tenant.id, (trx) => findUserByLogin(trx, tenant.id, login), {
        readOnly: true,
      })
    : undefined;
  if (!tenant || !user || user.status !== 'active') {
    await verifyPassword(input.password, await decoyHash());
    if (tenant) {
      await withTenant(db, tenant.id, (trx) =>
        recordAudit(trx, tenant.id, anonymous(login, from), {
          action: 'session.sign_in_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
          after: { login, reason: user ? 'disabled' : 'unknown login' },
        }),
      );
    }
    throw new DomainError('unauthenticated', WRONG);
  }
  if (user.locked_until && user.locked_until > now) {
    await withTenant(db, tenant.id, (trx) =>
      recordAudit(trx, tenant.id, anonymous(login, from), {
        action: 'session.sign_in_failed',
        entityType: 'user',
        entityId: user.id,
        after: { login, reason: 'locked' },
      }),
    );
    throw lockedError(user.locked_until);
  }
  const good = await verifyPassword(input.password, user.password_hash);
  const outcome = await withTenant(db, tenant.id, async (trx) => {
    // Lock the row: concurrent wrong attempts must all count.
    const current = await trx
      .selectFrom('app_user')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .where('id', '=', user.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!good) {
      const attempts = current.failed_attempts + 1;
      const lock = attempts >= LOCKOUT.attempts;
      const lockedUntil = lock ? new Date(now.getTime() + LOCKOUT.minutes * 60_000) : null;
      await updateUserRow(trx, tenant.id, user.id, {
        failed_attempts: lock ? 0 : attempts,
        ...(lock ? { locked_until: lockedUntil } : {}),
      });
      await recordAudit(trx, tenant.id, anonymous(login, from), {
        action: 'session.sign_in_failed',
        entityType: 'user',
        entityId: user.id,
        after: { login, reason: 'wrong password', attempt: attempts },
      });
      if (lock && lockedUntil) {
        await recordAudit(
          trx,
          tenant.id,
          { ...anonymous(login, from), actor: system() },
          {
            action: 'user.lock',
            entityType: 'user',
            entityId: user.id,
            after: { lockedUntil: lockedUntil.toISOString(), attempts },
          },
        );
      }
      return { ok: false as const, lockedUntil };
    }
    const updated = await updateUserRow(trx, tenant.id, user.id, {
      failed_attempts: 0,
      locked_until: null,
      last_sign_in_at: now,
    });
    const session = await createSession(trx, tenant.id, user.id, from, now);
    await recordAudit(
      trx,
      tenant.id,
      { actor: { kind: 'user', id: user.id, name: login }, ...from },
      { action: 'session.sign_in', entityType: 'user', entityId: user.id },
    );
    return { ok: true as const, user: updated, session };
  });
  if (!outcome.ok) {
    if (outcome.lockedUntil) throw lockedError(outcome.lockedUntil);
    throw new DomainError('unauthenticated', WRONG);
  }
  return { tenant, user: outcome.user, session: outcome.session };
}

function anonymous(
  login: string,
  from: { ip: string | null; userAgent: string | null },
): AuditOrigin {
  return { actor: { kind: 'anonymous', id: null, name: login }, ...from };
}

function system() {
  return { kind: 'system' as const, id: null, name: 'tierline' };
}
