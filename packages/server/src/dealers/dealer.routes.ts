import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  DealerDetail,
  DealerFacets,
  DealerListQuery,
  DealerPage,
  ErrorBody,
  Id,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { principalOf } from '../auth/guard.js';
import { dealerFacets, getDealer, listDealers } from './dealer.repository.js';

export const dealerRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/dealers',
      {
        config: { access: 'dealers:read' },
        schema: {
          tags: ['dealers'],
          summary: 'List dealers',
          description:
            'Filter, search and sort the dealers of the tenant. Cursor pagination: pass `nextCursor` back as `cursor`.',
          querystring: DealerListQuery,
          response: { 200: DealerPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => listDealers(trx, tenantId, scope, request.query),
          {
            readOnly: true,
          },
        );
      },
    );

    app.get(
      '/dealers/facets',
      {
        config: { access: 'dealers:read' },
        schema: {
          tags: ['dealers'],
          summary: 'Values to filter dealers by',
          response: { 200: DealerFacets, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(ctx.db, tenantId, (trx) => dealerFacets(trx, tenantId, scope), {
          readOnly: true,
        });
      },
    );

    app.get(
      '/dealers/:id',
      {
        config: { access: 'dealers:read' },
        schema: {
          tags: ['dealers'],
          summary: 'One dealer with its monthly rollups',
          description:
            'A dealer outside the caller’s scope is not found, like one that does not exist.',
          params: z.object({ id: Id }),
          response: {
            200: DealerDetail,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => getDealer(trx, tenantId, scope, request.params.id),
          {
            readOnly: true,
          },
        );
      },
    );
  };
