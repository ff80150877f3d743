import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DomainError } from '@tierline/core';
import {
  Benefit,
  BenefitList,
  BenefitListQuery,
  BenefitMatrix,
  BenefitMatrixQuery,
  BenefitPatch,
  DealerPackage,
  ErrorBody,
  Id,
  NewBenefit,
  PackageQuery,
  SaveBenefitValues,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { originOf, principalOf } from '../auth/guard.js';
import { listBenefits } from './benefit.repository.js';
import {
  benefitMatrix,
  createBenefit,
  patchBenefit,
  saveBenefitValues,
} from './benefit.service.js';
import { dealerPackage } from './package.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The benefit library, its values per policy version and tier, and each dealer's package. */
export const benefitRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/benefits',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary: 'The benefit library (资源包权益), by code',
          querystring: BenefitListQuery,
          response: { 200: BenefitList, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const items = await withTenant(
          ctx.db,
          tenantId,
          (trx) => listBenefits(trx, tenantId, request.query.archived),
          { readOnly: true },
        );
        return { items };
      },
    );

    app.post(
      '/benefits',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags: ['resources'],
          summary: 'Add a benefit to the library',
          description: 'The code is unique in the tenant (409 when taken); the unit never changes.',
          body: NewBenefit,
          response: { 201: Benefit, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        const benefit = await withTenant(ctx.db, tenantId, (trx) =>
          createBenefit(trx, tenantId, request.body, origin),
        );
        return reply.status(201).send(benefit);
      },
    );

    app.patch(
      '/benefits/:id',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags: ['resources'],
          summary: 'Rename, describe, archive (archived: true) or restore a benefit',
          params: z.object({ id: Id }),
          body: BenefitPatch,
          response: { 200: Benefit, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          patchBenefit(trx, tenantId, request.params.id, request.body, origin),
        );
      },
    );

    app.get(
      '/benefits/values',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary: "A policy version's benefit values: benefits × the version's tiers",
          querystring: BenefitMatrixQuery,
          response: { 200: BenefitMatrix, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const { policy, version } = request.query;
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => benefitMatrix(trx, tenantId, policy, version),
          {
            readOnly: true,
          },
        );
      },
    );

    app.put(
      '/benefits/values',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags: ['resources'],
          summary: 'Save the whole value matrix of a policy version',
          description:
            'Every cell is checked (a benefit of the library, a tier of the version, a value that fits the unit: basis points 0–10000, money and counts whole and ≥ 0, labels and texts, true/false); problems come back with their paths (values.<benefit>.<tier>) and nothing is saved. Saving appends a benefit_values record to the ledger.',
          body: SaveBenefitValues,
          response: { 200: BenefitMatrix, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          saveBenefitValues(trx, tenantId, request.body, origin),
        );
      },
    );

    app.get(
      '/dealers/:id/package',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary: 'A dealer’s package: the benefits of its published tier, and its changes',
          description:
            'Computed from the published tiers: a newly published run changes it from the day after its period. ?on=YYYY-MM-DD gives the package in force that day. A dealer outside the caller’s scope is not found.',
          params: z.object({ id: Id }),
          querystring: PackageQuery,
          response: { 200: DealerPackage, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => dealerPackage(trx, tenantId, scope, request.params.id, request.query.on),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/portal/package',
      {
        config: { access: 'portal:read' },
        schema: {
          tags: ['portal'],
          summary: 'The signed-in dealer’s own package of benefits',
          querystring: PackageQuery,
          response: { 200: DealerPackage, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        if (scope.kind !== 'dealer')
          throw new DomainError('forbidden', 'The portal is for dealer users.');
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => dealerPackage(trx, tenantId, scope, scope.dealerId, request.query.on),
          { readOnly: true },
        );
      },
    );
  };
