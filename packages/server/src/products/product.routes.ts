import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, ProductListQuery, ProductPage } from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { requestTenant } from '../http/tenant-context.js';
import { listProducts } from './product.repository.js';

export const productRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/products',
      {
        schema: {
          tags: ['master data'],
          summary: 'List products (SKUs)',
          querystring: ProductListQuery,
          response: { 200: ProductPage, 400: ErrorBody },
        },
      },
      async (request) => {
        const tenant = await requestTenant(ctx.db, request, ctx.defaultTenant);
        return listProducts(ctx.db, tenant.id, request.query);
      },
    );
  };
