import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ErrorBody } from '@tierline/contract';
import type { AppContext } from './http/context.js';
import { handleError } from './http/errors.js';
import fastifyRateLimit from '@fastify/rate-limit';
import { DomainError } from '@tierline/core';
import { registerGuard, securitySchemes } from './auth/guard.js';
import { sessionRoutes } from './auth/session.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { portalRoutes } from './portal/portal.routes.js';
import { tokenRoutes } from './tokens/token.routes.js';
import { userRoutes } from './users/user.routes.js';
import { dealerRoutes } from './dealers/dealer.routes.js';
import { regionRoutes } from './regions/region.routes.js';
import { productRoutes } from './products/product.routes.js';
import { healthRoutes, tenantRoutes } from './system/system.routes.js';
import { importRoutes } from './imports/import.routes.js';
import { policyRoutes } from './tiering/policy.routes.js';
import { assessmentRoutes } from './tiering/assessment.routes.js';
import { tierRoutes } from './tiering/tier.routes.js';
import { ledgerRoutes, publicLedgerRoutes } from './ledger/ledger.routes.js';
import { ensureCheckpoint } from './ledger/ledger.service.js';
import { rebateRoutes } from './rebates/rebate.routes.js';
import { fundRoutes } from './funds/fund.routes.js';
import { portalFundRoutes } from './funds/portal-fund.routes.js';
import { benefitRoutes } from './resources/benefit.routes.js';
import { allocationRoutes } from './resources/allocation.routes.js';
import { notificationRoutes } from './notifications/notification.routes.js';
import { alertRoutes } from './alerts/alert.routes.js';

export interface AppDeps extends AppContext {
  /** Folder of the built web console; the console is not served when absent. */
  webRoot?: string | undefined;
  logger?: FastifyServerOptions['logger'];
  /** Trust X-Forwarded-* from a reverse proxy (client address, https for Secure cookies). */
  trustProxy?: boolean;
}

/**
 * The Fastify application: API under /api, OpenAPI at /api/openapi.json, docs at /api/docs,
 * and the web console at /. It never listens; `startServer` (or a test's `inject`) drives it.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: deps.trustProxy ?? false,
    // Keyset cursors and filters live in the query string; keep them bounded.
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    if (request.protocol === 'https') {
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    }
    if (request.url.startsWith('/api/')) {
      // Answers carry tenant data: never stored by a browser or a shared cache.
      reply.header('cache-control', 'no-store');
    } else if (!request.url.startsWith('/assets/')) {
      reply.header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
          "script-src 'self'; connect-src 'self'; font-src 'self' data:; object-src 'none'; " +
          "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
      );
    }
  });

  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        'rate_limited',
        `Too many attempts from this address: wait ${Math.ceil(context.ttl / 1000)} s and try again.`,
        { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      ),
  });
  // Before any route and before the OpenAPI plugin, so that each route's access is checked
  // and documented.
  await registerGuard(app, deps);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tierline API',
        version: deps.version,
        description:
          'Dealer tiering management (经销商分级管理). Amounts are integers in the tenant currency minor units. ' +
          'Sign in with POST /api/v1/session (the console does), or send an API token as `Authorization: Bearer tl_…`. ' +
          'Every answer holds only the data of the caller’s tenant and scope. Each operation says which roles and token scopes may call it.',
      },
      components: { securitySchemes },
      tags: [
        { name: 'system', description: 'Health and tenant information' },
        { name: 'dealers', description: 'Dealers and their monthly rollups' },
        { name: 'master data', description: 'Regions and products' },
        { name: 'session', description: 'Sign-in, sign-out, your own password' },
        { name: 'users', description: 'Users, their roles and scopes; API tokens' },
        { name: 'audit', description: 'The audit trail of every change' },
        { name: 'portal', description: 'What a dealer user sees of itself' },
        {
          name: 'tiering',
          description:
            'Scoring and tiering: versioned policies, assessment runs (draft → approve → publish), decisions with their explanations, simulations',
        },
        {
          name: 'ledger',
          description:
            'The verifiable history: each tenant’s transparency log (RFC 6962 Merkle tree of salted commitments, signed C2SP checkpoints, public tiles under /ledger/{tenant}/), records with their proofs, dealer résumés, replay of decisions',
        },
        {
          name: 'resources',
          description:
            'Differentiated resources: the benefit library and each dealer’s package, budget allocations across tiers and dealers, resource ROI',
        },
        {
          name: 'imports',
          description:
            'Data imports: CSV/XLSX uploads, the ingestion API for connectors, batches and their reports, saved mappings, templates',
        },
        {
          name: 'notifications',
          description:
            'Alert notifications: channels (signed webhooks, DingTalk / WeCom / Feishu robots, e-mail) and the delivery log',
        },
        {
          name: 'alerts',
          description:
            'Monitoring and early warning: alert rules as versioned data, the alert board, alerts with evidence and diagnosis, their lifecycle (acknowledge, resolve, dismiss, comment, assign), dealer health',
        },
      ],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  await app.register(healthRoutes(deps), { prefix: '/api' });
  await app.register(
    async (v1) => {
      await v1.register(tenantRoutes(deps));
      await v1.register(dealerRoutes(deps));
      await v1.register(regionRoutes(deps));
      await v1.register(productRoutes(deps));
      await v1.register(sessionRoutes(deps));
      await v1.register(userRoutes(deps));
      await v1.register(tokenRoutes(deps));
      await v1.register(auditRoutes(deps));
      await v1.register(portalRoutes(deps));
      await v1.register(importRoutes(deps));
      await v1.register(policyRoutes(deps));
      await v1.register(assessmentRoutes(deps));
      await v1.register(tierRoutes(deps));
      await v1.register(ledgerRoutes(deps));
      await v1.register(rebateRoutes(deps));
      await v1.register(fundRoutes(deps));
      await v1.register(portalFundRoutes(deps));
      await v1.register(benefitRoutes(deps));
      await v1.register(allocationRoutes(deps));
      await v1.register(notificationRoutes(deps));
      await v1.register(alertRoutes(deps));
    },
    { prefix: '/api/v1' },
  );
  // Each tenant's transparency log, public as C2SP tlog-tiles (only commitments).
  await app.register(publicLedgerRoutes(deps));
  // A write that appended to the caller's log gets its checkpoint once the answer is sent
  // (on the server's own connection: signing reads the key). Nothing to sign costs one query.
  app.addHook('onResponse', async (request, reply) => {
    const principal = request.principal;
    if (request.method === 'GET' || request.method === 'HEAD') return;
    if (!principal || reply.statusCode >= 300) return;
    try {
      await ensureCheckpoint(deps.db, principal.tenantId);
    } catch (error) {
      request.log.error({ err: error }, 'ledger checkpoint failed');
    }
  });

  const webRoot = deps.webRoot;
  const hasConsole = webRoot !== undefined && existsSync(join(webRoot, 'index.html'));
  if (hasConsole) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: 'index.html' });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (hasConsole && request.method === 'GET' && !path.startsWith('/api')) {
      // Client-side routes of the console (e.g. /dealers/42) load the single page.
      return reply.type('text/html').sendFile('index.html');
    }
    const body: ErrorBody = {
      error: { code: 'not_found', message: `No route ${request.method} ${path}.` },
    };
    return reply.status(404).send(body);
  });
  return app;
}
