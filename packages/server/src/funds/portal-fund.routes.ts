import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DomainError } from '@tierline/core';
import {
  ErrorBody,
  Id,
  PortalFundClaim,
  PortalFundRequest,
  PortalFunds,
  SubmitFundClaim,
  SubmitFundRequest,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { originOf, principalOf } from '../auth/guard.js';
import type { DealerScope } from '../auth/policy.js';
import type { FastifyRequest } from 'fastify';
import { getProofContent } from './fund.repository.js';
import { cancelRequest, portalFunds, submitClaim, submitRequest } from './fund.service.js';
import { sendProof } from './fund.routes.js';

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
};
const IdParams = z.object({ id: Id });

/**
 * Base64 of 10 MB of files with room to spare, so that files somewhat over the limit get the
 * service's message naming the file and the size; far bigger bodies are cut off unread.
 */
const CLAIM_BODY_LIMIT = 16 * 1024 * 1024;

/** The signed-in dealer user's own dealer: the session decides, never a parameter. */
function ownDealer(request: FastifyRequest): {
  tenantId: number;
  scope: Extract<DealerScope, { kind: 'dealer' }>;
} {
  const { tenantId, scope } = principalOf(request);
  if (scope.kind !== 'dealer') {
    throw new DomainError('forbidden', 'The portal is for dealer users.');
  }
  return { tenantId, scope };
}

export const portalFundRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/portal/funds',
      {
        config: { access: 'portal:read' },
        schema: {
          tags: ['portal'],
          summary: "The signed-in dealer's funds: balance, funds, requests and claims",
          response: { 200: PortalFunds, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = ownDealer(request);
        return withTenant(ctx.db, tenantId, (trx) => portalFunds(trx, tenantId, scope.dealerId), {
          readOnly: true,
        });
      },
    );

    app.post(
      '/portal/funds/requests',
      {
        config: { access: 'mdf:request' },
        schema: {
          tags: ['portal'],
          summary: 'Request funds (pre-approval) for the signed-in dealer',
          description:
            'Refused with the figures when the amount is more than the available balance, or when the claim deadline has passed.',
          body: SubmitFundRequest,
          response: { 201: PortalFundRequest, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId, scope } = ownDealer(request);
        const origin = originOf(request);
        const created = await withTenant(ctx.db, tenantId, (trx) =>
          submitRequest(trx, tenantId, scope, scope.dealerId, request.body, origin),
        );
        return reply.status(201).send(created);
      },
    );

    app.post(
      '/portal/funds/requests/:id/cancel',
      {
        config: { access: 'mdf:request' },
        schema: {
          tags: ['portal'],
          summary: 'Cancel an own request that awaits a decision',
          params: IdParams,
          response: { 200: PortalFundRequest, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = ownDealer(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          cancelRequest(trx, tenantId, scope, request.params.id, origin),
        );
      },
    );

    app.post(
      '/portal/funds/requests/:id/claims',
      {
        config: { access: 'mdf:request' },
        bodyLimit: CLAIM_BODY_LIMIT,
        schema: {
          tags: ['portal'],
          summary: 'Claim against an own approved request, with proof files',
          description:
            'JSON with the files as base64: PDF, JPEG, PNG, XLSX or DOCX (checked by content), at most 10 MB in all. By the claim deadline, at most the approved amount.',
          params: IdParams,
          body: SubmitFundClaim,
          response: { 201: PortalFundClaim, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId, scope } = ownDealer(request);
        const origin = originOf(request);
        const claim = await withTenant(ctx.db, tenantId, (trx) =>
          submitClaim(trx, tenantId, scope, request.params.id, request.body, origin),
        );
        return reply.status(201).send(claim);
      },
    );

    app.get(
      '/portal/funds/claims/:id/proofs/:proofId',
      {
        config: { access: 'portal:read' },
        schema: {
          tags: ['portal'],
          summary: 'Download a proof file of an own claim',
          params: z.object({ id: Id, proofId: Id }),
          produces: ['application/octet-stream'],
        },
      },
      async (request, reply) => {
        const { tenantId, scope } = ownDealer(request);
        const proof = await withTenant(
          ctx.db,
          tenantId,
          (trx) => getProofContent(trx, tenantId, scope, request.params.id, request.params.proofId),
          { readOnly: true },
        );
        return sendProof(reply, proof);
      },
    );
  };
