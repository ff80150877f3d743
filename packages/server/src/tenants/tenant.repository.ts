import type { Kysely } from 'kysely';
import { DomainError } from '@tierline/core';
import type { Database, TenantRow } from '../db/database.js';
import { ensureLedger } from '../ledger/ledger-keys.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface NewTenantInput {
  slug: string;
  name: string;
  currency?: string;
  locale?: string;
  timeZone?: string;
  isDemo?: boolean;
}

/** Create a tenant with its ledger; refuses a malformed or taken slug with a conflict/validation error. */
export async function createTenant(
  db: Kysely<Database>,
  input: NewTenantInput,
): Promise<TenantRow> {
  if (!SLUG.test(input.slug)) {
    throw new DomainError(
      'validation_failed',
      `Tenant slug "${input.slug}" is invalid: use 1-63 lowercase letters, digits and dashes.`,
      { field: 'slug', value: input.slug },
    );
  }
  if (await findTenantBySlug(db, input.slug)) {
    throw new DomainError('conflict', `A tenant with slug "${input.slug}" already exists.`, {
      field: 'slug',
      value: input.slug,
    });
  }
  const tenant = await db
    .insertInto('tenant')
    .values({
      slug: input.slug,
      name: input.name,
      ...(input.currency ? { currency: input.currency } : {}),
      ...(input.locale ? { locale: input.locale } : {}),
      ...(input.timeZone ? { time_zone: input.timeZone } : {}),
      ...(input.isDemo !== undefined ? { is_demo: input.isDemo } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // Its transparency log and signing key are made with it (docs/ledger.md).
  await ensureLedger(db, tenant);
  return tenant;
}

export async function findTenantBySlug(
  db: Kysely<Database>,
  slug: string,
): Promise<TenantRow | undefined> {
  return db.selectFrom('tenant').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function getTenantBySlug(db: Kysely<Database>, slug: string): Promise<TenantRow> {
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant) {
    throw new DomainError('not_found', `Tenant "${slug}" does not exist.`, { slug });
  }
  return tenant;
}

export async function listTenants(db: Kysely<Database>): Promise<TenantRow[]> {
  return db.selectFrom('tenant').selectAll().orderBy('id').execute();
}

export async function getTenantById(db: Kysely<Database>, id: number): Promise<TenantRow> {
  const tenant = await db.selectFrom('tenant').selectAll().where('id', '=', id).executeTakeFirst();
  if (!tenant) throw new DomainError('not_found', `Tenant ${id} does not exist.`, { id });
  return tenant;
}
