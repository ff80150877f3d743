import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  bytesEqual,
  DomainError,
  RESUME_FORMAT,
  TILE_WIDTH,
  canonicalJson,
  commitJson,
  emptyTreeHash,
  formatEntryBundle,
  hashReaderFrom,
  leafHash,
  openCheckpoint,
  parseTilePath,
  proveRecord,
  proveTree,
  readTileData,
  recordProofIndexes,
  signCheckpoint,
  storedHashCount,
  storedHashesForRecordHash,
  tileHashIndexes,
  toBase64,
  toHex,
  treeHash,
  treeHashIndexes,
  treeProofIndexes,
} from '@tierline/core';
import type {
  ConsistencyProof,
  InclusionProof,
  LedgerEntry,
  LedgerEntryDetail,
  LedgerEntryPage,
  LedgerInfo,
  LedgerRecordKind,
  Resume,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import { permissionsOf, type Principal } from '../auth/policy.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { loadSigner } from './ledger-keys.js';
import {
  allEntries,
  commitments,
  findEntry,
  findLog,
  insertCheckpoint,
  insertEntries,
  latestCheckpoint,
  listEntries,
  lockLog,
  logsBehind,
  readHashes,
  setLogSize,
  type CheckpointRow,
  type EntryRow,
  type EntryVisibility,
  type NewEntryRow,
} from './ledger.repository.js';

/** A record to append: its kind, the dealer and period it is about, and its JSON. */
export interface NewRecord {
  kind: LedgerRecordKind;
  dealerId: number | null;
  period: string | null;
  /** The run, override, policy version or import batch it records. */
  refId: number | null;
  record: Record<string, unknown>;
}

/**
 * Append records to the tenant's log inside the caller's transaction, so that they commit or
 * roll back with what they record. Each gets a fresh 32-byte salt; its entry is the commitment
 * SHA-256(salt ‖ canonical JSON). The new stored hashes are computed from the log's frontier
 * (the O(log n) hashes of the complete subtrees before it), so a batch costs one read.
 * The log row is locked for the rest of the transaction: appends are serialised.
 */
export async function appendRecords(
  db: Kysely<Database>,
  tenantId: number,
  records: readonly NewRecord[],
): Promise<{ from: number; count: number }> {
  const log = await lockLog(db, tenantId);
  if (!log) {
    throw new Error(`Tenant ${tenantId} has no ledger yet; run "tierline migrate" to create it.`);
  }
  const start = log.size;
  if (records.length === 0) return { from: start, count: 0 };
  const known = await readHashes(db, tenantId, treeHashIndexes(start));
  const reader = hashReaderFrom(known);
  const entries: NewEntryRow[] = [];
  const hashes: [number, Uint8Array][] = [];
  const salts = randomBytes(32 * records.length);
  const loggedAt = new Date().toISOString();
  records.forEach((r, i) => {
    const n = start + i;
    const json = canonicalJson({ ...r.record, kind: r.kind, loggedAt });
    const salt = new Uint8Array(salts.subarray(32 * i, 32 * i + 32));
    const commitment = commitJson(json, salt);
    const stored = storedHashesForRecordHash(n, leafHash(commitment), reader);
    const base = storedHashCount(n);
    stored.forEach((h, k) => {
      known.set(base + k, h);
      hashes.push([base + k, h]);
    });
    entries.push({
      idx: n,
      kind: r.kind,
      commitment,
      record: json,
      salt,
      dealerId: r.dealerId,
      period: r.period,
      refId: r.refId,
    });
  });
  await insertEntries(db, tenantId, entries, hashes);
  await setLogSize(db, tenantId, start + records.length);
  return { from: start, count: records.length };
}

/**
 * Sign a checkpoint of the log as it is now, unless the latest one already covers it. Runs on
 * the server's own connection (it reads the signing key), in its own transaction. The note is
 * opened with the published verifier key before it is stored, so a key that does not match is
 * caught here, not by the first auditor.
 */
export async function issueCheckpoint(
  db: Kysely<Database>,
  tenantId: number,
): Promise<CheckpointRow | null> {
  return db.transaction().execute(async (trx) => {
    const log = await lockLog(trx, tenantId);
    if (!log) return null;
    const latest = await latestCheckpoint(trx, tenantId);
    if (latest && latest.size === log.size) return latest;
    const root =
      log.size === 0
        ? emptyTreeHash()
        : treeHash(
            log.size,
            hashReaderFrom(await readHashes(trx, tenantId, treeHashIndexes(log.size))),
          );
    const signer = await loadSigner(trx, tenantId, log);
    const note = signCheckpoint({ origin: log.origin, size: log.size, hash: root }, signer);
    openCheckpoint(note, { origin: log.origin, verifiers: [log.verifier_key] });
    await insertCheckpoint(trx, tenantId, { size: log.size, root, note });
    return { size: log.size, root, note, created_at: new Date() };
  });
}

/** Checkpoint every log that has grown since its last checkpoint (the scheduled job). */
export async function checkpointAll(db: Kysely<Database>): Promise<number> {
  const behind = await logsBehind(db);
  for (const tenantId of behind) await issueCheckpoint(db, tenantId);
  return behind.length;
}

/**
 * The latest checkpoint, issued first if the log has grown past it. Call it on the server's own
 * connection, outside any transaction (it may open one to sign); the readers below take its
 * result.
 */
export async function ensureCheckpoint(
  db: Kysely<Database>,
  tenantId: number,
): Promise<CheckpointRow | null> {
  const [log, latest] = await Promise.all([findLog(db, tenantId), latestCheckpoint(db, tenantId)]);
  if (!log) return null;
  if (latest && latest.size >= log.size) return latest;
  return issueCheckpoint(db, tenantId);
}

export async function ledgerInfo(
  db: Kysely<Database>,
  tenantId: number,
  slug: string,
  checkpoint: CheckpointRow | null,
): Promise<LedgerInfo> {
  const log = await findLog(db, tenantId);
  if (!log) throw new DomainError('not_found', 'This tenant has no ledger yet.');
  return {
    origin: log.origin,
    verifierKey: log.verifier_key,
    size: log.size,
    checkpoint: checkpoint?.note ?? null,
    checkpointSize: checkpoint?.size ?? 0,
    tiles: `/ledger/${slug}/`,
  };
}

/**
 * What a public tile path serves: bytes, or null when the path is not published. `size` is
 * the latest checkpoint's: only what a signed checkpoint covers is published.
 */
export async function tileResource(
  db: Kysely<Database>,
  tenantId: number,
  path: string,
  size: number,
): Promise<Uint8Array | null> {
  let parsed;
  try {
    parsed = parseTilePath(path);
  } catch {
    return null;
  }
  const { tile } = parsed;
  // Only what the latest checkpoint covers is published.
  if ((tile.n * TILE_WIDTH + tile.width) * TILE_WIDTH ** tile.level > size) return null;
  if (parsed.kind === 'entries') {
    const from = tile.n * TILE_WIDTH;
    return formatEntryBundle(await commitments(db, tenantId, from, from + tile.width));
  }
  const indexes = tileHashIndexes(tile);
  return readTileData(tile, hashReaderFrom(await readHashes(db, tenantId, indexes)));
}

function proofSize(checkpoint: CheckpointRow | null, asked: number | undefined): number {
  const latest = checkpoint?.size ?? 0;
  const size = asked ?? latest;
  if (size > latest) {
    throw new DomainError(
      'validation_failed',
      `The log's latest checkpoint has ${latest} entries; a proof for ${size} cannot be checked against any checkpoint.`,
      { field: 'treeSize', latest },
    );
  }
  return size;
}

export async function inclusionProof(
  db: Kysely<Database>,
  tenantId: number,
  checkpoint: CheckpointRow | null,
  index: number,
  treeSize?: number,
): Promise<InclusionProof> {
  const size = proofSize(checkpoint, treeSize);
  if (index >= size) {
    throw new DomainError(
      'validation_failed',
      `Entry ${index} is not in a tree of ${size} entries.`,
      { field: 'index', treeSize: size },
    );
  }
  const reader = hashReaderFrom(await readHashes(db, tenantId, recordProofIndexes(index, size)));
  return { index, treeSize: size, hashes: proveRecord(index, size, reader).map(toBase64) };
}

export async function consistencyProof(
  db: Kysely<Database>,
  tenantId: number,
  checkpoint: CheckpointRow | null,
  from: number,
  to?: number,
): Promise<ConsistencyProof> {
  const size = proofSize(checkpoint, to);
  if (from > size) {
    throw new DomainError(
      'validation_failed',
      `A consistency proof goes from a smaller tree to a larger one: ${from} > ${size}.`,
      { field: 'from' },
    );
  }
  const reader = hashReaderFrom(await readHashes(db, tenantId, treeProofIndexes(from, size)));
  return { from, to: size, hashes: proveTree(from, size, reader).map(toBase64) };
}

/** Which records a caller may open (docs/security.md, "Ledger"). */
export function visibilityOf(principal: Principal): EntryVisibility {
  const can = permissionsOf(principal);
  const wholeTenant = principal.scope.kind === 'tenant';
  const tenantKinds: LedgerRecordKind[] = [];
  if (can.includes('policies:read')) tenantKinds.push('policy_version');
  if (wholeTenant && can.includes('assessments:read')) tenantKinds.push('assessment_run');
  if (wholeTenant && can.includes('ingest:write')) tenantKinds.push('import_batch');
  if (wholeTenant && can.includes('resources:read')) {
    tenantKinds.push('benefit_values', 'budget_allocation');
  }
  const dealerRecords = can.includes('assessments:read') || can.includes('portal:read');
  return {
    dealerScope: dealerRecords ? dealerScopeCondition(principal.scope) : false,
    tenantKinds,
  };
}

function summaryOf(row: EntryRow): string {
  const r = JSON.parse(row.record) as Record<string, unknown>;
  switch (row.kind) {
    case 'tier_decision':
      return `${String(r['period'])} · ${String(r['tier'])} (score ${Number(r['score']).toFixed(1)})`;
    case 'tier_override': {
      const o = r['override'] as { kind?: string; tier?: string } | undefined;
      return `override ${o?.kind ?? ''} → ${o?.tier ?? ''}`;
    }
    case 'assessment_run':
      return `run ${String(r['run'])} of ${String(r['period'])}: ${String(r['dealers'])} dealers`;
    case 'policy_version': {
      const p = r['policy'] as { name?: string; version?: number } | undefined;
      return `policy ${p?.name ?? ''} v${p?.version ?? ''}`;
    }
    case 'import_batch':
      return `${String(r['dataKind'])} import ${String(r['fileName'])}: ${String(r['outcome'])}`;
    case 'benefit_values': {
      const p = r['policy'] as { name?: string; version?: number } | undefined;
      return `benefits of ${p?.name ?? ''} v${p?.version ?? ''}`;
    }
    case 'budget_allocation':
      return `${String(r['purpose'])} allocation of ${String(r['period'])}: ${String(r['allocated'])} of ${String(r['pool'])}`;
    case 'allocation_line':
      return `${String(r['period'])} · ${String(r['tier'])}: ${String(r['amount'])}`;
    case 'rebate_settlement':
      return `${String(r['period'])} rebate ${String(r['rebate'])}, due ${String(r['due'])}`;
    case 'fund_decision':
      return `${String(r['subject'])} ${String(r['id'])} ${String(r['decision'])}: ${String(r['amount'])}`;
    default:
      return row.kind;
  }
}

function toEntry(row: EntryRow): LedgerEntry {
  return {
    index: row.idx,
    kind: row.kind as LedgerRecordKind,
    createdAt: new Date(row.created_at).toISOString(),
    commitment: toHex(new Uint8Array(row.commitment)),
    dealer:
      row.dealer_id === null
        ? null
        : { id: row.dealer_id, code: row.dealer_code ?? '', name: row.dealer_name ?? '' },
    period: row.period,
    summary: summaryOf(row),
  };
}

export async function listLedgerEntries(
  db: Kysely<Database>,
  tenantId: number,
  principal: Principal,
  query: {
    kind?: LedgerRecordKind | undefined;
    dealerId?: number | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<LedgerEntryPage> {
  const before = query.cursor ? decodeCursor(query.cursor, ['number'])[0] : undefined;
  const { rows, total } = await listEntries(
    db,
    tenantId,
    visibilityOf(principal),
    { kind: query.kind, dealerId: query.dealerId, before },
    query.limit,
  );
  const last = rows[rows.length - 1];
  return {
    items: rows.map(toEntry),
    total,
    nextCursor: rows.length === query.limit && last ? encodeCursor([last.idx]) : null,
  };
}

export async function ledgerEntryDetail(
  db: Kysely<Database>,
  tenantId: number,
  principal: Principal,
  checkpoint: CheckpointRow | null,
  index: number,
): Promise<LedgerEntryDetail> {
  const row = await findEntry(db, tenantId, visibilityOf(principal), index);
  if (!row) throw new DomainError('not_found', `Ledger entry ${index} does not exist.`);
  const covered = checkpoint !== null && index < checkpoint.size;
  return {
    ...toEntry(row),
    record: JSON.parse(row.record) as Record<string, unknown>,
    recordJson: row.record,
    salt: toBase64(new Uint8Array(row.salt)),
    proof: covered ? await inclusionProof(db, tenantId, checkpoint, index) : null,
    checkpoint: checkpoint?.note ?? null,
  };
}

/**
 * A dealer's résumé: its decision and override records with salts and inclusion proofs
 * against the latest checkpoint, in one file that `verifyResume` checks offline.
 */
export async function dealerResume(
  db: Kysely<Database>,
  tenantId: number,
  dealer: { id: number; code: string; name: string },
  checkpoint: CheckpointRow | null,
  generatedAt: Date,
): Promise<Resume> {
  const log = await findLog(db, tenantId);
  if (!checkpoint || !log) throw new DomainError('not_found', 'This tenant has no ledger yet.');
  const rows = await allEntries(
    db,
    tenantId,
    { dealerScope: null, tenantKinds: [] },
    { dealerId: dealer.id, below: checkpoint.size },
  );
  const proofIndexes = rows.flatMap((r) => recordProofIndexes(r.idx, checkpoint.size));
  const reader = hashReaderFrom(await readHashes(db, tenantId, proofIndexes));
  return {
    format: RESUME_FORMAT,
    origin: log.origin,
    verifierKey: log.verifier_key,
    dealer: { code: dealer.code, name: dealer.name },
    checkpoint: checkpoint.note,
    generatedAt: generatedAt.toISOString(),
    entries: rows.map((r) => ({
      index: r.idx,
      record: r.record,
      salt: toBase64(new Uint8Array(r.salt)),
      proof: proveRecord(r.idx, checkpoint.size, reader).map(toBase64),
    })),
  };
}

/** An entry the caller may open; not found otherwise (whether it exists or not). */
export async function visibleEntry(
  db: Kysely<Database>,
  tenantId: number,
  principal: Principal,
  index: number,
): Promise<EntryRow> {
  const row = await findEntry(db, tenantId, visibilityOf(principal), index);
  if (!row) throw new DomainError('not_found', `Ledger entry ${index} does not exist.`);
  return row;
}

export type LedgerCheckCode =
  | 'checkpoint_invalid'
  | 'entry_missing'
  | 'record_invalid'
  | 'commitment_mismatch'
  | 'hash_mismatch'
  | 'root_mismatch'
  | 'size_mismatch';

export interface LedgerCheck {
  ok: boolean;
  entries: number;
  checkpoints: number;
  problems: { code: LedgerCheckCode; message: string; index?: number }[];
}

const CHECK_CHUNK = 5000;
const MAX_PROBLEMS = 100;

/**
 * The operator's full check of a tenant's log against its database rows (`tierline ledger
 * check`): every record is canonical JSON and opens its commitment with its salt; every stored
 * hash is recomputed from the commitments and compared; every checkpoint verifies with the
 * log's key and its root is the recomputed root at its size; the log's size is its entry count.
 * What the public verifier cannot see (records, salts, hashes inside tiles) is checked here.
 */
export async function checkLedger(db: Kysely<Database>, tenantId: number): Promise<LedgerCheck> {
  const problems: LedgerCheck['problems'] = [];
  const problem = (code: LedgerCheckCode, message: string, index?: number) => {
    if (problems.length < MAX_PROBLEMS) {
      problems.push(index === undefined ? { code, message } : { code, message, index });
    }
  };
  const log = await findLog(db, tenantId);
  if (!log) throw new DomainError('not_found', 'This tenant has no ledger.');
  const checkpoints = await db
    .selectFrom('ledger_checkpoint')
    .select(['size', 'root', 'note'])
    .where('tenant_id', '=', tenantId)
    .orderBy('size')
    .execute();
  const roots = new Map<number, Uint8Array>();
  for (const c of checkpoints) {
    try {
      const { checkpoint } = openCheckpoint(c.note, {
        origin: log.origin,
        verifiers: [log.verifier_key],
      });
      if (checkpoint.size !== c.size) throw new Error(`it states ${checkpoint.size} entries`);
      roots.set(c.size, checkpoint.hash);
    } catch (e) {
      problem('checkpoint_invalid', `The checkpoint of ${c.size} entries: ${(e as Error).message}`);
    }
  }
  const compareRoot = (size: number, known: Map<number, Uint8Array>) => {
    const root = roots.get(size);
    if (!root) return;
    const actual = size === 0 ? emptyTreeHash() : treeHash(size, hashReaderFrom(known));
    if (!bytesEqual(actual, root)) {
      problem(
        'root_mismatch',
        `The checkpoint of ${size} entries is not the root of the entries recorded.`,
      );
    }
  };
  let known = new Map<number, Uint8Array>();
  compareRoot(0, known);
  let n = 0;
  for (;;) {
    const rows = await db
      .selectFrom('ledger_entry')
      .select(['idx', 'record', 'salt', 'commitment'])
      .where('tenant_id', '=', tenantId)
      .where('idx', '>=', n)
      .orderBy('idx')
      .limit(CHECK_CHUNK)
      .execute();
    if (rows.length === 0) break;
    const stored = await db
      .selectFrom('ledger_hash')
      .select(['idx', 'hash'])
      .where('tenant_id', '=', tenantId)
      .where('idx', '>=', storedHashCount(n))
      .where('idx', '<', storedHashCount(n + rows.length))
      .execute();
    const storedAt = new Map(stored.map((h) => [h.idx, new Uint8Array(h.hash)]));
    for (const row of rows) {
      if (row.idx !== n) {
        problem('entry_missing', `Entries ${n} to ${row.idx - 1} are missing.`, n);
        return { ok: false, entries: n, checkpoints: checkpoints.length, problems };
      }
      const commitment = new Uint8Array(row.commitment);
      let json: string | null = null;
      try {
        json = canonicalJson(JSON.parse(row.record));
      } catch {
        problem('record_invalid', `Entry ${n}'s record is not JSON.`, n);
      }
      if (json !== null && json !== row.record) {
        problem('record_invalid', `Entry ${n}'s record is not in canonical form.`, n);
      } else if (
        json !== null &&
        !bytesEqual(commitJson(json, new Uint8Array(row.salt)), commitment)
      ) {
        problem(
          'commitment_mismatch',
          `Entry ${n}'s record and salt do not open its commitment.`,
          n,
        );
      }
      const hashes = storedHashesForRecordHash(n, leafHash(commitment), hashReaderFrom(known));
      const base = storedHashCount(n);
      hashes.forEach((h, k) => {
        known.set(base + k, h);
        const kept = storedAt.get(base + k);
        if (!kept || !bytesEqual(kept, h)) {
          problem(
            'hash_mismatch',
            `Stored hash ${base + k} (written with entry ${n}) is ${kept ? 'altered' : 'missing'}.`,
            n,
          );
        }
      });
      n++;
      compareRoot(n, known);
    }
    // Appends only ever read the frontier: keep just that.
    known = new Map(treeHashIndexes(n).map((i) => [i, known.get(i)!]));
  }
  if (n !== log.size) {
    problem('size_mismatch', `The log says it has ${log.size} entries; ${n} are recorded.`);
  }
  return { ok: problems.length === 0, entries: n, checkpoints: checkpoints.length, problems };
}

/** Any entry of the tenant's log (for the operator's CLI, which sees the whole tenant). */
export async function findLedgerEntry(
  db: Kysely<Database>,
  tenantId: number,
  index: number,
): Promise<EntryRow | undefined> {
  return findEntry(
    db,
    tenantId,
    {
      dealerScope: null,
      tenantKinds: [
        'assessment_run',
        'policy_version',
        'import_batch',
        'benefit_values',
        'budget_allocation',
      ],
    },
    index,
  );
}
