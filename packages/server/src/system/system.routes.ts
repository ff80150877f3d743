import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, Health, TenantInfo } from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { requestTenant } from '../http/tenant-context.js';
import { findDataRange } from '../dealers/dealer.repository.js';

export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/health',
      {
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
        schema: {
          tags: ['system'],
          summary: 'The current tenant: name, currency, data range',
          response: { 200: TenantInfo, 404: ErrorBody },
        },
      },
      async (request) => {
        const tenant = await requestTenant(ctx.db, request, ctx.defaultTenant);
        return {
          slug: tenant.slug,
          name: tenant.name,
          currency: tenant.currency,
          currencyMinorUnits: tenant.currency_minor_units,
          locale: tenant.locale,
          timeZone: tenant.time_zone,
          isDemo: tenant.is_demo,
          dataRange: await findDataRange(ctx.db, tenant.id),
        };
      },
    );
  };
