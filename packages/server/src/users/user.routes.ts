import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, Id, NewUser, User, UserList, UserPatch } from '@tierline/contract';
import { withTenant } from '../db/tenant-scope.js';
import type { AppContext } from '../http/context.js';
import { originOf, principalOf } from '../auth/guard.js';
import { hashPassword } from '../auth/secrets.js';
import { listUsers } from './user.repository.js';
import { createUser, updateUser } from './user.service.js';

export const userRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/users',
      {
        config: { access: 'users:manage' },
        schema: {
          tags: ['users'],
          summary: 'Users of the tenant',
          response: { 200: UserList, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const items = await withTenant(ctx.db, tenantId, (trx) => listUsers(trx, tenantId), {
          readOnly: true,
        });
        return { items };
      },
    );

    app.post(
      '/users',
      {
        config: { access: 'users:manage' },
        schema: {
          tags: ['users'],
          summary: 'Create a user',
          description:
            'Channel managers need regionCodes (each covers its subtree); dealer users need dealerCode.',
          body: NewUser,
          response: { 201: User, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const { password, ...input } = request.body;
        const hash = await hashPassword(password);
        const user = await withTenant(ctx.db, tenantId, (trx) =>
          createUser(trx, tenantId, originOf(request), input, hash),
        );
        return reply.status(201).send(user);
      },
    );

    app.patch(
      '/users/:id',
      {
        config: { access: 'users:manage' },
        schema: {
          tags: ['users'],
          summary: 'Change a user: name, role, scope, status, password, lock-out',
          description:
            'A new role, scope or password, or disabling, ends the user’s sessions. The last active admin cannot be demoted or disabled.',
          params: z.object({ id: Id }),
          body: UserPatch,
          response: {
            200: User,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const { password, ...patch } = request.body;
        const hash = password === undefined ? undefined : await hashPassword(password);
        return withTenant(ctx.db, tenantId, (trx) =>
          updateUser(trx, tenantId, originOf(request), request.params.id, patch, hash),
        );
      },
    );
  };
