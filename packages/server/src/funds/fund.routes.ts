import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DomainError } from '@tierline/core';
import {
  CreateFundRequest,
  ErrorBody,
  Fund,
  FundBalancePage,
  FundBalanceQuery,
  FundClaim,
  FundClaimPage,
  FundClaimQuery,
  FundRequest,
  FundRequestDetail,
  FundRequestPage,
  FundRequestQuery,
  GrantFund,
  Id,
  PayFundClaim,
  RejectFund,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { originOf, principalOf } from '../auth/guard.js';
import type { Principal } from '../auth/policy.js';
import {
  getProofContent,
  listClaims,
  listDealerBalances,
  listRequests,
  tenantToday,
} from './fund.repository.js';
import {
  decideClaim,
  decideRequest,
  grantFund,
  payClaim,
  requestDetail,
  submitRequest,
} from './fund.service.js';
import { attachmentHeader } from './proof-file.js';

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
};
const IdParams = z.object({ id: Id });
const ProofParams = z.object({ id: Id, proofId: Id });

/** Staff routes act on dealers; a dealer user goes through the portal (/portal/funds). */
function staffOnly(principal: Principal): void {
  if (principal.scope.kind === 'dealer') {
    throw new DomainError(
      'forbidden',
      'Dealer users request and claim funds in the portal (/api/v1/portal/funds).',
    );
  }
}

/** Send a stored proof file as a download that a browser never renders in place. */
export function sendProof(
  reply: FastifyReply,
  proof: { fileName: string; contentType: string; content: Buffer },
) {
  return reply
    .type(proof.contentType)
    .header('content-disposition', attachmentHeader(proof.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(proof.content);
}

export const fundRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/funds/balances',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['funds'],
          summary: 'Market development fund balances per dealer',
          description:
            'Dealers with at least one fund, in the caller’s scope, by code: allocated, pending, approved, paid and available. Totals only for callers who see the whole tenant.',
          querystring: FundBalanceQuery,
          response: { 200: FundBalancePage, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const page = await withTenant(
          ctx.db,
          tenantId,
          async (trx) =>
            listDealerBalances(
              trx,
              tenantId,
              scope,
              request.query,
              await tenantToday(trx, tenantId),
            ),
          { readOnly: true },
        );
        return { ...page, totals: scope.kind === 'tenant' ? page.totals : null };
      },
    );

    app.post(
      '/funds',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags: ['funds'],
          summary: 'Grant a market development fund to a dealer by hand',
          description:
            'A fund without a budget allocation behind it (funds from a published market fund allocation are credited when it is published).',
          body: GrantFund,
          response: { 201: Fund, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId, scope } = principalOf(request);
        const origin = originOf(request);
        const fund = await withTenant(ctx.db, tenantId, (trx) =>
          grantFund(trx, tenantId, scope, request.body, origin),
        );
        return reply.status(201).send(fund);
      },
    );

    app.get(
      '/funds/requests',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['funds'],
          summary: 'Fund requests (pre-approvals), newest first',
          querystring: FundRequestQuery,
          response: { 200: FundRequestPage, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => listRequests(trx, tenantId, scope, request.query),
          {
            readOnly: true,
          },
        );
      },
    );

    app.post(
      '/funds/requests',
      {
        config: { access: 'mdf:request' },
        schema: {
          tags: ['funds'],
          summary: 'Request funds on behalf of a dealer in the caller’s scope',
          description:
            'Refused with the figures when the amount is more than the fund’s available balance, or when its claim deadline has passed.',
          body: CreateFundRequest,
          response: { 201: FundRequest, ...errors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        staffOnly(principal);
        const { tenantId, scope } = principal;
        const origin = originOf(request);
        const { dealerId, ...input } = request.body;
        const created = await withTenant(ctx.db, tenantId, (trx) =>
          submitRequest(trx, tenantId, scope, dealerId, input, origin),
        );
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/funds/requests/:id',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['funds'],
          summary: 'A fund request with its fund, claims, proof files and history',
          params: IdParams,
          response: { 200: FundRequestDetail, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => requestDetail(trx, tenantId, scope, request.params.id),
          { readOnly: true },
        );
      },
    );

    app.post(
      '/funds/requests/:id/approve',
      {
        config: { access: 'mdf:decide' },
        schema: {
          tags: ['funds'],
          summary: 'Approve a submitted fund request (not by whoever submitted it)',
          params: IdParams,
          response: { 200: FundRequest, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          decideRequest(trx, tenantId, scope, request.params.id, { decision: 'approve' }, origin),
        );
      },
    );

    app.post(
      '/funds/requests/:id/reject',
      {
        config: { access: 'mdf:decide' },
        schema: {
          tags: ['funds'],
          summary: 'Reject a submitted fund request with a reason',
          params: IdParams,
          body: RejectFund,
          response: { 200: FundRequest, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          decideRequest(
            trx,
            tenantId,
            scope,
            request.params.id,
            { decision: 'reject', reason: request.body.reason },
            origin,
          ),
        );
      },
    );

    app.get(
      '/funds/claims',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['funds'],
          summary: 'Fund claims with their proof files, newest first',
          querystring: FundClaimQuery,
          response: { 200: FundClaimPage, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => listClaims(trx, tenantId, scope, request.query),
          {
            readOnly: true,
          },
        );
      },
    );

    app.post(
      '/funds/claims/:id/approve',
      {
        config: { access: 'mdf:decide' },
        schema: {
          tags: ['funds'],
          summary: 'Approve a submitted claim (not by whoever submitted it)',
          params: IdParams,
          response: { 200: FundClaim, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          decideClaim(trx, tenantId, scope, request.params.id, { decision: 'approve' }, origin),
        );
      },
    );

    app.post(
      '/funds/claims/:id/reject',
      {
        config: { access: 'mdf:decide' },
        schema: {
          tags: ['funds'],
          summary: 'Reject a submitted claim with a reason',
          params: IdParams,
          body: RejectFund,
          response: { 200: FundClaim, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          decideClaim(
            trx,
            tenantId,
            scope,
            request.params.id,
            { decision: 'reject', reason: request.body.reason },
            origin,
          ),
        );
      },
    );

    app.post(
      '/funds/claims/:id/pay',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags: ['funds'],
          summary: 'Record the payment of an approved claim',
          params: IdParams,
          body: PayFundClaim,
          response: { 200: FundClaim, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          payClaim(trx, tenantId, scope, request.params.id, request.body.paymentReference, origin),
        );
      },
    );

    app.get(
      '/funds/claims/:id/proofs/:proofId',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['funds'],
          summary: 'Download a proof file of a claim',
          params: ProofParams,
          produces: ['application/octet-stream'],
        },
      },
      async (request, reply) => {
        const { tenantId, scope } = principalOf(request);
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
