import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { DomainError } from '@tierline/core';
import type { AuditOrigin } from '../audit/audit.repository.js';
import type { AppContext } from '../http/context.js';
import { allows, holdersOf, type Access, type Principal, type UserPrincipal } from './policy.js';
import { sameSecret } from './secrets.js';
import { resolveSession, resolveToken } from './session.repository.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller needs; every /api route declares it (checked at start-up). */
    access?: Access;
  }
  interface FastifyRequest {
    /** The authenticated caller, or null when anonymous. */
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'tierline_session';
export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** OpenAPI security schemes: the console's session cookie and connectors' bearer tokens. */
export const securitySchemes = {
  session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
  token: { type: 'http', scheme: 'bearer', description: 'API token `tl_…` (admin → API tokens)' },
} as const;

function describeAccess(access: Access): string {
  if (access === 'public') return 'Access: public.';
  if (access === 'session') return 'Access: any signed-in user (session cookie; not API tokens).';
  const { roles, tokenScopes } = holdersOf(access);
  const tokens = tokenScopes.length > 0 ? `; API tokens: ${tokenScopes.join(', ')}` : '';
  return `Access: \`${access}\` (roles: ${roles.join(', ')}${tokens}).`;
}

/**
 * Authentication, authorisation and CSRF protection for every /api route:
 * - at start-up, a route under /api without `config.access` is an error, and each route's
 *   OpenAPI entry says who may call it;
 * - per request, a bearer API token or the session cookie becomes `request.principal`; the
 *   route's access is checked against the role or token scope (401 anonymous, 403 not allowed);
 *   a cookie-authenticated POST/PUT/PATCH/DELETE must echo the session's CSRF token in
 *   `X-CSRF-Token` (tokens are not sent by browsers on their own, so they need none).
 */
export async function registerGuard(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    // The rendered API docs (static pages of @fastify/swagger-ui) are the one public area that
    // declares nothing; every other /api route, hidden from OpenAPI or not, must, and so must
    // the public ledger (/ledger/{tenant}/…).
    const declared = route.url.startsWith('/api/') || route.url.startsWith('/ledger/');
    if (!declared || route.url.startsWith('/api/docs')) return;
    const schema = route.schema as Record<string, unknown> | undefined;
    const access = route.config?.access;
    if (access === undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access.`);
    }
    if (schema?.['hide'] === true) return;
    const description = typeof schema?.['description'] === 'string' ? schema['description'] : '';
    const { tokenScopes } = holdersOf(access);
    route.schema = {
      ...schema,
      description: `${description}${description ? '\n\n' : ''}${describeAccess(access)}`,
      security:
        access === 'public'
          ? []
          : [{ session: [] }, ...(tokenScopes.length > 0 ? [{ token: [] }] : [])],
    };
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return;
    const now = new Date();
    let principal: Principal | undefined;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      principal = bearer === undefined ? undefined : await resolveToken(ctx.db, bearer, now);
      if (!principal) {
        throw new DomainError(
          'unauthenticated',
          'The API token is not valid: it is mistyped, revoked or expired. Send it as "Authorization: Bearer tl_…".',
        );
      }
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie !== undefined) {
        principal = await resolveSession(ctx.db, cookie, now);
        if (!principal) void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    request.principal = principal ?? null;
    if (access === 'public') return;
    if (!principal) {
      throw new DomainError(
        'unauthenticated',
        'Sign in first (POST /api/v1/session), or send an API token as "Authorization: Bearer tl_…".',
      );
    }
    if (principal.kind === 'user' && UNSAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, principal.csrfToken)) {
        throw new DomainError(
          'forbidden',
          `This request needs the ${CSRF_HEADER} header with the csrfToken of GET /api/v1/session.`,
        );
      }
    }
    if (!allows(principal, access)) {
      const who =
        principal.kind === 'user'
          ? `The role ${principal.role}`
          : `A ${principal.tokenScope} token`;
      throw new DomainError('forbidden', `${who} may not do this (it needs ${access}).`, {
        needs: access,
      });
    }
  });
}

/** The caller of a route that is not public; the guard has already refused anonymous calls. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('unauthenticated', 'Sign in first.');
  return request.principal;
}

export function userOf(request: FastifyRequest): UserPrincipal {
  const principal = principalOf(request);
  if (principal.kind !== 'user') {
    throw new DomainError('forbidden', 'Only a signed-in user can do this, not an API token.');
  }
  return principal;
}

/** Who did it and from where, for the audit trail. */
export function originOf(request: FastifyRequest): AuditOrigin {
  const principal = request.principal;
  const actor =
    principal === null
      ? { kind: 'anonymous' as const, id: null, name: 'anonymous' }
      : principal.kind === 'user'
        ? { kind: 'user' as const, id: principal.userId, name: principal.login }
        : { kind: 'token' as const, id: principal.tokenId, name: principal.name };
  const agent = request.headers['user-agent'];
  return { actor, ip: request.ip, userAgent: typeof agent === 'string' ? agent : null };
}
