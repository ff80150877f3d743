import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DomainError } from '@tierline/core';
import {
  DealerTier,
  ErrorBody,
  Id,
  Migration,
  MigrationQuery,
  Simulation,
  SimulationRequest,
  TierOverview,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { principalOf } from '../auth/guard.js';
import { dealerTier, tierMigration, tierOverview } from './tier.service.js';
import { simulate } from './simulation.service.js';
import { dealerTierForScope } from './scope-view.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const tierRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/tiers/overview',
      {
        config: { access: 'assessments:read' },
        schema: {
          tags: ['tiering'],
          summary: 'Current tier distribution and standings (the caller’s dealers)',
          response: { 200: TierOverview, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(ctx.db, tenantId, (trx) => tierOverview(trx, tenantId, scope), {
          readOnly: true,
        });
      },
    );

    app.get(
      '/tiers/migration',
      {
        config: { access: 'assessments:read' },
        schema: {
          tags: ['tiering'],
          summary: 'Tier migration between two published periods (for the Sankey)',
          querystring: MigrationQuery,
          response: { 200: Migration, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const { from, to } = request.query;
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => tierMigration(trx, tenantId, scope, from, to),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/dealers/:id/tier',
      {
        config: { access: 'assessments:read' },
        schema: {
          tags: ['tiering'],
          summary: 'A dealer’s current tier, explained, and its tier history',
          params: z.object({ id: Id }),
          response: { 200: DealerTier, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const tier = await withTenant(
          ctx.db,
          tenantId,
          (trx) => dealerTier(trx, tenantId, scope, request.params.id),
          { readOnly: true },
        );
        return dealerTierForScope(tier, scope);
      },
    );

    app.get(
      '/portal/tier',
      {
        config: { access: 'portal:read' },
        schema: {
          tags: ['portal'],
          summary:
            'The signed-in dealer’s tier, score breakdown, what it takes to reach the next tier, history',
          response: { 200: DealerTier, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        if (scope.kind !== 'dealer')
          throw new DomainError('forbidden', 'The portal is for dealer users.');
        const tier = await withTenant(
          ctx.db,
          tenantId,
          (trx) => dealerTier(trx, tenantId, scope, scope.dealerId),
          { readOnly: true },
        );
        return dealerTierForScope(tier, scope);
      },
    );

    app.post(
      '/simulations',
      {
        config: { access: 'simulations:run' },
        schema: {
          tags: ['tiering'],
          summary:
            'What-if / backtest: run a policy or a draft over past periods without publishing',
          description:
            'Counts per period, the migration matrix from the current published tiers, and the dealers that would move and why. Nothing is written.',
          body: SimulationRequest,
          response: { 200: Simulation, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(ctx.db, tenantId, (trx) => simulate(trx, tenantId, request.body), {
          readOnly: true,
        });
      },
    );
  };
