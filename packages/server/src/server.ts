import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Store } from './db/connection.js';

export interface ServeOptions {
  store: Store;
  port: number;
  host?: string;
  defaultTenant: string;
  version: string;
  webRoot?: string;
  log?: boolean;
  /** Behind a reverse proxy: trust its X-Forwarded-For/-Proto headers. */
  trustProxy?: boolean;
}

/**
 * Request logging for `serve --log`: method, URL, status and timing; never a credential.
 * Fastify's serializers leave headers and bodies out; the redaction list keeps cookies and
 * bearer tokens out should a serializer ever add headers.
 */
export function requestLogOptions(stream?: NodeJS.WritableStream) {
  return {
    level: 'info',
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    ...(stream === undefined ? {} : { stream }),
  };
}

/** The built console, next to the server package in the workspace. */
export const defaultWebRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** A port that another process holds; the CLI turns it into one clear message. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

/** Build the app and listen; resolves with the app and the URL it listens on. */
export async function startServer(
  options: ServeOptions,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({
    db: options.store.db,
    engine: options.store.engine,
    store: options.store,
    defaultTenant: options.defaultTenant,
    version: options.version,
    webRoot: options.webRoot ?? defaultWebRoot,
    logger: options.log ? requestLogOptions() : false,
    trustProxy: options.trustProxy ?? false,
  });
  const host = options.host ?? '0.0.0.0';
  try {
    await app.listen({ port: options.port, host });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(
        `Port ${options.port} is already in use. Stop the other process or choose another port with --port or PORT.`,
      );
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { app, url: `http://localhost:${port}` };
}
