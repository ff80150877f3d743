import { sql, type Kysely, type Selectable } from 'kysely';
import {
  ImportMapping,
  type ImportBatch,
  type ImportBatchDetail,
  type ImportBatchPage,
  type ImportBatchQuery,
  type ImportIssue,
  type ImportKind,
  type ImportResult,
} from '@tierline/contract';
import type { Database, ImportBatchTable } from '../db/database.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

export type ImportBatchRow = Selectable<ImportBatchTable>;

/**
 * A batch as the API shows it. `showNames` false (API tokens) leaves out who ran it: a
 * connector learns what was imported, not the logins of the people who did.
 */
export function toImportBatch(row: ImportBatchRow, showNames: boolean): ImportBatch {
  return {
    id: row.id,
    kind: row.kind as ImportKind,
    source: row.source,
    fileName: row.file_name,
    sha256: row.sha256,
    sizeBytes: row.size_bytes,
    outcome: row.outcome,
    rows: row.rows_total,
    valid: row.rows_valid,
    invalid: row.rows_invalid,
    skipped: skippedOf(row),
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    issueCount: row.issue_count,
    idempotencyKey: row.idempotency_key,
    actor: {
      kind: row.actor_kind as ImportBatch['actor']['kind'],
      name: showNames ? row.actor_name : null,
    },
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at.toISOString(),
  };
}

export function toImportBatchDetail(row: ImportBatchRow, showNames: boolean): ImportBatchDetail {
  return {
    ...toImportBatch(row, showNames),
    issues: row.issues as ImportIssue[],
    mapping: ImportMapping.parse(row.mapping),
  };
}

/** Rows read but neither imported nor invalid: filtered out, or superseded by a later row. */
function skippedOf(row: ImportBatchRow): number {
  return row.rows_total - row.rows_valid - row.rows_invalid;
}

/** The answer the import gave when it ran, rebuilt from its record (an idempotent replay). */
export function toImportResult(row: ImportBatchRow, sameAsBatch: number | null): ImportResult {
  return {
    batchId: row.id,
    kind: row.kind as ImportKind,
    fileName: row.file_name,
    sha256: row.sha256,
    outcome: row.outcome,
    rows: row.rows_total,
    valid: row.rows_valid,
    invalid: row.rows_invalid,
    skipped: skippedOf(row),
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    issues: row.issues as ImportIssue[],
    issueCount: row.issue_count,
    sameAsBatch,
    seconds: (row.finished_at.getTime() - row.started_at.getTime()) / 1000,
  };
}

function filtered(
  db: Kysely<Database>,
  tenantId: number,
  filter: Pick<ImportBatchQuery, 'kind' | 'outcome'>,
) {
  let qb = db.selectFrom('import_batch').where('tenant_id', '=', tenantId);
  if (filter.kind) qb = qb.where('kind', '=', filter.kind);
  if (filter.outcome) qb = qb.where('outcome', '=', filter.outcome);
  return qb;
}

/** Newest first (by id: batches are recorded as they finish), keyset-paged, with the total. */
export async function listImportBatches(
  db: Kysely<Database>,
  tenantId: number,
  query: ImportBatchQuery,
  showNames: boolean,
): Promise<ImportBatchPage> {
  const { limit, cursor, ...filter } = query;
  let qb = filtered(db, tenantId, filter).selectAll();
  if (cursor) {
    const [id] = decodeCursor(cursor, ['number']);
    qb = qb.where('id', '<', id);
  }
  const rows = await qb
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const total = await filtered(db, tenantId, filter)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toImportBatch(row, showNames)),
    total: total.n,
    nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
  };
}

export async function findImportBatch(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<ImportBatchRow | undefined> {
  return db
    .selectFrom('import_batch')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findBatchByIdempotencyKey(
  db: Kysely<Database>,
  tenantId: number,
  key: string,
): Promise<ImportBatchRow | undefined> {
  return db
    .selectFrom('import_batch')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/**
 * The latest batch that wrote (or found unchanged) the same kind and file content; with
 * `beforeId`, only batches recorded before that one.
 */
export async function findSameBatch(
  db: Kysely<Database>,
  tenantId: number,
  kind: string,
  sha256: string,
  beforeId?: number,
): Promise<number | null> {
  let query = db
    .selectFrom('import_batch')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('sha256', '=', sha256)
    .where('outcome', 'in', ['applied', 'partially_applied', 'unchanged']);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  const row = await query.orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.id ?? null;
}

export interface NewBatch {
  result: Omit<ImportResult, 'batchId' | 'seconds'>;
  source: 'file' | 'api';
  sizeBytes: number;
  mapping: ImportMapping;
  idempotencyKey: string | null;
  origin: AuditOrigin;
  startedAt: Date;
  finishedAt: Date;
}

export async function insertBatch(
  db: Kysely<Database>,
  tenantId: number,
  batch: NewBatch,
): Promise<number> {
  const { result } = batch;
  if (result.outcome === 'validated') throw new Error('a dry run is not a batch');
  const row = await db
    .insertInto('import_batch')
    .values({
      tenant_id: tenantId,
      kind: result.kind,
      source: batch.source,
      file_name: result.fileName,
      sha256: result.sha256,
      size_bytes: batch.sizeBytes,
      mapping: JSON.stringify(batch.mapping),
      outcome: result.outcome,
      rows_total: result.rows,
      rows_valid: result.valid,
      rows_invalid: result.invalid,
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.unchanged,
      issue_count: result.issueCount,
      issues: JSON.stringify(result.issues),
      idempotency_key: batch.idempotencyKey,
      actor_kind: batch.origin.actor.kind,
      actor_name: batch.origin.actor.name,
      started_at: batch.startedAt,
      finished_at: batch.finishedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
