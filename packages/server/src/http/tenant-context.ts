import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { DomainError } from '@tierline/core';
import type { Database, TenantRow } from '../db/database.js';
import { findTenantBySlug } from '../tenants/tenant.repository.js';

export const TENANT_HEADER = 'x-tierline-tenant';

/**
 * The tenant a request acts on: the `X-Tierline-Tenant` header, or the server's default tenant.
 * Every repository call takes the resolved tenant's id. (Sign-in and roles, which will bind the
 * tenant to the caller's session, are the identity feature's work.)
 */
export async function requestTenant(
  db: Kysely<Database>,
  request: FastifyRequest,
  defaultSlug: string,
): Promise<TenantRow> {
  const header = request.headers[TENANT_HEADER];
  const slug = (Array.isArray(header) ? header[0] : header) ?? defaultSlug;
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant) {
    throw new DomainError(
      'not_found',
      `Tenant "${slug}" does not exist. Create it (e.g. \`tierline demo\`) or pass another slug in the ${TENANT_HEADER} header.`,
      { tenant: slug },
    );
  }
  return tenant;
}
