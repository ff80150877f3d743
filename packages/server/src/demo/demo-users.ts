import type { Kysely } from 'kysely';
import type { Role, SignInHint } from '@tierline/contract';
import type { Database } from '../db/database.js';
import { hashPassword } from '../auth/secrets.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { withTenant } from '../db/tenant-scope.js';
import { findTenantBySlug } from '../tenants/tenant.repository.js';
import { countUsers } from '../users/user.repository.js';
import { createUser } from '../users/user.service.js';

/**
 * The demo tenant's sign-ins, one per role, all with the same well-known password: the demo is
 * for trying Tierline on one's own machine, and `tierline serve` prints them. Never used for
 * any tenant but a demo one.
 */
export const DEMO_PASSWORD = 'tierline-demo';

const DEMO_LOGINS = ['admin', 'manager', 'analyst', 'dealer'];

/** The provinces the demo channel manager owns. */
export const DEMO_MANAGER_PROVINCES = ['浙江省', '江苏省'] as const;

export interface DemoCredential {
  login: string;
  role: Role;
  password: string;
  scope: string;
}

const SYSTEM: AuditOrigin = {
  actor: { kind: 'system', id: null, name: 'tierline demo' },
  ip: null,
  userAgent: null,
};

/**
 * Create the demo users when the demo tenant has no user yet (a new demo, or one loaded before
 * sign-in existed): admin, a channel manager of 浙江省 and 江苏省, an analyst, and a dealer user
 * for the first dealer by code. Returns the credentials, or [] when users existed.
 */
export async function ensureDemoUsers(
  db: Kysely<Database>,
  tenantId: number,
): Promise<DemoCredential[]> {
  if ((await countUsers(db, tenantId)) > 0) return [];
  const provinces = await db
    .selectFrom('region')
    .select(['code', 'name'])
    .where('tenant_id', '=', tenantId)
    .where('level', '=', 'province')
    .where('name', 'in', [...DEMO_MANAGER_PROVINCES])
    .orderBy('code')
    .execute();
  const dealer = await db
    .selectFrom('dealer')
    .select(['code', 'name'])
    .where('tenant_id', '=', tenantId)
    .where('chain_level', '=', 1)
    .where('status', '=', 'active')
    .orderBy('code')
    .limit(1)
    .executeTakeFirst();
  const hash = await hashPassword(DEMO_PASSWORD);
  const users = [
    {
      login: 'admin',
      displayName: '渠道总监 Admin',
      role: 'admin' as const,
      regionCodes: [],
      scope: 'whole channel',
    },
    {
      login: 'manager',
      displayName: '区域经理 Manager',
      role: 'channel_manager' as const,
      regionCodes: provinces.map((p) => p.code),
      scope: provinces.map((p) => p.name).join(', '),
    },
    {
      login: 'analyst',
      displayName: '分析师 Analyst',
      role: 'analyst' as const,
      regionCodes: [],
      scope: 'whole channel, read-only',
    },
    ...(dealer
      ? [
          {
            login: 'dealer',
            displayName: dealer.name,
            role: 'dealer' as const,
            regionCodes: [],
            dealerCode: dealer.code,
            scope: `${dealer.code} ${dealer.name}`,
          },
        ]
      : []),
  ];
  const credentials: DemoCredential[] = [];
  for (const { scope, ...user } of users) {
    if (user.role === 'channel_manager' && user.regionCodes.length === 0) continue;
    await createUser(db, tenantId, SYSTEM, user, hash);
    credentials.push({ login: user.login, role: user.role, password: DEMO_PASSWORD, scope });
  }
  return credentials;
}

/**
 * How to sign in to tenant `slug`, for `tierline serve` to print: a demo tenant's sign-ins
 * (created when the demo has no user yet, i.e. it was loaded before sign-in existed), or how
 * many users another tenant has.
 */
export async function signInHint(
  db: Kysely<Database>,
  slug: string,
): Promise<
  | { kind: 'demo'; users: { login: string; role: Role }[] }
  | { kind: 'tenant'; userCount: number }
  | { kind: 'none' }
> {
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant) return { kind: 'none' };
  return withTenant(db, tenant.id, async (trx) => {
    if (!tenant.is_demo) return { kind: 'tenant', userCount: await countUsers(trx, tenant.id) };
    await ensureDemoUsers(trx, tenant.id);
    const users = await trx
      .selectFrom('app_user')
      .select(['login', 'role'])
      .where('tenant_id', '=', tenant.id)
      .where('login', 'in', DEMO_LOGINS)
      .where('status', '=', 'active')
      .orderBy('id')
      .execute();
    return { kind: 'demo', users };
  });
}

/**
 * What the sign-in page shows: the default tenant and, for a demo tenant, its demo sign-ins
 * (the well-known demo password is printed by `tierline serve` anyway). Reads only.
 */
export async function publicSignInHint(db: Kysely<Database>, slug: string): Promise<SignInHint> {
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant) return { tenant: null, demo: null };
  const summary = { slug: tenant.slug, name: tenant.name };
  if (!tenant.is_demo) return { tenant: summary, demo: null };
  const logins = await withTenant(
    db,
    tenant.id,
    (trx) =>
      trx
        .selectFrom('app_user')
        .select(['login', 'role'])
        .where('tenant_id', '=', tenant.id)
        .where('login', 'in', DEMO_LOGINS)
        .where('status', '=', 'active')
        .orderBy('id')
        .execute(),
    { readOnly: true },
  );
  return { tenant: summary, demo: logins.length > 0 ? { password: DEMO_PASSWORD, logins } : null };
}
