import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, ProductListQuery, ProductPage } from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { principalOf } from '../auth/guard.js';
import { listProducts } from './product.repository.js';

export const productRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/products',
      {
        config: { access: 'master:read' },
        schema: {
          tags: ['master data'],
          summary: 'List products (SKUs)',
          querystring: ProductListQuery,
          response: { 200: ProductPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(ctx.db, tenantId, (trx) => listProducts(trx, tenantId, request.query), {
          readOnly: true,
        });
      },
    );
  };
