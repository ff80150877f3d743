import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DomainError } from '@tierline/core';
import { DealerDetail, ErrorBody } from '@tierline/contract';
import { withTenant } from '../db/tenant-scope.js';
import type { AppContext } from '../http/context.js';
import { principalOf } from '../auth/guard.js';
import { getDealer } from '../dealers/dealer.repository.js';

export const portalRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/portal',
      {
        config: { access: 'portal:read' },
        schema: {
          tags: ['portal'],
          summary: "The signed-in dealer's own record with its monthly rollups",
          response: { 200: DealerDetail, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        if (scope.kind !== 'dealer') {
          throw new DomainError('forbidden', 'The portal is for dealer users.');
        }
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => getDealer(trx, tenantId, scope, scope.dealerId),
          {
            readOnly: true,
          },
        );
      },
    );
  };
