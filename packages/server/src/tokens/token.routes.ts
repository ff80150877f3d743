import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiToken,
  ApiTokenList,
  CreatedApiToken,
  ErrorBody,
  Id,
  NewApiToken,
} from '@tierline/contract';
import { withTenant } from '../db/tenant-scope.js';
import type { AppContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { originOf, principalOf } from '../auth/guard.js';
import { insertToken, listTokens, revokeToken } from './token.repository.js';

export const tokenRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/tokens',
      {
        config: { access: 'tokens:manage' },
        schema: {
          tags: ['users'],
          summary: 'API tokens of the tenant (never their secrets)',
          response: { 200: ApiTokenList, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const items = await withTenant(ctx.db, tenantId, (trx) => listTokens(trx, tenantId), {
          readOnly: true,
        });
        return { items };
      },
    );

    app.post(
      '/tokens',
      {
        config: { access: 'tokens:manage' },
        schema: {
          tags: ['users'],
          summary: 'Create an API token for a connector',
          description:
            'The answer holds the secret; it is shown this once and stored only as a hash.',
          body: NewApiToken,
          response: { 201: CreatedApiToken, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const origin = originOf(request);
        const { name, scope, expiresInDays } = request.body;
        const expiresAt =
          expiresInDays === undefined ? null : new Date(Date.now() + expiresInDays * 86_400_000);
        const created = await withTenant(ctx.db, principal.tenantId, async (trx) => {
          const result = await insertToken(trx, principal.tenantId, {
            name,
            scope,
            createdBy: origin.actor.name,
            expiresAt,
          });
          await recordAudit(trx, principal.tenantId, origin, {
            action: 'token.create',
            entityType: 'api_token',
            entityId: result.token.id,
            after: result.token,
          });
          return result;
        });
        return reply.status(201).send(created);
      },
    );

    app.delete(
      '/tokens/:id',
      {
        config: { access: 'tokens:manage' },
        schema: {
          tags: ['users'],
          summary: 'Revoke an API token',
          params: z.object({ id: Id }),
          response: {
            200: ApiToken,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(ctx.db, tenantId, async (trx) => {
          const { before, after } = await revokeToken(trx, tenantId, request.params.id, new Date());
          await recordAudit(trx, tenantId, originOf(request), {
            action: 'token.revoke',
            entityType: 'api_token',
            entityId: after.id,
            before,
            after,
          });
          return after;
        });
      },
    );
  };
