import type { Kysely } from 'kysely';
import type { Role, TokenScope } from '@tierline/contract';
import type { AppUserRow, Database, DealerTable } from '../db/database.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../auth/guard.js';
import { hashPassword } from '../auth/secrets.js';
import { createSession } from '../auth/session.repository.js';
import { insertToken } from '../tokens/token.repository.js';
import { insertUser, setUserRegions } from '../users/user.repository.js';
import { createTenant } from '../tenants/tenant.repository.js';
import { unique } from './test-store.js';

export interface TestChannel {
  tenantId: number;
  slug: string;
  regions: Record<'cn' | 'gd' | 'gz' | 'th' | 'sz' | 'ns' | 'sd', number>;
  productIds: number[];
}

/**
 * A tenant with a small region tree (中国 > 广东省 > 广州市 > 天河区, 深圳市 > 南山区; 山东省)
 * and three products in two categories.
 */
export async function makeChannel(db: Kysely<Database>): Promise<TestChannel> {
  const slug = unique('t');
  const tenant = await createTenant(db, { slug, name: `Tenant ${slug}` });
  const region = async (
    code: string,
    name: string,
    level: 'country' | 'province' | 'city' | 'county',
    parent: number | null,
  ) =>
    (
      await db
        .insertInto('region')
        .values({ tenant_id: tenant.id, code, name, level, parent_id: parent })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const cn = await region('CN', '中国', 'country', null);
  const gd = await region('440000', '广东省', 'province', cn);
  const gz = await region('440100', '广州市', 'city', gd);
  const th = await region('440106', '天河区', 'county', gz);
  const sz = await region('440300', '深圳市', 'city', gd);
  const ns = await region('440305', '南山区', 'county', sz);
  const sd = await region('370000', '山东省', 'province', cn);
  const products = await db
    .insertInto('product')
    .values([
      {
        tenant_id: tenant.id,
        sku: 'SKU-1',
        name: '矿泉水 550ml',
        category: '饮料',
        shelf_life_days: 365,
        list_price: 3000,
      },
      {
        tenant_id: tenant.id,
        sku: 'SKU-2',
        name: '乌龙茶 500ml',
        category: '饮料',
        shelf_life_days: 270,
        list_price: 4500,
      },
      {
        tenant_id: tenant.id,
        sku: 'SKU-3',
        name: '苏打饼干',
        category: '休闲零食',
        shelf_life_days: 180,
        list_price: 6000,
      },
    ])
    .returning('id')
    .execute();
  return {
    tenantId: tenant.id,
    slug,
    regions: { cn, gd, gz, th, sz, ns, sd },
    productIds: products.map((p) => p.id),
  };
}

export type DealerInput = Partial<Omit<DealerTable, 'tenant_id' | 'id' | 'contacts'>> & {
  region_id: number;
};

export async function makeDealer(
  db: Kysely<Database>,
  tenantId: number,
  input: DealerInput,
): Promise<number> {
  const code = input.code ?? unique('D');
  const row = await db
    .insertInto('dealer')
    .values({
      tenant_id: tenantId,
      code,
      name: input.name ?? `经销商 ${code}`,
      legal_entity: input.legal_entity ?? null,
      chain_level: input.chain_level ?? 1,
      parent_id: input.parent_id ?? null,
      channel_type: input.channel_type ?? 'distributor',
      region_id: input.region_id,
      status: input.status ?? 'active',
      onboarded_on: input.onboarded_on ?? '2023-01-15',
      contacts: JSON.stringify([{ name: '张三', role: '总经理', phone: '13800000000' }]),
      tags: input.tags ?? [],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The password of every user that {@link makeUser} creates. */
export const TEST_PASSWORD = 'correct horse battery';
let testHash: Promise<string> | undefined;

export interface UserInput {
  role: Role;
  login?: string;
  regionIds?: number[];
  dealerId?: number;
}

/** A user with {@link TEST_PASSWORD}, its regions (channel managers) or dealer (dealer users). */
export async function makeUser(
  db: Kysely<Database>,
  tenantId: number,
  input: UserInput,
): Promise<AppUserRow> {
  testHash ??= hashPassword(TEST_PASSWORD);
  const row = await insertUser(db, tenantId, {
    login: input.login ?? unique(input.role.replace('_', '-')),
    displayName: `Test ${input.role}`,
    role: input.role,
    passwordHash: await testHash,
    dealerId: input.dealerId ?? null,
  });
  await setUserRegions(db, tenantId, row.id, input.regionIds ?? []);
  return row;
}

/** Request headers of a signed-in session of the user: the cookie and the CSRF token. */
export async function sessionHeaders(
  db: Kysely<Database>,
  tenantId: number,
  userId: number,
): Promise<Record<string, string>> {
  const session = await createSession(
    db,
    tenantId,
    userId,
    { ip: null, userAgent: null },
    new Date(),
  );
  return { cookie: `${SESSION_COOKIE}=${session.cookie}`, [CSRF_HEADER]: session.csrfToken };
}

/** Request headers carrying a new API token of the scope. */
export async function tokenHeaders(
  db: Kysely<Database>,
  tenantId: number,
  scope: TokenScope,
): Promise<Record<string, string>> {
  const { secret } = await insertToken(db, tenantId, {
    name: unique(`${scope}-token`),
    scope,
    createdBy: 'test',
    expiresAt: null,
  });
  return { authorization: `Bearer ${secret}` };
}
