import { gunzipSync, gzipSync } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import {
  decodeInputs,
  DomainError,
  encodeInputs,
  inputsDigest,
  type RecordedInputs,
} from '@tierline/core';
import type { Database } from '../db/database.js';

/**
 * The inputs a run decided from (`core/scoring/inputs.ts`), gzipped, with the digest of their
 * encoding. Replaced when a draft is recomputed; frozen by trigger once the run is published.
 */
export async function saveInputs(
  db: Kysely<Database>,
  tenantId: number,
  runId: number,
  inputs: RecordedInputs,
): Promise<string> {
  const encoded = encodeInputs(inputs);
  const digest = inputsDigest(encoded);
  const data = gzipSync(encoded, { level: 1 });
  await db
    .deleteFrom('assessment_input')
    .where('tenant_id', '=', tenantId)
    .where('run_id', '=', runId)
    .execute();
  // As base64 text: PGlite binds a 10 MB bytea parameter ten times slower than a string.
  await sql`
    insert into assessment_input (tenant_id, run_id, digest, data)
    values (${tenantId}, ${runId}, ${digest}, decode(${data.toString('base64')}, 'base64'))`.execute(
    db,
  );
  return digest;
}

export async function inputsDigestOf(
  db: Kysely<Database>,
  tenantId: number,
  runId: number,
): Promise<string | null> {
  const row = await db
    .selectFrom('assessment_input')
    .select('digest')
    .where('tenant_id', '=', tenantId)
    .where('run_id', '=', runId)
    .executeTakeFirst();
  return row?.digest ?? null;
}

/**
 * A run's recorded inputs, with the digest recomputed from the stored bytes (not the stored
 * digest column, which could have been changed with them).
 */
export async function loadInputs(
  db: Kysely<Database>,
  tenantId: number,
  runId: number,
): Promise<{ inputs: RecordedInputs; digest: string }> {
  const row = await db
    .selectFrom('assessment_input')
    .select('data')
    .where('tenant_id', '=', tenantId)
    .where('run_id', '=', runId)
    .executeTakeFirst();
  if (!row) {
    throw new DomainError('not_found', `Run ${runId} has no recorded inputs.`, { runId });
  }
  let encoded: Uint8Array;
  try {
    encoded = new Uint8Array(gunzipSync(row.data));
  } catch {
    throw new DomainError('validation_failed', `The recorded inputs of run ${runId} are damaged.`, {
      runId,
      reason: 'malformed_inputs',
    });
  }
  return { inputs: decodeInputs(encoded), digest: inputsDigest(encoded) };
}
