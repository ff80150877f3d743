import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BASE_MEASURES, BUILT_IN_METRICS, TIER_SCHEMES } from '@tierline/core';
import {
  CreatePolicyVersion,
  ErrorBody,
  MetricCatalogue,
  PolicyComparison,
  PolicySummary,
  PolicyValidation,
  PolicyVersion,
  PolicyVersionSummary,
  TierPolicy,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { originOf, principalOf } from '../auth/guard.js';
import { getPolicyVersion, listPolicies, listPolicyVersions } from './policy.repository.js';
import {
  comparePolicyVersions,
  createPolicyVersion,
  validatePolicyDocument,
} from './policy.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const NameParams = z.object({ name: z.string().min(1).max(64) });

/** The JSON Schema of a policy document (what `docs/policy.md` publishes). */
export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(TierPolicy, { io: 'input', unrepresentable: 'any' });
}

export const policyRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/policies',
      {
        config: { access: 'policies:read' },
        schema: {
          tags: ['tiering'],
          summary: 'Policies with their latest version',
          response: { 200: z.object({ items: z.array(PolicySummary) }), ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const items = await withTenant(ctx.db, tenantId, (trx) => listPolicies(trx, tenantId), {
          readOnly: true,
        });
        return { items };
      },
    );

    app.get(
      '/policies/catalogue',
      {
        config: { access: 'policies:read' },
        schema: {
          tags: ['tiering'],
          summary: 'Built-in metrics, base measures for formulas, and tier scheme templates',
          response: { 200: MetricCatalogue, ...errors },
        },
      },
      async () => ({
        metrics: BUILT_IN_METRICS.map((m) => ({
          key: m.key,
          name: m.name,
          unit: m.unit,
          direction: m.direction,
          definition: m.definition,
          missing: m.missing,
        })),
        measures: BASE_MEASURES.map((m) => ({
          key: m.key,
          unit: m.unit,
          definition: m.definition,
        })),
        schemes: Object.fromEntries(
          Object.entries(TIER_SCHEMES).map(([k, v]) => [k, v.map((t) => ({ ...t }))]),
        ),
      }),
    );

    app.get(
      '/policies/schema',
      {
        config: { access: 'policies:read' },
        schema: {
          tags: ['tiering'],
          summary: 'JSON Schema of a policy document',
          response: { 200: z.record(z.string(), z.unknown()), ...errors },
        },
      },
      async () => policyJsonSchema(),
    );

    app.post(
      '/policies/validate',
      {
        config: { access: 'policies:read' },
        schema: {
          tags: ['tiering'],
          summary: 'Check a policy document without saving it',
          description:
            'Every problem comes back with its JSON path; valid documents also show their derived weights.',
          body: z.object({ document: z.unknown() }),
          response: { 200: PolicyValidation, ...errors },
        },
      },
      async (request) => {
        const { valid, issues, weights, consistencyRatio } = validatePolicyDocument(
          request.body.document,
        );
        return { valid, issues, weights, consistencyRatio };
      },
    );

    app.post(
      '/policies',
      {
        config: { access: 'policies:write' },
        schema: {
          tags: ['tiering'],
          summary: 'Save a new version of a policy',
          description:
            'Versions are never changed: saving a document under an existing name adds the next version.',
          body: CreatePolicyVersion,
          response: { 201: PolicyVersion, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        const saved = await withTenant(ctx.db, tenantId, (trx) =>
          createPolicyVersion(trx, tenantId, request.body.document, request.body.note, origin),
        );
        return reply.status(201).send(saved);
      },
    );

    app.get(
      '/policies/:name/versions',
      {
        config: { access: 'policies:read' },
        schema: {
          tags: ['tiering'],
          summary: 'Versions of a policy, newest first',
          params: NameParams,
          response: { 200: z.object({ items: z.array(PolicyVersionSummary) }), ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const items = await withTenant(
          ctx.db,
          tenantId,
          (trx) => listPolicyVersions(trx, tenantId, request.params.name),
          { readOnly: true },
        );
        return { items };
      },
    );

    app.get(
      '/policies/:name',
      {
        config: { access: 'policies:read' },
        schema: {
          tags: ['tiering'],
          summary: 'A version of a policy with its document (the latest unless ?version=)',
          params: NameParams,
          querystring: z.object({ version: z.coerce.number().int().positive().optional() }),
          response: { 200: PolicyVersion, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => getPolicyVersion(trx, tenantId, request.params.name, request.query.version),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/policies/:name/compare',
      {
        config: { access: 'policies:read' },
        schema: {
          tags: ['tiering'],
          summary: 'What changed between two versions',
          params: NameParams,
          querystring: z.object({
            from: z.coerce.number().int().positive(),
            to: z.coerce.number().int().positive(),
          }),
          response: { 200: PolicyComparison, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const { from, to } = request.query;
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => comparePolicyVersions(trx, tenantId, request.params.name, from, to),
          { readOnly: true },
        );
      },
    );
  };
