import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/database.js';

/** The tenant's log row. */
export interface LogRow {
  origin: string;
  verifier_key: string;
  signer_location: 'database' | 'file';
  size: number;
}

/** The log row, locked until the transaction ends (appends and checkpoints are serialised). */
export async function lockLog(db: Kysely<Database>, tenantId: number): Promise<LogRow | undefined> {
  return db
    .selectFrom('ledger_log')
    .select(['origin', 'verifier_key', 'signer_location', 'size'])
    .where('tenant_id', '=', tenantId)
    .forUpdate()
    .executeTakeFirst();
}

export async function findLog(db: Kysely<Database>, tenantId: number): Promise<LogRow | undefined> {
  return db
    .selectFrom('ledger_log')
    .select(['origin', 'verifier_key', 'signer_location', 'size'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function setLogSize(
  db: Kysely<Database>,
  tenantId: number,
  size: number,
): Promise<void> {
  await db.updateTable('ledger_log').set({ size }).where('tenant_id', '=', tenantId).execute();
}

/** Stored hashes by storage index. */
export async function readHashes(
  db: Kysely<Database>,
  tenantId: number,
  indexes: readonly number[],
): Promise<Map<number, Uint8Array>> {
  if (indexes.length === 0) return new Map();
  // One array parameter, not one parameter per index: a tile reads 256 at once.
  const rows = await db
    .selectFrom('ledger_hash')
    .select(['idx', 'hash'])
    .where('tenant_id', '=', tenantId)
    .where(sql<SqlBool>`idx = any(${[...new Set(indexes)]}::bigint[])`)
    .execute();
  return new Map(rows.map((r) => [r.idx, new Uint8Array(r.hash)]));
}

export interface NewEntryRow {
  idx: number;
  kind: string;
  commitment: Uint8Array;
  record: string;
  salt: Uint8Array;
  dealerId: number | null;
  period: string | null;
  refId: number | null;
}

const CHUNK = 5000;

/** Hex of bytes, as `decode(…, 'hex')` reads it (Node's encoder: 100,000 entries a run). */
const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

/**
 * Insert entries and their stored hashes, 5,000 rows a statement unpacked by
 * json_to_recordset (bytes travel as hex): one round trip per chunk on both engines.
 */
export async function insertEntries(
  db: Kysely<Database>,
  tenantId: number,
  entries: readonly NewEntryRow[],
  hashes: readonly (readonly [number, Uint8Array])[],
): Promise<void> {
  for (let i = 0; i < entries.length; i += CHUNK) {
    const rows = entries.slice(i, i + CHUNK).map((e) => ({
      idx: e.idx,
      kind: e.kind,
      c: hex(e.commitment),
      record: e.record,
      s: hex(e.salt),
      dealer_id: e.dealerId,
      period: e.period,
      ref_id: e.refId,
    }));
    await sql`
      insert into ledger_entry (tenant_id, idx, kind, commitment, record, salt, dealer_id, period,
        ref_id)
      select ${tenantId}, x.idx, x.kind, decode(x.c, 'hex'), x.record, decode(x.s, 'hex'),
        x.dealer_id, x.period, x.ref_id
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(idx bigint, kind text, c text,
        record text, s text, dealer_id bigint, period text, ref_id bigint)`.execute(db);
  }
  for (let i = 0; i < hashes.length; i += CHUNK) {
    const rows = hashes.slice(i, i + CHUNK).map(([idx, h]) => ({ i: idx, h: hex(h) }));
    await sql`
      insert into ledger_hash (tenant_id, idx, hash)
      select ${tenantId}, x.i, decode(x.h, 'hex')
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(i bigint, h text)`.execute(db);
  }
}

export interface CheckpointRow {
  size: number;
  root: Uint8Array;
  note: string;
  created_at: Date;
}

export async function latestCheckpoint(
  db: Kysely<Database>,
  tenantId: number,
): Promise<CheckpointRow | undefined> {
  return db
    .selectFrom('ledger_checkpoint')
    .select(['size', 'root', 'note', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertCheckpoint(
  db: Kysely<Database>,
  tenantId: number,
  row: { size: number; root: Uint8Array; note: string },
): Promise<void> {
  await sql`
    insert into ledger_checkpoint (tenant_id, size, root, note)
    values (${tenantId}, ${row.size}, decode(${hex(row.root)}, 'hex'), ${row.note})`.execute(db);
}

/** The commitments of entries [from, to), in order. */
export async function commitments(
  db: Kysely<Database>,
  tenantId: number,
  from: number,
  to: number,
): Promise<Uint8Array[]> {
  const rows = await db
    .selectFrom('ledger_entry')
    .select('commitment')
    .where('tenant_id', '=', tenantId)
    .where('idx', '>=', from)
    .where('idx', '<', to)
    .orderBy('idx')
    .execute();
  return rows.map((r) => new Uint8Array(r.commitment));
}

export interface EntryRow {
  idx: number;
  kind: string;
  commitment: Uint8Array;
  record: string;
  salt: Uint8Array;
  dealer_id: number | null;
  dealer_code: string | null;
  dealer_name: string | null;
  period: string | null;
  ref_id: number | null;
  created_at: Date;
}

/** Which entries a caller may open: dealer records inside `dealerScope`, and these kinds. */
export interface EntryVisibility {
  /** Dealer records (decisions, overrides): a condition on `dealer`, null = all; false = none. */
  dealerScope: ReturnType<typeof sql<SqlBool>> | null | false;
  tenantKinds: readonly string[];
}

const DEALER_KINDS = [
  'tier_decision',
  'tier_override',
  'allocation_line',
  'rebate_settlement',
  'fund_decision',
];

function entries(db: Kysely<Database>, tenantId: number, visibility: EntryVisibility) {
  return db
    .selectFrom('ledger_entry as e')
    .leftJoin('dealer', (j) =>
      j.onRef('dealer.tenant_id', '=', 'e.tenant_id').onRef('dealer.id', '=', 'e.dealer_id'),
    )
    .where('e.tenant_id', '=', tenantId)
    .where((eb) => {
      const dealerKinds = eb('e.kind', 'in', DEALER_KINDS);
      const options = [];
      if (visibility.dealerScope !== false) {
        options.push(
          visibility.dealerScope === null
            ? dealerKinds
            : eb.and([dealerKinds, visibility.dealerScope]),
        );
      }
      if (visibility.tenantKinds.length > 0) {
        options.push(eb('e.kind', 'in', [...visibility.tenantKinds]));
      }
      return options.length === 0 ? sql<SqlBool>`false` : eb.or(options);
    });
}

const ENTRY_COLUMNS = [
  'e.idx',
  'e.kind',
  'e.commitment',
  'e.record',
  'e.salt',
  'e.dealer_id',
  'dealer.code as dealer_code',
  'dealer.name as dealer_name',
  'e.period',
  'e.ref_id',
  'e.created_at',
] as const;

export interface EntryFilter {
  kind?: string | undefined;
  dealerId?: number | undefined;
  /** Only entries below this index (keyset paging, newest first). */
  before?: number | undefined;
  /** Only entries below this index (those a checkpoint covers). */
  below?: number | undefined;
}

function filtered(
  db: Kysely<Database>,
  tenantId: number,
  visibility: EntryVisibility,
  filter: EntryFilter,
) {
  let qb = entries(db, tenantId, visibility);
  if (filter.kind) qb = qb.where('e.kind', '=', filter.kind);
  if (filter.dealerId !== undefined) qb = qb.where('e.dealer_id', '=', filter.dealerId);
  if (filter.below !== undefined) qb = qb.where('e.idx', '<', filter.below);
  return qb;
}

/** Newest first, up to `limit`, with the total matching. */
export async function listEntries(
  db: Kysely<Database>,
  tenantId: number,
  visibility: EntryVisibility,
  filter: EntryFilter,
  limit: number,
): Promise<{ rows: EntryRow[]; total: number }> {
  let page = filtered(db, tenantId, visibility, filter).select(ENTRY_COLUMNS);
  if (filter.before !== undefined) page = page.where('e.idx', '<', filter.before);
  const rows = (await page.orderBy('e.idx', 'desc').limit(limit).execute()) as EntryRow[];
  const count = await filtered(db, tenantId, visibility, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

/** Every visible entry matching, oldest first (a dealer's résumé). */
export async function allEntries(
  db: Kysely<Database>,
  tenantId: number,
  visibility: EntryVisibility,
  filter: EntryFilter,
): Promise<EntryRow[]> {
  return await filtered(db, tenantId, visibility, filter)
    .select(ENTRY_COLUMNS)
    .orderBy('e.idx')
    .execute();
}

export async function findEntry(
  db: Kysely<Database>,
  tenantId: number,
  visibility: EntryVisibility,
  idx: number,
): Promise<EntryRow | undefined> {
  return await entries(db, tenantId, visibility)
    .select(ENTRY_COLUMNS)
    .where('e.idx', '=', idx)
    .executeTakeFirst();
}

/** Tenants whose log has grown past its latest checkpoint (or has none). */
export async function logsBehind(db: Kysely<Database>): Promise<number[]> {
  const rows = await sql<{ tenant_id: number }>`
    select l.tenant_id from ledger_log l
    where not exists (select 1 from ledger_checkpoint c
                      where c.tenant_id = l.tenant_id and c.size = l.size)`.execute(db);
  return rows.rows.map((r) => r.tenant_id);
}

/** A tenant's log by its slug, with the size its latest checkpoint covers (0 before any). */
export async function publishedLog(
  db: Kysely<Database>,
  slug: string,
): Promise<{ tenantId: number; size: number } | undefined> {
  const row = await sql<{ id: number; size: number | null }>`
    select t.id, (select max(c.size) from ledger_checkpoint c where c.tenant_id = t.id) as size
    from tenant t join ledger_log l on l.tenant_id = t.id
    where t.slug = ${slug}`.execute(db);
  const found = row.rows[0];
  return found ? { tenantId: found.id, size: Number(found.size ?? 0) } : undefined;
}
