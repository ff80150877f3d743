import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DomainError } from '@tierline/core';
import {
  ConsistencyProof,
  ConsistencyProofQuery,
  ErrorBody,
  Id,
  InclusionProof,
  InclusionProofQuery,
  LedgerEntryDetail,
  LedgerEntryPage,
  LedgerInfo,
  ListLedgerEntriesQuery,
  ReplayResult,
  Resume,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { principalOf } from '../auth/guard.js';
import { findTenantBySlug } from '../tenants/tenant.repository.js';
import { getDealer } from '../dealers/dealer.repository.js';
import type { DealerScope } from '../auth/policy.js';
import {
  consistencyProof,
  dealerResume,
  ensureCheckpoint,
  inclusionProof,
  ledgerEntryDetail,
  ledgerInfo,
  listLedgerEntries,
  tileResource,
  visibleEntry,
} from './ledger.service.js';
import { findLog, publishedLog } from './ledger.repository.js';
import { replayDecision } from './replay.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** The checkpoint changes with every append: caches may keep it a few seconds only. */
const CHECKPOINT_CACHE = 'public, max-age=5, must-revalidate';
/** A tile (full or partial: a partial tile of a width never changes) is immutable. */
const TILE_CACHE = 'public, max-age=31536000, immutable';

/**
 * The public face of each tenant's log (C2SP tlog-tiles), readable without signing in: it
 * holds only commitments, signed checkpoints and the verifier key.
 */
export const publicLedgerRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const tenantOf = async (slug: string) => {
      const tenant = await findTenantBySlug(ctx.db, slug);
      if (!tenant) throw new DomainError('not_found', `There is no log named ${slug}.`);
      return tenant;
    };
    const params = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) });

    app.get(
      '/ledger/:slug/checkpoint',
      {
        config: { access: 'public' },
        schema: {
          tags: ['ledger'],
          summary: "The tenant log's latest signed checkpoint (C2SP tlog-checkpoint)",
          params,
          response: { 200: z.string(), 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const tenant = await tenantOf(request.params.slug);
        const checkpoint = await ensureCheckpoint(ctx.db, tenant.id);
        if (!checkpoint) throw new DomainError('not_found', 'This log has no checkpoint yet.');
        return reply
          .header('content-type', 'text/plain; charset=utf-8')
          .header('cache-control', CHECKPOINT_CACHE)
          .header('access-control-allow-origin', '*')
          .send(checkpoint.note);
      },
    );

    app.get(
      '/ledger/:slug/vkey',
      {
        config: { access: 'public' },
        schema: {
          tags: ['ledger'],
          summary: "The tenant log's verifier key (signed-note format)",
          params,
          response: { 200: z.string(), 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const tenant = await tenantOf(request.params.slug);
        const log = await findLog(ctx.db, tenant.id);
        if (!log) throw new DomainError('not_found', 'This tenant has no log.');
        return reply
          .header('content-type', 'text/plain; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .header('access-control-allow-origin', '*')
          .send(`${log.verifier_key}\n`);
      },
    );

    app.get(
      '/ledger/:slug/tile/*',
      {
        config: { access: 'public' },
        schema: {
          tags: ['ledger'],
          summary: 'A hash tile or entry bundle (C2SP tlog-tiles)',
          description:
            'tile/<L>/<N>[.p/<W>] (hash tiles) and tile/entries/<N>[.p/<W>] (entry bundles: each entry is a 32-byte commitment). Only what the latest checkpoint covers is served.',
          params: params.extend({ '*': z.string().max(200) }),
        },
      },
      async (request, reply) => {
        // Two statements a tile, on the server's connection: a verifier reads thousands of
        // tiles, and they hold nothing but hashes (every query names the tenant).
        const log = await publishedLog(ctx.db, request.params.slug);
        if (!log)
          throw new DomainError('not_found', `There is no log named ${request.params.slug}.`);
        const path = `tile/${request.params['*']}`;
        const data = await tileResource(ctx.db, log.tenantId, path, log.size);
        if (!data) throw new DomainError('not_found', `${path} is not published.`);
        return reply
          .header('content-type', 'application/octet-stream')
          .header('cache-control', TILE_CACHE)
          .header('access-control-allow-origin', '*')
          .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      },
    );
  };

/** A dealer's résumé in the caller's scope, answered as a file to save. */
async function resumeFor(
  ctx: AppContext,
  reply: FastifyReply,
  tenantId: number,
  scope: DealerScope,
  dealerId: number,
): Promise<Resume> {
  const checkpoint = await ensureCheckpoint(ctx.db, tenantId);
  const resume = await withTenant(
    ctx.db,
    tenantId,
    async (trx) => {
      const dealer = await getDealer(trx, tenantId, scope, dealerId);
      return dealerResume(trx, tenantId, dealer, checkpoint, new Date());
    },
    { readOnly: true },
  );
  void reply.header(
    'content-disposition',
    `attachment; filename="resume-${resume.dealer.code.replace(/[^\w.-]/g, '_')}.json"`,
  );
  return resume;
}

/** The signed-in side: records, proofs, résumés and replays. */
export const ledgerRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/ledger',
      {
        config: { access: 'ledger:read' },
        schema: {
          tags: ['ledger'],
          summary: "The tenant's log: origin, verifier key, size, latest checkpoint",
          response: { 200: LedgerInfo, ...errors },
        },
      },
      async (request) => {
        const { tenantId, tenantSlug } = principalOf(request);
        const checkpoint = await ensureCheckpoint(ctx.db, tenantId);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => ledgerInfo(trx, tenantId, tenantSlug, checkpoint),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/ledger/entries',
      {
        config: { access: 'ledger:read' },
        schema: {
          tags: ['ledger'],
          summary: 'Records the caller may open, newest first',
          description:
            'Dealer records (tier decisions, overrides) within the caller’s dealer scope; policy versions with policies:read; runs and import batches to whole-tenant callers.',
          querystring: ListLedgerEntriesQuery,
          response: { 200: LedgerEntryPage, ...errors },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(
          ctx.db,
          principal.tenantId,
          (trx) => listLedgerEntries(trx, principal.tenantId, principal, request.query),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/ledger/entries/:index',
      {
        config: { access: 'ledger:read' },
        schema: {
          tags: ['ledger'],
          summary: 'One record opened: its JSON, salt and inclusion proof',
          params: z.object({ index: z.coerce.number().int().min(0) }),
          response: { 200: LedgerEntryDetail, ...errors },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const checkpoint = await ensureCheckpoint(ctx.db, principal.tenantId);
        return withTenant(
          ctx.db,
          principal.tenantId,
          (trx) =>
            ledgerEntryDetail(trx, principal.tenantId, principal, checkpoint, request.params.index),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/ledger/entries/:index/replay',
      {
        config: { access: 'assessments:read' },
        schema: {
          tags: ['ledger'],
          summary: 'Recompute a logged tier decision from its recorded inputs and policy',
          params: z.object({ index: z.coerce.number().int().min(0) }),
          response: { 200: ReplayResult, ...errors },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(
          ctx.db,
          principal.tenantId,
          async (trx) =>
            replayDecision(
              trx,
              principal.tenantId,
              await visibleEntry(trx, principal.tenantId, principal, request.params.index),
            ),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/ledger/proofs/inclusion',
      {
        config: { access: 'ledger:read' },
        schema: {
          tags: ['ledger'],
          summary: 'RFC 9162 inclusion proof of an entry',
          querystring: InclusionProofQuery,
          response: { 200: InclusionProof, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const checkpoint = await ensureCheckpoint(ctx.db, tenantId);
        const { index, treeSize } = request.query;
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => inclusionProof(trx, tenantId, checkpoint, index, treeSize),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/ledger/proofs/consistency',
      {
        config: { access: 'ledger:read' },
        schema: {
          tags: ['ledger'],
          summary: 'RFC 9162 consistency proof between two tree sizes',
          querystring: ConsistencyProofQuery,
          response: { 200: ConsistencyProof, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const checkpoint = await ensureCheckpoint(ctx.db, tenantId);
        const { from, to } = request.query;
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => consistencyProof(trx, tenantId, checkpoint, from, to),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/dealers/:id/resume',
      {
        config: { access: 'assessments:read' },
        schema: {
          tags: ['ledger'],
          summary: 'A dealer’s verifiable résumé (tierline-resume/1), for download',
          params: z.object({ id: Id }),
          response: { 200: Resume, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId, scope } = principalOf(request);
        return resumeFor(ctx, reply, tenantId, scope, request.params.id);
      },
    );

    app.get(
      '/portal/resume',
      {
        config: { access: 'portal:read' },
        schema: {
          tags: ['portal'],
          summary: "The signed-in dealer's own verifiable résumé",
          response: { 200: Resume, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId, scope } = principalOf(request);
        if (scope.kind !== 'dealer') {
          throw new DomainError('forbidden', 'The portal is for dealer users.');
        }
        return resumeFor(ctx, reply, tenantId, scope, scope.dealerId);
      },
    );
  };
