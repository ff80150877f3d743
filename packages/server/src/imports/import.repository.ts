import type { Kysely } from 'kysely';
import type { ImportMapping, ImportResult } from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { AuditOrigin } from '../audit/audit.repository.js';

/** The latest batch that wrote (or found unchanged) the same kind and file content. */
export async function findSameBatch(
  db: Kysely<Database>,
  tenantId: number,
  kind: string,
  sha256: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('import_batch')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('sha256', '=', sha256)
    .where('outcome', 'in', ['applied', 'partially_applied', 'unchanged'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
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
