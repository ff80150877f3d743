import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditPage, AuditQuery, ErrorBody, ExportFormat } from '@tierline/contract';
import { withTenant } from '../db/tenant-scope.js';
import type { AppContext } from '../http/context.js';
import { principalOf } from '../auth/guard.js';
import { EXPORT_TYPES, exportTable, type Cell } from '../export/table-export.js';
import { auditRows, listAudit, toAuditEvent, type AuditFilter } from './audit.repository.js';

const ExportQuery = AuditQuery.omit({ limit: true, cursor: true }).extend({
  format: ExportFormat.default('csv').describe('csv (UTF-8 with BOM) or xlsx'),
});

const HEADER = [
  'at',
  'actor_kind',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'ip',
  'user_agent',
  'before',
  'after',
];

export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/audit',
      {
        config: { access: 'audit:read' },
        schema: {
          tags: ['audit'],
          summary: 'The audit trail: who changed what, when, from where, before and after',
          querystring: AuditQuery,
          response: { 200: AuditPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(ctx.db, tenantId, (trx) => listAudit(trx, tenantId, request.query), {
          readOnly: true,
        });
      },
    );

    app.get(
      '/audit/export',
      {
        config: { access: 'audit:read' },
        schema: {
          tags: ['audit'],
          summary: 'Download the audit trail as CSV or XLSX',
          description:
            'Same filters as the list, newest first. Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.',
          querystring: ExportQuery,
          produces: [EXPORT_TYPES.csv, EXPORT_TYPES.xlsx],
        },
      },
      async (request, reply) => {
        const { tenantId, tenantSlug } = principalOf(request);
        const { format, ...filter } = request.query;
        const db = ctx.db;
        async function* rows(): AsyncGenerator<Cell[]> {
          let after: { at: string; id: number } | undefined;
          for (;;) {
            // One short transaction per 1,000 events: an export never holds the database.
            const batch = await withTenant(
              db,
              tenantId,
              (trx) => auditRows(trx, tenantId, filter satisfies AuditFilter, 1000, after),
              { readOnly: true },
            );
            for (const row of batch) {
              const e = toAuditEvent(row);
              yield [
                e.at,
                e.actor.kind,
                e.actor.name,
                e.action,
                e.entity.type,
                e.entity.id,
                e.ip,
                e.userAgent,
                e.before === null ? null : JSON.stringify(e.before),
                e.after === null ? null : JSON.stringify(e.after),
              ];
            }
            const last = batch[batch.length - 1];
            if (!last || batch.length < 1000) return;
            after = { at: last.at.toISOString(), id: last.id };
          }
        }
        const day = new Date().toISOString().slice(0, 10);
        return reply
          .type(EXPORT_TYPES[format])
          .header(
            'content-disposition',
            `attachment; filename="audit-${tenantSlug}-${day}.${format}"`,
          )
          .send(exportTable(format, 'audit', HEADER, rows()));
      },
    );
  };
