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
import { TENANT_HEADER } from './http/tenant-context.js';
import { dealerRoutes } from './dealers/dealer.routes.js';
import { regionRoutes } from './regions/region.routes.js';
import { productRoutes } from './products/product.routes.js';
import { healthRoutes, tenantRoutes } from './system/system.routes.js';

export interface AppDeps extends AppContext {
  /** Folder of the built web console; the console is not served when absent. */
  webRoot?: string | undefined;
  logger?: FastifyServerOptions['logger'];
}

/**
 * The Fastify application: API under /api, OpenAPI at /api/openapi.json, docs at /api/docs,
 * and the web console at /. It never listens; `startServer` (or a test's `inject`) drives it.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 1024 * 1024,
    // Keyset cursors and filters live in the query string; keep them bounded.
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tierline API',
        version: deps.version,
        description:
          'Dealer tiering management (经销商分级管理). Amounts are integers in the tenant currency minor units. ' +
          `Requests act on the server's default tenant unless the \`${TENANT_HEADER}\` header names another.`,
      },
      tags: [
        { name: 'system', description: 'Health and tenant information' },
        { name: 'dealers', description: 'Dealers and their monthly rollups' },
        { name: 'master data', description: 'Regions and products' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  await app.register(healthRoutes(deps), { prefix: '/api' });
  await app.register(
    async (v1) => {
      await v1.register(tenantRoutes(deps));
      await v1.register(dealerRoutes(deps));
      await v1.register(regionRoutes(deps));
      await v1.register(productRoutes(deps));
    },
    { prefix: '/api/v1' },
  );

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
