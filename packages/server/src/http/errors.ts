import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorCode } from '@tierline/core';
import type { ErrorBody } from '@tierline/contract';

/** The one place that turns a domain error code into an HTTP status. */
export const statusOf = {
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  payload_too_large: 413,
  rate_limited: 429,
} as const satisfies Record<DomainErrorCode, number>;

function body(code: ErrorBody['error']['code'], message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/**
 * Fastify error handler: domain errors keep their message, validation errors name each field
 * with its path, anything unknown is logged and masked.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError) {
    return reply.status(statusOf[error.code]).send(body(error.code, error.message, error.details));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const fields = error.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return { in: where, path, message: v.message ?? 'invalid value' };
    });
    const summary = fields.map((f) => `${f.in}${f.path ? `.${f.path}` : ''}: ${f.message}`);
    return reply
      .status(400)
      .send(body('validation_failed', `Invalid request: ${summary.join('; ')}`, { fields }));
  }
  if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply
      .status(413)
      .send(body('payload_too_large', 'The request body is larger than this endpoint accepts.'));
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    // Fastify's own client errors (malformed JSON, unsupported media type, ...).
    return reply.status(error.statusCode).send(body('validation_failed', error.message));
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response failed its schema');
  } else {
    request.log.error({ err: error }, 'unhandled error');
  }
  return reply
    .status(500)
    .send(body('internal', 'Something went wrong on the server. The error was logged; try again.'));
}
