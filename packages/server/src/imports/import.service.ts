import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type {
  ImportIssue,
  ImportIssueCode,
  ImportMapping,
  ImportOutcome,
  ImportResult,
} from '@tierline/contract';
import type { CopyValue, Store } from '../db/connection.js';
import { recordImportBatch } from '../ledger/records.js';
import type { Database } from '../db/database.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { refreshRollups } from '../rollups/rollup.repository.js';
import { evaluateAlerts } from '../alerts/alert-evaluation.service.js';
import { getTenantById } from '../tenants/tenant.repository.js';
import { KINDS, type FieldSpec, type KindSpec, type RefTable } from './kinds.js';
import { rawCellOf, resolveMapping, rowFilterOf, type ResolvedField } from './mapping.js';
import { openSource, type SourceRow } from './source.js';
import { because, parseCell, type IssueReason } from './values.js';
import { findSameBatch, insertBatch } from './import-batch.repository.js';
import { foreignKeysOf, maySkipTriggers, withoutRowTriggers } from '../db/foreign-keys.js';

/** How many issues a report lists; the count covers all of them. */
export const MAX_LISTED_ISSUES = 1000;

export interface ImportRequest {
  tenantId: number;
  mapping: ImportMapping;
  fileName: string;
  input: Readable;
  dryRun?: boolean;
  /** Write the valid rows and report the others, instead of all-or-nothing. */
  acceptValid?: boolean;
  origin: AuditOrigin;
  source: 'file' | 'api';
  idempotencyKey?: string;
  /** Rows read so far, now and then. */
  onProgress?: (rows: number) => void;
}

/** The code column of each master table a field can name. */
const CODE_COLUMN: Record<RefTable, string> = {
  dealer: 'code',
  product: 'sku',
  outlet: 'code',
  region: 'code',
  campaign: 'code',
};

const REF_LABEL: Record<RefTable, string> = {
  dealer: 'dealer code',
  product: 'product SKU',
  outlet: 'outlet code',
  region: 'region code',
  campaign: 'campaign code',
};

/** The reason code of an unknown code, and of an unknown parent (a code of the file's own kind). */
type UnknownCode = Extract<ImportIssueCode, `unknown_${string}`>;
const UNKNOWN_CODE: Record<RefTable, { other: UnknownCode; own?: UnknownCode }> = {
  dealer: { other: 'unknown_dealer', own: 'unknown_parent_dealer' },
  product: { other: 'unknown_product' },
  outlet: { other: 'unknown_outlet' },
  region: { other: 'unknown_region', own: 'unknown_parent_region' },
  campaign: { other: 'unknown_campaign' },
};

const STAGE = 'import_stage';

function stageType(field: FieldSpec): string {
  switch (field.type) {
    case 'int':
    case 'money':
      return 'bigint';
    case 'decimal':
      return 'double precision';
    case 'date':
    case 'month':
      return 'date';
    default:
      return 'text';
  }
}

class IssueLog {
  readonly listed: ImportIssue[] = [];
  count = 0;
  add(issue: ImportIssue): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_ISSUES) this.listed.push(issue);
  }
  /** How many more issues the report can list. */
  get room(): number {
    return MAX_LISTED_ISSUES - this.listed.length;
  }
  /** Count issues found in SQL beyond those listed (only the first rows come back). */
  addUnlisted(n: number): void {
    this.count += n;
  }
}

function cut(value: string | null): string | null {
  return value === null ? null : value.length > 100 ? `${value.slice(0, 100)}…` : value;
}

/** Rules across fields of one row. */
function rowRule(
  kind: KindSpec['kind'],
  values: { get(field: string): CopyValue | undefined },
): { field: string; why: IssueReason } | null {
  switch (kind) {
    case 'dealers': {
      const level = values.get('chain_level');
      const parent = values.get('parent_code');
      if (level === 2 && parent === null) {
        return {
          field: 'parent_code',
          why: because(
            'parent_dealer_required',
            {},
            'a 二级 dealer (chain_level 2) needs the code of its 一级 dealer',
          ),
        };
      }
      if (level === 1 && parent !== null) {
        return {
          field: 'parent_code',
          why: because(
            'parent_dealer_not_allowed',
            {},
            'a 一级 dealer (chain_level 1) has no parent dealer',
          ),
        };
      }
      if (parent !== null && parent === values.get('code')) {
        return {
          field: 'parent_code',
          why: because('dealer_own_parent', {}, 'a dealer cannot be its own parent'),
        };
      }
      return null;
    }
    case 'campaigns':
      return String(values.get('ends_on')) < String(values.get('starts_on'))
        ? { field: 'ends_on', why: because('ends_before_start', {}, 'ends before it starts') }
        : null;
    case 'invoices':
      return String(values.get('due_on')) < String(values.get('issued_on'))
        ? { field: 'due_on', why: because('due_before_issue', {}, 'is before the issue date') }
        : null;
    case 'regions':
      return values.get('parent_code') !== null && values.get('parent_code') === values.get('code')
        ? {
            field: 'parent_code',
            why: because('region_own_parent', {}, 'a region cannot be its own parent'),
          }
        : null;
    default:
      return null;
  }
}

/**
 * Import one file (or API body) of one kind, in one transaction on the store's owner
 * connection:
 * 1. stream the rows, map them, check every cell (types, required, ranges, dates, formulas,
 *    cross-field rules) and COPY the good ones into a temporary table;
 * 2. in SQL, find duplicate keys within the file and codes of unknown dealers, products, …;
 * 3. unless a row failed (or `acceptValid`), upsert by the kind's natural key: new rows are
 *    inserted, changed rows updated, identical rows left alone (so a second import of the
 *    same file changes nothing and says so);
 * 4. refresh the monthly rollups of the dealers the rows touch, record the batch (file name,
 *    SHA-256, counts, first issues, who) and an audit event.
 * A dry run does steps 1–2 and writes nothing.
 */
export async function runImport(store: Store, request: ImportRequest): Promise<ImportResult> {
  const started = new Date();
  const t0 = performance.now();
  const { mapping, fileName, tenantId } = request;
  const spec = KINDS[mapping.kind];
  const hash = createHash('sha256');
  let size = 0;
  const hashed = request.input.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    }),
  );
  // pipe() does not pass errors on: a reader that fails (a broken upload, an unreadable file)
  // must fail the import, not leave it waiting for data that never comes.
  request.input.once('error', (error) => hashed.destroy(error));
  const tenant = await getTenantById(store.db, tenantId);
  const source = await openSource(hashed, {
    fileName,
    header: mapping.header,
    encoding: mapping.encoding,
    delimiter: mapping.delimiter,
    sheet: mapping.sheet,
  });
  const fields = resolveMapping(mapping, source.header, fileName);
  const keep = rowFilterOf(mapping, source.header);
  const issues = new IssueLog();
  let rows = 0;
  let invalidInFile = 0;
  let filtered = 0;
  const width = source.header?.length ?? null;
  const isCsv = source.info.format === 'csv';
  // Worked out once per file rather than once per cell: each field's parse options, its value
  // map, and where a row rule finds a field's value in a checked row.
  const readers = fields.map((f) => ({
    field: f,
    options: {
      minorUnits: tenant.currency_minor_units,
      dateFormat: f.mapping.dateFormat,
      scale: f.mapping.scale,
    },
    values: f.mapping.values ? new Map(Object.entries(f.mapping.values)) : null,
  }));
  const position = new Map(fields.map((f, i) => [f.spec.field, i + 1]));

  /**
   * Check one row: every cell, then the rules across fields. Returns the stage row (row
   * number, then each field's value) or null when the row is skipped or has issues, which go
   * to the log with file row, column, field, value and reason.
   */
  function checkRow(row: SourceRow): CopyValue[] | null {
    rows++;
    if (rows % 20_000 === 0) request.onProgress?.(rows);
    const cells = row.cells;
    if (keep !== null && !keep(cells)) {
      filtered++;
      return null;
    }
    let good = true;
    if (
      width !== null &&
      cells.length > width &&
      cells.slice(width).some((c) => c !== null && c.trim() !== '')
    ) {
      issues.add({
        row: row.row,
        column: `#${width + 1}`,
        field: null,
        value: cut(cells[width] ?? null),
        ...because(
          'extra_cells',
          { cells: cells.length, columns: width },
          `has ${cells.length} cells but the header has ${width} columns (a stray delimiter?)`,
        ),
      });
      good = false;
    }
    const out: CopyValue[] = new Array<CopyValue>(readers.length + 1);
    out[0] = row.row;
    for (let i = 0; i < readers.length; i++) {
      const { field: f, options, values } = readers[i]!;
      let raw: string | null = null;
      let column: string | null = null;
      if (f.source.kind === 'column') {
        column = f.source.label;
        // A CSV row that stops short is malformed (a wrong delimiter, a cut line); an XLSX
        // row simply has no cells after its last filled one.
        const shortCsvRow =
          isCsv && f.source.index >= cells.length && (width === null || cells.length < width);
        if (shortCsvRow && f.spec.required) {
          issues.add({
            row: row.row,
            column,
            field: f.spec.field,
            value: null,
            ...(width === null
              ? because(
                  'row_short_headerless',
                  { cells: cells.length },
                  `is missing: the row has ${cells.length} cells`,
                )
              : because(
                  'row_short',
                  { cells: cells.length, columns: width },
                  `is missing: the row has ${cells.length} cells of ${width}`,
                )),
          });
          good = false;
          continue;
        }
        raw = rawCellOf(f.source, cells);
      } else if (f.source.kind === 'const') {
        raw = f.source.value;
        column = '(constant)';
      } else if (f.source.kind === 'template') {
        raw = rawCellOf(f.source, cells);
        column = f.source.label;
      }
      // Value maps see an empty cell as "" whichever the format.
      const mapped = values ? (values.get((raw ?? '').trim()) ?? raw) : raw;
      const parsed = parseCell(f.spec, mapped, options);
      if (parsed.ok) {
        out[i + 1] = parsed.value;
      } else {
        issues.add({
          row: row.row,
          column,
          field: f.spec.field,
          value: cut(raw),
          reason: parsed.reason,
          code: parsed.code,
          params: parsed.params,
        });
        good = false;
      }
    }
    if (good) {
      const broken = rowRule(spec.kind, { get: (field) => out[position.get(field)!] });
      if (broken) {
        const f = fields.find((x) => x.spec.field === broken.field);
        const value = out[position.get(broken.field)!];
        issues.add({
          row: row.row,
          column: f?.source.kind === 'column' ? f.source.label : null,
          field: broken.field,
          value: cut(value === null || value === undefined ? null : String(value)),
          ...broken.why,
        });
        good = false;
      }
    }
    if (!good) {
      invalidInFile++;
      return null;
    }
    return out;
  }

  async function* validRows(): AsyncGenerator<CopyValue[]> {
    for await (const batch of source.batches) {
      for (const row of batch) {
        const checked = checkRow(row);
        if (checked !== null) yield checked;
      }
    }
  }

  return store.bulk((session) =>
    session.db.transaction().execute(async (trx) => {
      // Each statement here runs once over the whole stage: compiling it (PostgreSQL's JIT,
      // which the stage's missing statistics invite) costs more than it saves.
      await sql`set local jit = off`.execute(trx);
      await sql`
        create temp table ${sql.id(STAGE)} (
          row_no integer not null,
          bad boolean not null default false,
          pass integer,
          ${sql.join(fields.map((f) => sql`${sql.id(f.spec.field)} ${sql.raw(stageType(f.spec))}`))}
        ) on commit drop`.execute(trx);
      await session.copy(STAGE, ['row_no', ...fields.map((f) => f.spec.field)], validRows());
      request.onProgress?.(rows);
      const sha256 = hash.digest('hex');

      const superseded = mapping.duplicates === 'last' ? await keepLastOfEachKey(trx, spec) : 0;
      // Before the checks, so that the codes they find stay as found until the upsert; not
      // for a dry run or a file already rejected by a bad cell, which write nothing.
      const mayWrite = !request.dryRun && (invalidInFile === 0 || request.acceptValid === true);
      const referencesHeld = mayWrite && (await holdReferences(trx, tenantId, spec, fields));
      const flagged = await checkInSql(trx, tenantId, spec, fields, issues);
      const invalid = invalidInFile + flagged;
      const skipped = filtered + superseded;
      const valid = rows - invalid - skipped;
      if (rows === 0) {
        issues.add({
          row: null,
          column: null,
          field: null,
          value: null,
          ...because('no_data_rows', {}, 'the file has a header but no data rows'),
        });
      } else if (valid === 0 && invalid === 0) {
        issues.add({
          row: null,
          column: null,
          field: null,
          value: null,
          ...because(
            'all_rows_filtered',
            { rows },
            `no row is left to import: the mapping's row filter skipped all ${rows} rows`,
          ),
        });
      }
      const rejected = rows === 0 || (invalid > 0 && !request.acceptValid) || valid === 0;
      let inserted = 0;
      let updated = 0;
      if (!request.dryRun && !rejected) {
        const written = await upsert(trx, tenantId, spec, fields, referencesHeld);
        inserted = written.inserted;
        updated = written.updated;
        if (written.dealerIds.length > 0) {
          await refreshRollups(trx, tenantId, {
            dealerIds: written.dealerIds,
            ...(written.months ? { months: written.months } : {}),
          });
          // Near real time (issue 7): the touched dealers' alerts, with the default rules
          // installed on a tenant's first import.
          await evaluateAlerts(trx, tenantId, {
            dealerIds: written.dealerIds,
            origin: request.origin,
            trigger: 'import',
            installDefaults: true,
          });
        }
      }
      const outcome: ImportOutcome = request.dryRun
        ? rejected
          ? 'rejected'
          : 'validated'
        : rejected
          ? 'rejected'
          : inserted + updated === 0
            ? 'unchanged'
            : invalid > 0
              ? 'partially_applied'
              : 'applied';
      const sorted = [...issues.listed].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
      const sameAsBatch = await findSameBatch(trx, tenantId, spec.kind, sha256);
      const result: Omit<ImportResult, 'batchId' | 'seconds'> = {
        kind: spec.kind,
        fileName,
        sha256,
        outcome,
        rows,
        valid,
        invalid,
        skipped,
        inserted,
        updated,
        unchanged: outcome === 'rejected' || request.dryRun ? 0 : valid - inserted - updated,
        issues: sorted,
        issueCount: issues.count,
        sameAsBatch,
      };
      let batchId: number | null = null;
      if (!request.dryRun) {
        batchId = await insertBatch(trx, tenantId, {
          result,
          source: request.source,
          sizeBytes: size,
          mapping,
          idempotencyKey: request.idempotencyKey ?? null,
          origin: request.origin,
          startedAt: started,
          finishedAt: new Date(),
        });
        if (outcome === 'applied' || outcome === 'partially_applied') {
          await recordImportBatch(trx, tenantId, batchId, result);
        }
        await recordAudit(trx, tenantId, request.origin, {
          action: `import.${outcome}`,
          entityType: 'import_batch',
          entityId: batchId,
          after: {
            kind: spec.kind,
            fileName,
            sha256,
            rows,
            valid,
            invalid,
            skipped,
            inserted,
            updated,
          },
        });
      }
      return { ...result, batchId, seconds: (performance.now() - t0) / 1000 };
    }),
  );
}

function keyList(spec: KindSpec): RawBuilder<unknown> {
  return sql.join(spec.key.map((k) => sql.ref(`s.${k}`)));
}

/**
 * `duplicates: 'last'`: of the valid rows sharing a key, only the last one (highest row number)
 * stays in the stage; returns how many earlier rows it removed.
 */
async function keepLastOfEachKey(db: Kysely<Database>, spec: KindSpec): Promise<number> {
  const removed = await sql`
    delete from ${sql.id(STAGE)} st using (
      select s.row_no, max(s.row_no) over (partition by ${keyList(spec)}) as last_row
      from ${sql.id(STAGE)} s
    ) k
    where k.row_no = st.row_no and k.row_no <> k.last_row`.execute(db);
  return Number(removed.numAffectedRows ?? 0);
}

/**
 * Duplicate keys within the file and unknown codes, each in one statement over the stage;
 * flags the rows and returns how many. Only the first rows of each finding (by row number)
 * come back to be listed: a file of a million bad rows is counted, not carried into memory.
 */
async function checkInSql(
  db: Kysely<Database>,
  tenantId: number,
  spec: KindSpec,
  fields: readonly ResolvedField[],
  issues: IssueLog,
): Promise<number> {
  let flagged = 0;
  // Keys that occur more than once (GROUP BY, a hash aggregate: no sort of the whole stage),
  // then every row of such a key but the first. Key fields are required or have a fallback
  // (a test holds every kind to it), so a key is never null and `=` finds its rows.
  const keyText = sql.join(
    spec.key.map((k) => sql`${sql.lit(k)} || '=' || coalesce(${sql.ref(`s.${k}`)}::text, '')`),
  );
  const dups = await sql<{ row_no: number; first_row: number; key: string; total: number }>`
    with d as (
      select ${keyList(spec)}, min(s.row_no) as first_row
      from ${sql.id(STAGE)} s
      group by ${keyList(spec)}
      having count(*) > 1),
    u as (
      update ${sql.id(STAGE)} s set bad = true
      from d where ${sql.join(
        spec.key.map((k) => sql`${sql.ref(`s.${k}`)} = ${sql.ref(`d.${k}`)}`),
        sql` and `,
      )} and s.row_no <> d.first_row
      returning s.row_no, d.first_row, concat_ws(', ', ${keyText}) as key)
    select u.*, count(*) over ()::int as total from u
    order by u.row_no limit ${Math.max(1, issues.room)}`.execute(db);
  flagged += logFound(dups.rows, issues, (d) => ({
    row: d.row_no,
    column: null,
    field: spec.key.join(', '),
    value: cut(d.key),
    ...because(
      'duplicate_key',
      { row: d.first_row, key: spec.key.join(', ') },
      `duplicate key: row ${d.first_row} has the same ${spec.key.join(', ')}`,
    ),
  }));
  for (const f of fields) {
    const table = f.spec.ref;
    if (!table) continue;
    const field = sql.ref(`s.${f.spec.field}`);
    // A dealer's parent or a region's parent may come in the same file.
    const selfRef = table === spec.table;
    const unknown = await sql<{ row_no: number; code: string; total: number }>`
      with u as (
        update ${sql.id(STAGE)} s set bad = true
        where ${field} is not null and not s.bad
          and not exists (
            select 1 from ${sql.id(table)} t
            where t.tenant_id = ${tenantId} and ${sql.ref(`t.${CODE_COLUMN[table]}`)} = ${field})
          ${selfRef ? sql`and not exists (select 1 from ${sql.id(STAGE)} s2 where ${sql.ref(`s2.${CODE_COLUMN[table]}`)} = ${field})` : sql``}
        returning s.row_no, ${field} as code)
      select u.*, count(*) over ()::int as total from u
      order by u.row_no limit ${Math.max(1, issues.room)}`.execute(db);
    flagged += logFound(unknown.rows, issues, (u) => ({
      row: u.row_no,
      column: f.source.kind === 'column' ? f.source.label : null,
      field: f.spec.field,
      value: cut(u.code),
      ...because(
        (selfRef ? UNKNOWN_CODE[table].own : undefined) ?? UNKNOWN_CODE[table].other,
        { code: cut(u.code) ?? '' },
        `unknown ${REF_LABEL[table]} "${u.code}"${selfRef ? ' (not in this file either)' : ''}`,
      ),
    }));
  }
  return flagged;
}

/**
 * Log what a check in SQL found: the rows it returned (the first ones by row number, as many
 * as the report has room for; each row carries the total) listed, the others counted.
 * Returns how many rows it flagged.
 */
function logFound<R extends { total: number }>(
  rows: readonly R[],
  issues: IssueLog,
  issue: (row: R) => ImportIssue,
): number {
  const listed = rows.slice(0, issues.room);
  for (const row of listed) issues.add(issue(row));
  const total = rows[0]?.total ?? 0;
  issues.addUnlisted(total - listed.length);
  return total;
}

interface Written {
  inserted: number;
  updated: number;
  dealerIds: number[];
  /** The months whose rollups the writes changed; null for every month. */
  months: { from: string; to: string } | null;
}

/**
 * Lock the tenant and every existing row the staged rows name (by code) `FOR KEY SHARE`, one
 * statement per reference, before the checks that resolve those codes: until this transaction
 * ends none of them can be deleted or change its key or code, so a code the checks find stays
 * found and the upsert takes each id from a locked row. A row deleted by someone else before
 * the lock is then reported as an unknown code, rather than failing the upsert.
 *
 * Returns whether the upsert may also skip the engine's foreign-key triggers: they would only
 * take the same locks again, once per written row (for a million order lines of a thousand
 * dealers, a million lookups of the same thousand rows, most of an import's time). That holds
 * when every foreign key of the table is the tenant's or a reference field's, the table is no
 * other table's parent (no key of its own is checked there), the kind names no parent of its
 * own kind (those rows reference rows the same statement writes), and the role may set
 * `session_replication_role`. The upsert then runs with it set to `replica`, for that one
 * statement.
 */
async function holdReferences(
  db: Kysely<Database>,
  tenantId: number,
  spec: KindSpec,
  fields: readonly ResolvedField[],
): Promise<boolean> {
  await sql`select 1 from tenant where id = ${tenantId} for key share`.execute(db);
  for (const field of fields) {
    const table = field.spec.ref;
    if (!table || field.source.kind === 'none') continue;
    await sql`
      select count(*) from (
        select 1 from ${sql.id(table)} t
        where t.tenant_id = ${tenantId} and ${sql.ref(`t.${CODE_COLUMN[table]}`)} in (
          select ${sql.ref(`s.${field.spec.field}`)} from ${sql.id(STAGE)} s)
        for key share of t) locked`.execute(db);
  }
  if (fields.some((f) => f.spec.ref === spec.table)) return false;
  if (!(await maySkipTriggers(db, spec.table))) return false;
  return (await foreignKeysOf(db, spec.table)).every(({ columns, parent }) => {
    if (parent === 'tenant') return columns.length === 1 && columns[0] === 'tenant_id';
    const own = columns.filter((c) => c !== 'tenant_id');
    // A reference the file does not fill leaves its column null: nothing to check there.
    return (
      columns.length === 2 &&
      own.length === 1 &&
      fields.some((f) => f.spec.column === own[0] && f.spec.ref === parent)
    );
  });
}

/**
 * Insert or update the good rows by the natural key, leaving identical rows untouched. Kinds
 * whose rows name a parent of the same kind (regions, dealers) go in passes, parents first.
 */
async function upsert(
  db: Kysely<Database>,
  tenantId: number,
  spec: KindSpec,
  fields: readonly ResolvedField[],
  referencesHeld: boolean,
): Promise<Written> {
  const selfRef = fields.find((f) => f.spec.ref === spec.table);
  const joins = fields
    .filter((f) => f.spec.ref && f.source.kind !== 'none')
    .map((f) => {
      const table = f.spec.ref!;
      const alias = `r_${f.spec.field}`;
      return sql`left join ${sql.id(table)} ${sql.id(alias)} on ${sql.ref(`${alias}.tenant_id`)} = ${tenantId} and ${sql.ref(`${alias}.${CODE_COLUMN[table]}`)} = ${sql.ref(`s.${f.spec.field}`)}`;
    });
  // Only the fields the file fills: on insert the others take their column defaults (the
  // same as the fields' fallbacks); on update they keep what the row holds.
  const filled = spec.fields.filter((f) =>
    fields.some((x) => x.spec.field === f.field && x.source.kind !== 'none'),
  );
  const columns = filled.map((f) => f.column);
  const selectList = filled.map((f) => {
    if (f.ref) return sql.ref(`r_${f.field}.id`);
    if (f.type === 'tags') {
      return sql`coalesce((select array_agg(x) from jsonb_array_elements_text(${sql.ref(`s.${f.field}`)}::jsonb) x), '{}')`;
    }
    return sql.ref(`s.${f.field}`);
  });
  const keyColumns = spec.key.map((k) => spec.fields.find((f) => f.field === k)!.column);
  const valueColumns = columns.filter((c) => !keyColumns.includes(c));
  const target = sql.id(spec.table);
  const setList = [
    ...valueColumns.map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`),
    ...(spec.table === 'dealer' ? [sql`updated_at = now()`] : []),
  ];
  const dealerColumn = spec.dealerField
    ? spec.fields.find((f) => f.field === spec.dealerField)!.column
    : null;
  // Facts that move to another dealer change that dealer's rollups too.
  const dealerIds = new Set<number>();
  const keysAreText = spec.key.every((k) => !spec.fields.find((f) => f.field === k)!.ref);
  // The months of the rollups to refresh: those the written rows are in and, for rows that
  // existed, were in (a corrected date moves a fact to another month).
  const monthColumn = spec.monthField
    ? spec.fields.find((f) => f.field === spec.monthField)!.column
    : null;
  const span = new MonthSpan();
  if (dealerColumn && keysAreText) {
    const before = await sql<{ dealer_id: number; first: string | null; last: string | null }>`
      select t.${sql.id(dealerColumn)} as dealer_id, ${firstAndLastMonth(monthColumn, 't')}
      from ${target} t join ${sql.id(STAGE)} s
        on ${sql.join(
          spec.key.map((k) => sql`${sql.ref(`t.${k}`)} = ${sql.ref(`s.${k}`)}`),
          sql` and `,
        )}
      where t.tenant_id = ${tenantId} and not s.bad
      group by 1`.execute(db);
    for (const r of before.rows) {
      dealerIds.add(r.dealer_id);
      span.add(r.first, r.last);
    }
  }
  let inserted = 0;
  let updated = 0;
  const changedIds: number[] = [];
  for (let pass = 1; ; pass++) {
    if (selfRef) {
      const codeColumn = CODE_COLUMN[spec.table as RefTable];
      const ready = await sql<{ n: number }>`
        with r as (
          update ${sql.id(STAGE)} s set pass = ${pass}
          where not s.bad and s.pass is null and (
            ${sql.ref(`s.${selfRef.spec.field}`)} is null or exists (
              select 1 from ${target} p
              where p.tenant_id = ${tenantId} and ${sql.ref(`p.${codeColumn}`)} = ${sql.ref(`s.${selfRef.spec.field}`)}))
          returning 1)
        select count(*)::int as n from r`.execute(db);
      if ((ready.rows[0]?.n ?? 0) === 0) {
        const left = await sql<{ row_no: number }>`
          select row_no from ${sql.id(STAGE)} where not bad and pass is null order by row_no limit 5`.execute(
          db,
        );
        if (left.rows.length > 0) {
          throw new Error(
            `rows ${left.rows.map((r) => r.row_no).join(', ')} name parents that form a cycle`,
          );
        }
        break;
      }
    }
    // Counted in SQL: a million written rows need not come back to be counted. xmax is 0 on
    // a row this statement inserted, our transaction's id on one it updated; rows the WHERE
    // leaves alone (unchanged) are not returned at all.
    const statement = sql<{
      first: string | null;
      last: string | null;
      inserted: number;
      updated: number;
      dealer_ids: number[];
      changed_ids: number[];
    }>`
      with w as (
        insert into ${target} (tenant_id, ${sql.join(columns.map((c) => sql.id(c)))})
        select ${tenantId}, ${sql.join(selectList)}
        from ${sql.id(STAGE)} s ${sql.join(joins, sql` `)}
        where not s.bad ${selfRef ? sql`and s.pass = ${pass}` : sql``}
        on conflict (tenant_id, ${sql.join(keyColumns.map((c) => sql.id(c)))}) do update
          set ${sql.join(setList)}
          where (${sql.join(valueColumns.map((c) => sql`${target}.${sql.id(c)}`))})
            is distinct from (${sql.join(valueColumns.map((c) => sql`excluded.${sql.id(c)}`))})
        returning (xmax = 0) as inserted,
          ${dealerColumn ? sql.id(dealerColumn) : sql`null::bigint`} as dealer_id, id,
          ${monthColumn ? sql.id(monthColumn) : sql`null::date`} as on_date)
      select ${firstAndLastMonth(monthColumn, 'w', 'on_date')},
        count(*) filter (where inserted)::int as inserted,
        count(*) filter (where not inserted)::int as updated,
        coalesce(json_agg(distinct dealer_id) filter (where dealer_id is not null), '[]') as dealer_ids,
        ${
          // Only a product's changes reach further (its buyers' rollups); products are few.
          spec.table === 'product'
            ? sql`coalesce(json_agg(id) filter (where not inserted), '[]')`
            : sql`'[]'::json`
        } as changed_ids
      from w`;
    // The references were locked and checked once per distinct row (holdReferences): the
    // engine's row-by-row foreign-key triggers would only repeat that, a million times.
    const written = referencesHeld
      ? await withoutRowTriggers(db, () => statement.execute(db))
      : await statement.execute(db);
    const counts = written.rows[0]!;
    span.add(counts.first, counts.last);
    inserted += counts.inserted;
    updated += counts.updated;
    changedIds.push(...counts.changed_ids);
    for (const id of counts.dealer_ids) dealerIds.add(id);
    if (!selfRef) break;
  }
  if (spec.table === 'product' && changedIds.length > 0) {
    // A product's category or launch date feeds its dealers' rollups.
    const touched = await sql<{ dealer_id: number }>`
      select distinct dealer_id from order_line
      where tenant_id = ${tenantId} and product_id = any(${sql.val(changedIds)}::bigint[])`.execute(
      db,
    );
    for (const r of touched.rows) dealerIds.add(r.dealer_id);
  }
  return {
    inserted,
    updated,
    dealerIds: [...dealerIds].sort((a, b) => a - b),
    // A product's changes reach every month of its buyers; kinds without a month, all months.
    months: monthColumn ? span.range() : null,
  };
}

/** The first and last month (`YYYY-MM-01`) of a date column over a query's rows. */
function firstAndLastMonth(
  column: string | null,
  alias: string,
  name: string | null = column,
): RawBuilder<unknown> {
  if (column === null || name === null) return sql`null::text as first, null::text as last`;
  const ref = sql.ref(`${alias}.${name}`);
  return sql`to_char(min(${ref}), 'YYYY-MM-01') as first, to_char(max(${ref}), 'YYYY-MM-01') as last`;
}

/** The smallest range of months that holds every range added (`YYYY-MM-01` sorts as text). */
class MonthSpan {
  private first: string | null = null;
  private last: string | null = null;

  add(first: string | null, last: string | null): void {
    if (first !== null && (this.first === null || first < this.first)) this.first = first;
    if (last !== null && (this.last === null || last > this.last)) this.last = last;
  }

  /** The range, or null when nothing was added. */
  range(): { from: string; to: string } | null {
    return this.first === null || this.last === null ? null : { from: this.first, to: this.last };
  }
}
