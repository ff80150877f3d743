import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DomainError } from '@tierline/core';
import {
  ErrorBody,
  Id,
  ImportBatchDetail,
  ImportBatchPage,
  ImportBatchQuery,
  ImportKind,
  ImportKindParams,
  ImportMapping,
  ImportMappingName,
  ImportPreview,
  ImportQuery,
  ImportReportQuery,
  ImportReportRequest,
  ImportResult,
  IngestQuery,
  IngestResult,
  SavedImportMapping,
  SavedImportMappingList,
  importReasonText,
  importReportHeader,
  isImportReasonCode,
  type ImportFileQuery,
  type ImportIssue,
  type ImportLocale,
  type ImportMappingInput,
} from '@tierline/contract';
import type { Store } from '../db/connection.js';
import { withTenant } from '../db/tenant-scope.js';
import type { AppContext } from '../http/context.js';
import { originOf, principalOf } from '../auth/guard.js';
import type { Principal } from '../auth/policy.js';
import { recordAudit } from '../audit/audit.repository.js';
import { EXPORT_TYPES, exportTable, type Cell } from '../export/table-export.js';
import { getTenantById } from '../tenants/tenant.repository.js';
import { runImport, type ImportRequest } from './import.service.js';
import { mappingProblems, type MappingProblem } from './mapping.js';
import { importTemplate } from './template.js';
import { refusal } from './values.js';
import { previewImport } from './import-preview.service.js';
import {
  arrayRecords,
  headerOf,
  itemResults,
  ndjsonRecords,
  summarize,
  writeRecordsFile,
} from './ingest.js';
import { IMPORT_BODY_LIMIT, spool, tooLarge, withTempDir } from './spool.js';
import {
  findSameBatch,
  findBatchByIdempotencyKey,
  findImportBatch,
  listImportBatches,
  toImportBatchDetail,
  toImportResult,
  type ImportBatchRow,
} from './import-batch.repository.js';
import {
  deleteSavedMapping,
  findSavedMapping,
  listSavedMappings,
  saveMapping,
} from './import-mapping.repository.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NDJSON_TYPE = 'application/x-ndjson';

/** Content types whose body reaches the handler as the raw stream, unparsed. */
const RAW_TYPES = [
  'text/csv',
  'text/plain',
  'application/octet-stream',
  XLSX_TYPE,
  // What Windows browsers call a .csv file.
  'application/vnd.ms-excel',
  NDJSON_TYPE,
];
const FILE_TYPES = RAW_TYPES.filter((t) => t !== NDJSON_TYPE);

const RawFile = z.unknown().meta({
  type: 'string',
  format: 'binary',
  description: 'The file’s bytes: CSV (UTF-8, UTF-16 with BOM, GBK/GB18030) or XLSX; up to 100 MiB',
});

const IngestBody = z.unknown().meta({
  type: 'array',
  items: { type: 'object', additionalProperties: true },
  description:
    'A JSON array of records, or NDJSON (Content-Type: application/x-ndjson, one record a line, streamed): objects keyed by the field names of the kind (those of the import template’s notes, e.g. dealer_code, paid_on, amount) with text, numbers, true/false, null, or lists of tags. Up to 100 MiB.',
});

const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .optional()
    .describe(
      'A key of your choice (1–200 printable ASCII characters) for this request: a batch recorded with it is answered from its record, without importing again (header Idempotent-Replayed: true)',
    ),
});

const rawBodyDescription =
  'Send the file as the raw body (Content-Type text/csv, application/octet-stream or the XLSX type), not as multipart form data.';

function storeOf(ctx: AppContext): Store {
  if (!ctx.store) throw new Error('The import routes need AppDeps.store.');
  return ctx.store;
}

/** Tokens see no logins or token names (of people or of themselves). */
function showsNames(principal: Principal): boolean {
  return principal.kind === 'user';
}

function actorName(principal: Principal): string {
  return principal.kind === 'user' ? principal.login : principal.name;
}

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !/^[\x20-\x7e]{1,200}$/.test(key) || key.trim() === '') {
    throw new DomainError(
      'validation_failed',
      'The Idempotency-Key header must be 1 to 200 printable ASCII characters.',
      { header: 'idempotency-key', ...refusal('bad_idempotency_key', {}) },
    );
  }
  return key;
}

/** The raw body of an upload, refused early when it is missing or announced too large. */
function rawBodyOf(request: FastifyRequest, allowed: readonly string[]): Readable {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(request.body instanceof Readable) || !allowed.includes(type)) {
    throw new DomainError(
      'validation_failed',
      `Send the data as the raw request body with Content-Type ${allowed.join(', ')} (not ${type || 'none'}).`,
      {
        contentType: type,
        ...refusal('wrong_content_type', { expected: allowed.join(', '), actual: type || '—' }),
      },
    );
  }
  const length = Number(request.headers['content-length']);
  if (Number.isFinite(length) && length > IMPORT_BODY_LIMIT) throw tooLarge(IMPORT_BODY_LIMIT);
  return request.body;
}

/**
 * A 400 naming each problem of a mapping by its path, as validation errors of the request
 * schema do: `where` is where the mapping came (the body, or the query's `mappingJson`). A
 * problem with a reason code carries it (`reason`, `params`) beside its English message.
 */
function invalidMapping(
  where: 'body' | 'querystring',
  prefix: string,
  problems: readonly MappingProblem[],
): DomainError {
  const fields = problems.map((p) => ({
    in: where,
    path: [prefix, p.path].filter((x) => x !== '').join('.'),
    message: p.message,
    ...p.why,
  }));
  const summary = fields.map((f) => `${f.in}${f.path === '' ? '' : `.${f.path}`}: ${f.message}`);
  return new DomainError('validation_failed', `Invalid mapping: ${summary.join('; ')}`, {
    fields,
    ...(problems.length === 1 && problems[0]!.why !== undefined
      ? problems[0]!.why
      : refusal('invalid_mapping', { count: problems.length })),
  });
}

/** The unsaved mapping a preview was sent in its query (`mappingJson`), checked. */
function inlineMapping(kind: ImportKind, text: string): ImportMapping {
  const prefix = 'mappingJson';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    throw invalidMapping('querystring', prefix, [
      {
        path: '',
        message: `is not JSON (${detail})`,
        why: refusal('mapping_not_json', { detail }),
      },
    ]);
  }
  const parsed = ImportMapping.safeParse(value);
  if (!parsed.success) {
    throw invalidMapping(
      'querystring',
      prefix,
      parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  }
  const mapping = parsed.data;
  const problems = mappingProblems(mapping);
  if (mapping.kind !== kind) {
    problems.unshift({
      path: 'kind',
      message: `is ${mapping.kind}, but the preview is of ${kind}`,
      why: refusal('mapping_wrong_kind', { kind: mapping.kind, expected: kind }),
    });
  }
  if (problems.length > 0) throw invalidMapping('querystring', prefix, problems);
  return mapping;
}

/**
 * The mapping of an upload: a saved one, an unsaved one (`inline`, previews only) or the header
 * matches, with the query's overrides.
 */
async function mappingFor(
  ctx: AppContext,
  tenantId: number,
  kind: ImportKind,
  query: ImportFileQuery,
  inline?: ImportMapping,
): Promise<ImportMapping> {
  let base: ImportMappingInput = inline ?? { kind };
  if (inline !== undefined && query.mapping !== undefined) {
    throw new DomainError(
      'validation_failed',
      'Send either mapping (the name of a saved mapping) or mappingJson (an unsaved one), not both.',
      { field: 'mappingJson', ...refusal('mapping_and_mapping_json', {}) },
    );
  }
  if (query.mapping !== undefined) {
    const name = query.mapping;
    const saved = await withTenant(
      ctx.db,
      tenantId,
      (trx) => findSavedMapping(trx, tenantId, name),
      { readOnly: true },
    );
    if (!saved) {
      throw new DomainError('validation_failed', `There is no saved mapping "${name}".`, {
        field: 'mapping',
        ...refusal('unknown_mapping', { name }),
      });
    }
    if (saved.kind !== kind) {
      throw new DomainError(
        'validation_failed',
        `The saved mapping "${name}" is for ${saved.kind}, not ${kind}.`,
        {
          field: 'mapping',
          ...refusal('mapping_other_kind', { name, kind: saved.kind, expected: kind }),
        },
      );
    }
    base = saved.mapping;
  }
  const overrides: Partial<ImportMappingInput> = {};
  if (query.encoding !== undefined) overrides.encoding = query.encoding;
  if (query.delimiter !== undefined) {
    overrides.delimiter = query.delimiter === 'tab' ? '\t' : query.delimiter;
  }
  if (query.sheet !== undefined) overrides.sheet = query.sheet;
  if (query.header !== undefined) overrides.header = query.header;
  return ImportMapping.parse({ ...base, ...overrides });
}

interface Outcome {
  result: ImportResult;
  replayed: boolean;
}

async function resultOfBatch(
  ctx: AppContext,
  tenantId: number,
  row: ImportBatchRow,
): Promise<ImportResult> {
  const same = await withTenant(
    ctx.db,
    tenantId,
    (trx) => findSameBatch(trx, tenantId, row.kind, row.sha256, row.id),
    {
      readOnly: true,
    },
  );
  return toImportResult(row, same);
}

/** The batch already recorded under the key, if any; a key of another kind is a conflict. */
async function recorded(
  ctx: AppContext,
  tenantId: number,
  kind: ImportKind,
  key: string,
): Promise<ImportResult | undefined> {
  const row = await withTenant(
    ctx.db,
    tenantId,
    (trx) => findBatchByIdempotencyKey(trx, tenantId, key),
    { readOnly: true },
  );
  if (!row) return undefined;
  if (row.kind !== kind) {
    throw new DomainError(
      'conflict',
      `The Idempotency-Key was used for an import of ${row.kind} (batch ${row.id}); use a new key for ${kind}.`,
      {
        batchId: row.id,
        ...refusal('idempotency_key_other_kind', { batch: row.id, kind: row.kind, expected: kind }),
      },
    );
  }
  return resultOfBatch(ctx, tenantId, row);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/** Run the import; a concurrent request that recorded the same key first wins, and is replayed. */
async function importOnce(ctx: AppContext, request: ImportRequest): Promise<Outcome> {
  try {
    return { result: await runImport(storeOf(ctx), request), replayed: false };
  } catch (error) {
    const key = request.idempotencyKey;
    if (key !== undefined && isUniqueViolation(error)) {
      const kind = request.mapping.kind;
      const result = await recorded(ctx, request.tenantId, kind, key);
      if (result) return { result, replayed: true };
    }
    throw error;
  }
}

function markReplay(reply: FastifyReply, outcome: Outcome): void {
  if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
}

/** `attachment` with an ASCII fallback name and the UTF-8 one (RFC 6266). */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The language of a report: the one asked for, else the tenant's locale (an English locale,
 * en-US or en-GB, is English; anything else the console's default, Chinese).
 */
async function reportLocale(
  ctx: AppContext,
  tenantId: number,
  lang: ImportLocale | undefined,
): Promise<ImportLocale> {
  if (lang !== undefined) return lang;
  const tenant = await withTenant(ctx.db, tenantId, (trx) => getTenantById(trx, tenantId), {
    readOnly: true,
  });
  return tenant.locale.toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN';
}

/**
 * An issue's reason in a report's language: English is the issue's own `reason` (what the CLI
 * and the API say); another language is its code's message, or the English reason for an
 * issue recorded before codes existed.
 */
function reportReason(issue: ImportIssue, locale: ImportLocale): string {
  if (locale === 'en-US' || !isImportReasonCode(issue.code)) return issue.reason;
  return importReasonText(issue.code, issue.params, locale);
}

function reportFile(
  reply: FastifyReply,
  format: 'csv' | 'xlsx',
  locale: ImportLocale,
  fileName: string,
  name: string,
  issues: readonly ImportIssue[],
) {
  async function* rows(): AsyncGenerator<Cell[]> {
    for (const issue of issues) {
      const reason = reportReason(issue, locale);
      yield [fileName, issue.row, issue.column, issue.field, issue.value, reason];
    }
  }
  return reply
    .type(EXPORT_TYPES[format])
    .header('content-disposition', attachment(`${name}.${format}`))
    .send(exportTable(format, 'issues', [...importReportHeader[locale]], rows()));
}

const issueResponses = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } as const;

export const importRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // In this plugin only: files and NDJSON reach the handlers as streams.
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser(RAW_TYPES, (_request, payload, done) => done(null, payload));

    app.post(
      '/imports/:kind',
      {
        config: { access: 'ingest:write' },
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: ['imports'],
          summary: 'Import a CSV or XLSX file of one kind',
          description: `${rawBodyDescription} Every row is validated; by default the file is applied all or nothing (\`acceptValid=true\` writes the valid rows), and \`dryRun=true\` writes nothing. Rows are upserted by their natural key, so importing the same file twice changes nothing and says so, and the monthly rollups are updated in the same transaction. A rejected file is a 200 with outcome \`rejected\` and its issues; a file that cannot be read at all is a 400.`,
          params: ImportKindParams,
          querystring: ImportQuery,
          headers: IdempotencyHeaders,
          body: RawFile,
          consumes: FILE_TYPES,
          response: { 200: ImportResult, ...issueResponses, 409: ErrorBody, 413: ErrorBody },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const { kind } = request.params;
        const query = request.query;
        const key = idempotencyKeyOf(request);
        const mapping = await mappingFor(ctx, tenantId, kind, query);
        const body = rawBodyOf(request, FILE_TYPES);
        if (key !== undefined) {
          const earlier = await recorded(ctx, tenantId, kind, key);
          if (earlier) return reply.header('idempotent-replayed', 'true').send(earlier);
        }
        const dryRun = query.dryRun ?? false;
        const outcome = await withTempDir(async (dir) => {
          const path = join(dir, 'upload');
          await spool(body, path, IMPORT_BODY_LIMIT);
          return importOnce(ctx, {
            tenantId,
            mapping,
            fileName: query.fileName ?? 'upload',
            input: createReadStream(path),
            dryRun,
            acceptValid: query.acceptValid ?? false,
            origin: originOf(request),
            source: 'file',
            ...(dryRun || key === undefined ? {} : { idempotencyKey: key }),
          });
        });
        markReplay(reply, outcome);
        return reply.send(outcome.result);
      },
    );

    app.post(
      '/imports/:kind/preview',
      {
        config: { access: 'ingest:write' },
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: ['imports'],
          summary: 'Preview a file: how it is read, how fields match, the first rows parsed',
          description: `${rawBodyDescription} Writes nothing. Returns the detected format, encoding and delimiter, the header, the column (or constant) each field reads, and the first 20 rows with each cell's value or the reason it is not valid. Unknown codes and duplicate keys are found by a dry run. To try a mapping before saving it, send it as \`mappingJson\` instead of naming a saved one.`,
          params: ImportKindParams,
          querystring: ImportQuery.omit({ dryRun: true, acceptValid: true }).extend({
            mappingJson: z
              .string()
              .max(12_000)
              .optional()
              .describe(
                'An unsaved mapping as JSON (what PUT /api/v1/import-mappings/{name} takes), URL-encoded; instead of `mapping`. Its problems are answered as a 400 naming each by path (mappingJson.fields.amount.scale)',
              ),
          }),
          body: RawFile,
          consumes: FILE_TYPES,
          response: { 200: ImportPreview, ...issueResponses, 413: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const { kind } = request.params;
        const { mappingJson } = request.query;
        const inline = mappingJson === undefined ? undefined : inlineMapping(kind, mappingJson);
        const mapping = await mappingFor(ctx, tenantId, kind, request.query, inline);
        const body = rawBodyOf(request, FILE_TYPES);
        const tenant = await withTenant(ctx.db, tenantId, (trx) => getTenantById(trx, tenantId), {
          readOnly: true,
        });
        return withTempDir(async (dir) => {
          const path = join(dir, 'upload');
          await spool(body, path, IMPORT_BODY_LIMIT);
          const input = createReadStream(path);
          try {
            return await previewImport(
              input,
              mapping,
              request.query.fileName ?? 'upload',
              tenant.currency_minor_units,
            );
          } finally {
            input.destroy();
          }
        });
      },
    );

    app.post(
      '/ingest/:kind',
      {
        config: { access: 'ingest:write' },
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: ['imports'],
          summary: 'Ingest records from a connector (ERP, CRM, IoT): a JSON array or NDJSON',
          description:
            'The records go through the same validation, natural-key upserts and rollups as a file import, as one batch (source api): all or nothing unless `acceptValid=true`. The answer has the import result and the invalid items by index. A record that is not an object of known fields, or malformed NDJSON, is a 400 naming the item. Fields no record names keep their stored values; a field that a record leaves out or sets to null is empty for that record; line breaks in text are stored as \\n. Send an `Idempotency-Key` to retry safely: a batch recorded with the key is answered from its record (also a rejected one: use a new key once the records are fixed).',
          params: ImportKindParams,
          querystring: IngestQuery,
          headers: IdempotencyHeaders,
          body: IngestBody,
          consumes: ['application/json', NDJSON_TYPE],
          response: { 200: IngestResult, ...issueResponses, 409: ErrorBody, 413: ErrorBody },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const { kind } = request.params;
        const query = request.query;
        const key = idempotencyKeyOf(request);
        const body: unknown = request.body;
        const ndjson = body instanceof Readable ? rawBodyOf(request, [NDJSON_TYPE]) : null;
        if (ndjson === null && !Array.isArray(body)) {
          throw new DomainError(
            'validation_failed',
            `The body must be a JSON array of records, or NDJSON with Content-Type ${NDJSON_TYPE}.`,
            refusal('ingest_not_array', {}),
          );
        }
        if (key !== undefined) {
          const earlier = await recorded(ctx, tenantId, kind, key);
          if (earlier) {
            void reply.header('idempotent-replayed', 'true');
            return { result: earlier, items: itemResults(earlier.issues) };
          }
        }
        const dryRun = query.dryRun ?? false;
        const noItems = () =>
          new DomainError(
            'validation_failed',
            'The body holds no records.',
            refusal('ingest_empty', {}),
          );
        const outcome = await withTempDir(async (dir) => {
          const data = join(dir, 'records');
          let multiline: boolean;
          if (ndjson !== null) {
            const raw = join(dir, 'body.ndjson');
            await spool(ndjson, raw, IMPORT_BODY_LIMIT);
            // Two passes: the first checks every record and learns which fields they name.
            const summary = await summarize(ndjsonRecords(kind, raw));
            if (summary.count === 0) throw noItems();
            multiline = summary.multiline;
            await writeRecordsFile(
              ndjsonRecords(kind, raw),
              headerOf(kind, summary),
              multiline,
              data,
            );
          } else {
            const { records, summary } = arrayRecords(kind, body as unknown[]);
            if (summary.count === 0) throw noItems();
            multiline = summary.multiline;
            await writeRecordsFile(records, headerOf(kind, summary), multiline, data);
          }
          return importOnce(ctx, {
            tenantId,
            mapping: ImportMapping.parse(
              multiline ? { kind } : { kind, delimiter: ',', encoding: 'utf-8' },
            ),
            fileName: query.fileName ?? `api-${kind}.${ndjson === null ? 'json' : 'ndjson'}`,
            input: createReadStream(data),
            dryRun,
            acceptValid: query.acceptValid ?? false,
            origin: originOf(request),
            source: 'api',
            ...(dryRun || key === undefined ? {} : { idempotencyKey: key }),
          });
        });
        markReplay(reply, outcome);
        return { result: outcome.result, items: itemResults(outcome.result.issues) };
      },
    );

    app.get(
      '/imports',
      {
        config: { access: 'ingest:write' },
        schema: {
          tags: ['imports'],
          summary: 'Import batches, newest first',
          description:
            'Every import that wrote or refused something (dry runs record nothing): file, SHA-256, counts, outcome, who and when. API tokens see no names of who ran them.',
          querystring: ImportBatchQuery,
          response: { 200: ImportBatchPage, ...issueResponses },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { tenantId } = principal;
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => listImportBatches(trx, tenantId, request.query, showsNames(principal)),
          { readOnly: true },
        );
      },
    );

    const batchOf = async (principal: Principal, id: number): Promise<ImportBatchRow> => {
      const { tenantId } = principal;
      const row = await withTenant(ctx.db, tenantId, (trx) => findImportBatch(trx, tenantId, id), {
        readOnly: true,
      });
      if (!row) throw new DomainError('not_found', `Import batch ${id} does not exist.`, { id });
      return row;
    };

    app.get(
      '/imports/:id',
      {
        config: { access: 'ingest:write' },
        schema: {
          tags: ['imports'],
          summary: 'One import batch with its issues and mapping',
          params: z.object({ id: Id }),
          response: { 200: ImportBatchDetail, ...issueResponses, 404: ErrorBody },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const row = await batchOf(principal, request.params.id);
        return toImportBatchDetail(row, showsNames(principal));
      },
    );

    app.get(
      '/imports/:id/report',
      {
        config: { access: 'ingest:write' },
        schema: {
          tags: ['imports'],
          summary: "Download a batch's issues as CSV or XLSX",
          description:
            'Columns file, row, column, field, value, reason (文件, 行, 列, 字段, 值, 原因 in Chinese): the first 1,000 issues (the batch’s issueCount says how many there were). The header and the reasons are in `lang`, else in the tenant’s locale; an English report gives each issue’s `reason`, a Chinese one the message of its `code`. Cells a spreadsheet would run as a formula are prefixed with an apostrophe.',
          params: z.object({ id: Id }),
          querystring: ImportReportQuery,
          produces: [EXPORT_TYPES.csv, EXPORT_TYPES.xlsx],
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const row = await batchOf(principal, request.params.id);
        return reportFile(
          reply,
          request.query.format,
          await reportLocale(ctx, principal.tenantId, request.query.lang),
          row.file_name,
          `import-${row.id}-issues`,
          row.issues as ImportIssue[],
        );
      },
    );

    app.post(
      '/imports/report',
      {
        config: { access: 'ingest:write' },
        schema: {
          tags: ['imports'],
          summary: 'Turn the issues of a dry run into a CSV or XLSX report',
          description:
            'A dry run records no batch; this sends its issues back as a file to download, in `lang` (else the tenant’s locale) like a batch’s report. Writes nothing.',
          querystring: ImportReportQuery,
          body: ImportReportRequest,
          produces: [EXPORT_TYPES.csv, EXPORT_TYPES.xlsx],
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const { fileName, issues } = request.body;
        const base = fileName.replace(/\.[^.]*$/, '') || 'import';
        const locale = await reportLocale(ctx, tenantId, request.query.lang);
        return reportFile(reply, request.query.format, locale, fileName, `${base}-issues`, issues);
      },
    );

    app.get(
      '/imports/templates/:kind',
      {
        config: { access: 'ingest:write' },
        schema: {
          tags: ['imports'],
          summary: 'The XLSX import template of a kind',
          description:
            'A sheet with the header row the importer recognises and an example row, and a notes sheet explaining every column.',
          params: z.object({ kind: ImportKind }),
          produces: [XLSX_TYPE],
        },
      },
      async (request, reply) => {
        principalOf(request);
        const { kind } = request.params;
        return reply
          .type(XLSX_TYPE)
          .header('content-disposition', attachment(`${kind}-template.xlsx`))
          .send(await importTemplate(kind));
      },
    );

    app.get(
      '/import-mappings',
      {
        config: { access: 'ingest:write' },
        schema: {
          tags: ['imports'],
          summary: 'Saved import mappings of the tenant',
          response: { 200: SavedImportMappingList, ...issueResponses },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { tenantId } = principal;
        const items = await withTenant(
          ctx.db,
          tenantId,
          (trx) => listSavedMappings(trx, tenantId, showsNames(principal)),
          { readOnly: true },
        );
        return { items };
      },
    );

    app.put(
      '/import-mappings/:name',
      {
        config: { access: 'ingest:write' },
        schema: {
          tags: ['imports'],
          summary: 'Save a mapping under a name (creates or replaces it)',
          description:
            'Use it with `POST /api/v1/imports/{kind}?mapping=<name>` (and `tierline import --mapping`, which takes the same JSON from a file). A mapping naming a field the kind does not have, giving a field more than one of column, const and template, a fallback without a column or a template that does not parse is refused with a 400 that names each problem by path (details.fields[].path, e.g. fields.code.template).',
          params: z.object({ name: ImportMappingName }),
          body: ImportMapping,
          response: { 200: SavedImportMapping, ...issueResponses },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { tenantId } = principal;
        const { name } = request.params;
        const mapping = request.body;
        const problems = mappingProblems(mapping);
        if (problems.length > 0) throw invalidMapping('body', '', problems);
        return withTenant(ctx.db, tenantId, async (trx) => {
          const before = await findSavedMapping(trx, tenantId, name);
          const saved = await saveMapping(
            trx,
            tenantId,
            name,
            mapping,
            actorName(principal),
            showsNames(principal),
          );
          await recordAudit(trx, tenantId, originOf(request), {
            action: 'import_mapping.save',
            entityType: 'import_mapping',
            entityId: name,
            before: before?.mapping ?? null,
            after: mapping,
          });
          return saved;
        });
      },
    );

    app.delete(
      '/import-mappings/:name',
      {
        config: { access: 'ingest:write' },
        schema: {
          tags: ['imports'],
          summary: 'Delete a saved mapping',
          params: z.object({ name: ImportMappingName }),
          response: { 204: z.null().describe('Deleted'), ...issueResponses, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { tenantId } = principal;
        const { name } = request.params;
        await withTenant(ctx.db, tenantId, async (trx) => {
          const before = await findSavedMapping(trx, tenantId, name);
          if (!before || !(await deleteSavedMapping(trx, tenantId, name))) {
            throw new DomainError('not_found', `There is no saved mapping "${name}".`, { name });
          }
          await recordAudit(trx, tenantId, originOf(request), {
            action: 'import_mapping.delete',
            entityType: 'import_mapping',
            entityId: name,
            before: before.mapping,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
