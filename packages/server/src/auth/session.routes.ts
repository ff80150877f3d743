import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '@tierline/core';
import {
  ErrorBody,
  PasswordChange,
  SessionInfo,
  SignInHint,
  SignInRequest,
} from '@tierline/contract';
import { publicSignInHint } from '../demo/demo-users.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { withTenant } from '../db/tenant-scope.js';
import type { AppContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { getUserRow, toUsers, updateUserRow } from '../users/user.repository.js';
import { originOf, SESSION_COOKIE, userOf } from './guard.js';
import { permissionsOf, type UserPrincipal } from './policy.js';
import { hashPassword, verifyPassword } from './secrets.js';
import { deleteSession, deleteUserSessions, resolveSession } from './session.repository.js';
import { signIn } from './sign-in.service.js';

async function sessionInfo(db: Kysely<Database>, principal: UserPrincipal): Promise<SessionInfo> {
  const [user] = await toUsers(db, principal.tenantId, [
    await getUserRow(db, principal.tenantId, principal.userId),
  ]);
  if (!user) throw new DomainError('unauthenticated', 'Sign in first.');
  return {
    user: {
      id: user.id,
      login: user.login,
      displayName: user.displayName,
      role: user.role,
      regions: user.regions,
      dealer: user.dealer,
    },
    tenant: { slug: principal.tenantSlug, name: principal.tenantName },
    permissions: [...permissionsOf(principal)],
    csrfToken: principal.csrfToken,
    expiresAt: principal.expiresAt.toISOString(),
  };
}

function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  value: string,
  expires: Date,
): void {
  void reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    expires,
  });
}

export const sessionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/session',
      {
        config: {
          access: 'public',
          rateLimit: {
            max: ctx.signInRateLimit?.max ?? 10,
            timeWindow: ctx.signInRateLimit?.windowMs ?? 60_000,
          },
        },
        schema: {
          tags: ['session'],
          summary: 'Sign in',
          description:
            'Checks login and password and sets the HttpOnly session cookie. Five wrong passwords in a row lock the user for 15 minutes; each address may try 10 times a minute.',
          body: SignInRequest,
          response: { 200: SessionInfo, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
        },
      },
      async (request, reply) => {
        const agent = request.headers['user-agent'];
        const { tenant, session } = await signIn(
          ctx.db,
          { ...request.body, tenant: request.body.tenant ?? ctx.defaultTenant },
          { ip: request.ip, userAgent: typeof agent === 'string' ? agent : null },
          new Date(),
        );
        setSessionCookie(request, reply, session.cookie, session.expiresAt);
        const principal = await resolveSession(ctx.db, session.cookie, new Date());
        if (!principal) throw new Error('a new session did not resolve');
        return withTenant(ctx.db, tenant.id, (trx) => sessionInfo(trx, principal), {
          readOnly: true,
        });
      },
    );

    app.get(
      '/session/hint',
      {
        config: { access: 'public' },
        schema: {
          tags: ['session'],
          summary:
            'What the sign-in page shows: the default tenant, and the demo sign-ins of a demo',
          response: { 200: SignInHint },
        },
      },
      async () => publicSignInHint(ctx.db, ctx.defaultTenant),
    );

    app.get(
      '/session',
      {
        config: { access: 'session' },
        schema: {
          tags: ['session'],
          summary: 'The signed-in user, its scope, permissions and CSRF token',
          response: { 200: SessionInfo, 401: ErrorBody },
        },
      },
      async (request) => {
        const principal = userOf(request);
        return withTenant(ctx.db, principal.tenantId, (trx) => sessionInfo(trx, principal), {
          readOnly: true,
        });
      },
    );

    app.delete(
      '/session',
      {
        config: { access: 'session' },
        schema: {
          tags: ['session'],
          summary: 'Sign out',
          response: { 204: z.null().describe('Signed out'), 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request, reply) => {
        const principal = userOf(request);
        await withTenant(ctx.db, principal.tenantId, async (trx) => {
          await deleteSession(trx, principal.tenantId, principal.sessionHash);
          await recordAudit(trx, principal.tenantId, originOf(request), {
            action: 'session.sign_out',
            entityType: 'user',
            entityId: principal.userId,
          });
        });
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/session/password',
      {
        config: { access: 'session' },
        schema: {
          tags: ['session'],
          summary: 'Change your own password',
          description: "Ends the user's other sessions.",
          body: PasswordChange,
          response: {
            204: z.null().describe('Changed'),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const principal = userOf(request);
        const { currentPassword, newPassword } = request.body;
        const row = await withTenant(
          ctx.db,
          principal.tenantId,
          (trx) => getUserRow(trx, principal.tenantId, principal.userId),
          { readOnly: true },
        );
        if (!(await verifyPassword(currentPassword, row.password_hash))) {
          throw new DomainError('validation_failed', 'The current password is wrong.', {
            field: 'currentPassword',
          });
        }
        if (newPassword === currentPassword) {
          throw new DomainError(
            'validation_failed',
            'The new password must differ from the current one.',
            {
              field: 'newPassword',
            },
          );
        }
        const hash = await hashPassword(newPassword);
        await withTenant(ctx.db, principal.tenantId, async (trx) => {
          await updateUserRow(trx, principal.tenantId, principal.userId, {
            password_hash: hash,
            password_changed_at: new Date(),
          });
          await deleteUserSessions(
            trx,
            principal.tenantId,
            principal.userId,
            principal.sessionHash,
          );
          await recordAudit(trx, principal.tenantId, originOf(request), {
            action: 'user.password_change',
            entityType: 'user',
            entityId: principal.userId,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
