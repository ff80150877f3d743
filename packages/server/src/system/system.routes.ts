import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, Health, TenantInfo } from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { principalOf } from '../auth/guard.js';
import { getTenantById } from '../tenants/tenant.repository.js';
import { findDataRange } from '../dealers/dealer.repository.js';

export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/health',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Liveness and database check',
          response: { 200: Health },
        },
      },
      async () => {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ok' as const, engine: ctx.engine, version: ctx.version };
      },
    );
  };

export const tenantRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/tenant',
      {
        config: { access: 'tenant:read' },
        schema: {
          tags: ['system'],
          summary: "The caller's tenant: name, currency, data range",
          response: { 200: TenantInfo, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          async (trx) => {
            const tenant = await getTenantById(trx, tenantId);
            return {
              slug: tenant.slug,
              name: tenant.name,
              currency: tenant.currency,
              currencyMinorUnits: tenant.currency_minor_units,
              locale: tenant.locale,
              timeZone: tenant.time_zone,
              isDemo: tenant.is_demo,
              dataRange: await findDataRange(trx, tenant.id),
            };
          },
          { readOnly: true },
        );
      },
    );
  };
