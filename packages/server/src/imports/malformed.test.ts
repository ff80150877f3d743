import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { crc32, deflateRawSync, constants as zlibConstants } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { DomainError } from '@tierline/core';
import {
  ImportErrorReason,
  ImportIssueCode,
  ImportMapping,
  importFileErrorParams,
  importIssueParams,
  type ImportIssue,
  type ImportKind,
  type ImportMappingInput,
  type ImportResult,
} from '@tierline/contract';
import { openStore, type Store } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { makeChannel } from '../test/factories.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { runImport } from './import.service.js';
import { ZipGuard, type ZipLimits } from './zip-guard.js';

/**
 * The malformed-input corpus of issue 3 ("Bad input"). Every file is generated here, in
 * memory, so the repository holds no binary fixtures. Each case asserts a clear error (the
 * promise rejects with a DomainError naming the file and, where it applies, the row; or the
 * import resolves as `rejected` with issues naming row, column, field and reason) and that
 * nothing was applied: the fact and master tables, the rollups and the applied batches are
 * exactly as before.
 */

/** A store and the tenant whose files are imported. */
interface Target {
  store: Store;
  tenantId: number;
}

let store: TestStore;
let main: Target;
const origin: AuditOrigin = {
  actor: { kind: 'cli', id: null, name: 'cli:malformed' },
  ip: null,
  userAgent: null,
};
const MB = 1024 * 1024;

/** A tenant with the test channel and two dealers, GZ01 and SZ01. */
async function prepare(on: Store): Promise<Target> {
  const channel = await makeChannel(on.db);
  const dealers = await runImport(on, {
    tenantId: channel.tenantId,
    mapping: ImportMapping.parse({ kind: 'dealers' }),
    fileName: 'dealers.csv',
    input: Readable.from([
      Buffer.from(
        '经销商编码,经销商名称,层级,渠道类型,区域编码,签约日期\n' +
          'GZ01,广州恒信商贸,1,wholesale,440106,2021-06-01\n' +
          'SZ01,深圳南山贸易,1,modern_trade,440305,2020-01-02\n',
      ),
    ]),
    origin,
    source: 'file',
  });
  expect(dealers.outcome).toBe('applied');
  return { store: on, tenantId: channel.tenantId };
}

beforeAll(async () => {
  store = await createTestStore();
  main = await prepare(store);
});
afterAll(async () => {
  await store.destroy();
});

// ---------------------------------------------------------------------------------------------
// Running a file and checking that nothing was applied

interface Attempt {
  kind: ImportKind;
  fileName: string;
  content: Buffer | string | (() => Readable);
  mapping?: Partial<ImportMappingInput>;
  dryRun?: boolean;
}

function start(a: Attempt, on: Target = main): Promise<ImportResult> {
  const input =
    typeof a.content === 'function'
      ? a.content()
      : Readable.from([typeof a.content === 'string' ? Buffer.from(a.content) : a.content]);
  return runImport(on.store, {
    tenantId: on.tenantId,
    mapping: ImportMapping.parse({ kind: a.kind, ...a.mapping }),
    fileName: a.fileName,
    input,
    dryRun: a.dryRun ?? false,
    origin,
    source: 'file',
  });
}

const WATCHED = ['dealer', 'product', 'order_line', 'payment', 'dealer_month'] as const;

/** Row counts of the tables an import could write, and the batches that applied anything. */
async function snapshot(on: Target = main): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of WATCHED) {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(table)} where tenant_id = ${on.tenantId}`.execute(
      on.store.db,
    );
    counts[table] = r.rows[0]!.n;
  }
  const batches = await sql<{ n: number }>`
    select count(*)::int as n from import_batch
    where tenant_id = ${on.tenantId} and outcome in ('applied', 'partially_applied')`.execute(
    on.store.db,
  );
  counts['applied batches'] = batches.rows[0]!.n;
  return counts;
}

/** The import must reject with a DomainError whose message names the file (and the row). */
async function expectRefused(a: Attempt, reason: RegExp, row?: number): Promise<DomainError> {
  const before = await snapshot();
  const error = await start(a).then(
    (result) => {
      throw new Error(
        `expected a refusal, got ${result.outcome}: ${JSON.stringify(result.issues)}`,
      );
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  const domain = error as DomainError;
  expect(domain.code).toBe('validation_failed');
  const prefix = `${a.fileName}${row === undefined ? '' : `, row ${row}`}: `;
  expect(domain.message.startsWith(prefix), `"${domain.message}" starts with "${prefix}"`).toBe(
    true,
  );
  expect(domain.message).toMatch(reason);
  expect(domain.details).toMatchObject({
    file: a.fileName,
    row: row ?? null,
  });
  // The reason as a code too (details.reason), with exactly that code's parameters.
  const { reason: code, params } = ImportErrorReason.parse(domain.details);
  expect(Object.keys(params).sort(), code).toEqual([...importFileErrorParams[code]].sort());
  expect(await snapshot()).toEqual(before);
  return domain;
}

type IssueShape = Partial<Omit<ImportIssue, 'reason'>> & { reason: RegExp };

/** The import must resolve as rejected, listing these issues (row, column, field, reason). */
async function expectRejected(a: Attempt, issues: IssueShape[]): Promise<ImportResult> {
  const before = await snapshot();
  const result = await start(a);
  expect(result.outcome).toBe('rejected');
  expect(result.fileName).toBe(a.fileName);
  expect(result).toMatchObject({ inserted: 0, updated: 0, unchanged: 0 });
  expect(result.issueCount).toBeGreaterThanOrEqual(issues.length);
  // Every issue also carries its reason as a code, with the parameters of its message.
  for (const issue of result.issues) {
    const code = ImportIssueCode.parse(issue.code);
    expect(Object.keys(issue.params ?? {}).sort(), issue.reason).toEqual(
      [...importIssueParams[code]].sort(),
    );
  }
  for (const issue of issues) {
    expect(result.issues).toContainEqual(
      expect.objectContaining({ ...issue, reason: expect.stringMatching(issue.reason) }),
    );
  }
  expect(await snapshot()).toEqual(before);
  return result;
}

// ---------------------------------------------------------------------------------------------
// File builders

const PAY_HEADER = '回款单号,经销商编码,回款日期,回款金额,发票号';
const payments = (...rows: string[]) => [PAY_HEADER, ...rows].join('\n') + '\n';
const LINE_HEADER = '订单号,行号,经销商编码,产品编码,下单日期,数量,单价,金额';
const lines = (...rows: string[]) => [LINE_HEADER, ...rows].join('\n') + '\n';

interface ZipEntry {
  name: string;
  data?: Buffer | string;
  /** Already deflated bytes, for entries too big to hold (the bomb). */
  deflated?: { bytes: Buffer; size: number; crc: number };
}

/**
 * A ZIP archive built by hand: local headers, deflated entries, central directory. With
 * `descriptors`, as streaming writers do: sizes left out of the local headers, each entry
 * followed by a data descriptor.
 */
function zip(entries: ZipEntry[], { descriptors = false } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const data = entry.data === undefined ? undefined : Buffer.from(entry.data);
    const bytes = entry.deflated?.bytes ?? deflateRawSync(data!);
    const size = entry.deflated?.size ?? data!.length;
    const crc = entry.deflated?.crc ?? crc32(data!);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(descriptors ? 0x08 : 0, 6);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    if (!descriptors) {
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(bytes.length, 18);
      local.writeUInt32LE(size, 22);
    }
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(descriptors ? 16 : 0);
    if (descriptors) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc >>> 0, 4);
      descriptor.writeUInt32LE(bytes.length, 8);
      descriptor.writeUInt32LE(size, 12);
    }
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(20, 6);
    head.writeUInt16LE(descriptors ? 0x08 : 0, 8);
    head.writeUInt16LE(8, 10);
    head.writeUInt16LE(0x21, 14);
    head.writeUInt32LE(crc >>> 0, 16);
    head.writeUInt32LE(bytes.length, 20);
    head.writeUInt32LE(size, 24);
    head.writeUInt16LE(name.length, 28);
    head.writeUInt32LE(offset, 42);
    parts.push(local, name, bytes, descriptor);
    central.push(head, name);
    offset += local.length + name.length + bytes.length + descriptor.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a one-sheet workbook around its sheet (and optional shared strings). */
function workbookParts(): ZipEntry[] {
  return [
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="回款" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
  ];
}

const inline = (ref: string, text: string) =>
  `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const SHEET_HEAD =
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN_NS}"><sheetData>` +
  `<row r="1">${inline('A1', '回款单号')}${inline('B1', '经销商编码')}${inline('C1', '回款日期')}${inline('D1', '回款金额')}</row>`;
const SHEET_TAIL = '</sheetData></worksheet>';

/**
 * A raw deflate stream that expands to `copies × block.length` bytes: the block deflated once
 * with a full flush (byte-aligned, no back-references across it), repeated, then an empty
 * final block. Built in milliseconds, whatever the size it claims.
 */
function deflatedRepeat(prefix: string, block: Buffer, copies: number, suffix: string) {
  const flush = { finishFlush: zlibConstants.Z_FULL_FLUSH, level: 9 };
  const head = deflateRawSync(Buffer.from(prefix), flush);
  const body = deflateRawSync(block, flush);
  const tail = deflateRawSync(Buffer.from(suffix));
  // The CRC covers the first block only: a reader checks it once it has inflated everything,
  // which is what a bomb must never get to.
  const crc = crc32(block, crc32(prefix));
  const bytes = Buffer.concat([head, ...Array.from({ length: copies }, () => body), tail]);
  const size = Buffer.byteLength(prefix) + copies * block.length + Buffer.byteLength(suffix);
  return { bytes, size: size > 0xffffffff ? 0xffffffff : size, crc };
}

async function xlsx(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const paymentSheet = (workbook: ExcelJS.Workbook) => {
  const sheet = workbook.addWorksheet('回款');
  sheet.addRow(['回款单号', '经销商编码', '回款日期', '回款金额']);
  for (let i = 1; i <= 200; i++) {
    sheet.addRow([`X${i}`, 'GZ01', new Date(Date.UTC(2026, 9, 9)), 12.5 + i]);
  }
};

/** Peak RSS growth while `fn` runs, sampled every 20 ms and whenever `sample` is called. */
async function measure<T>(
  fn: (sample: () => void) => Promise<T>,
): Promise<{ value: T | undefined; error: unknown; peakMB: number; seconds: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  let value: T | undefined;
  let error: unknown;
  try {
    value = await fn(sample);
  } catch (e) {
    error = e;
  } finally {
    clearInterval(timer);
    sample();
  }
  return { value, error, peakMB: (peak - base) / MB, seconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------

describe('malformed CSV: encodings', () => {
  it('1. a GBK file declared utf-8: the header is refused as undecodable', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'gbk-as-utf8.csv',
        content: iconv.encode(payments('P1,GZ01,2026-10-05,1,发票一'), 'gbk'),
        mapping: { encoding: 'utf-8' },
      },
      /header row holds bytes that are not valid utf-8.*gb18030/,
      1,
    );
  });

  it('2. GBK data under an ASCII header declared utf-8: each undecodable cell is reported', async () => {
    const file = Buffer.concat([
      Buffer.from('payment_no,dealer_code,paid_on,amount,invoice_no\n'),
      iconv.encode('P1,GZ01,2026-10-05,1,发票一\nP2,GZ01,2026-10-05,2,发票二\n', 'gbk'),
    ]);
    await expectRejected(
      {
        kind: 'payments',
        fileName: 'gbk-rows-as-utf8.csv',
        content: file,
        mapping: { encoding: 'utf8' },
      },
      [
        {
          row: 2,
          column: 'invoice_no',
          field: 'invoice_no',
          reason: /not valid in the file's encoding/,
        },
        {
          row: 3,
          column: 'invoice_no',
          field: 'invoice_no',
          reason: /not valid in the file's encoding/,
        },
      ],
    );
  });

  it('3. a UTF-8 file declared gbk is refused instead of read as mojibake', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'utf8-as-gbk.csv',
        content: payments('P1,GZ01,2026-10-05,1,发票一'),
        mapping: { encoding: 'gbk' },
      },
      /declared gbk, but it is UTF-8/,
    );
  });

  it('4. mixed encoding: UTF-8 rows, then GBK bytes in a later row: that row is reported', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `M${i + 1},GZ01,2026-10-05,1,发票${i + 1}`);
    const file = Buffer.concat([
      Buffer.from(payments(...rows.slice(0, 20))),
      iconv.encode('M21,GZ01,2026-10-05,1,发票贰拾壹\n', 'gbk'),
      Buffer.from(rows.slice(21).join('\n') + '\n'),
    ]);
    const result = await expectRejected(
      { kind: 'payments', fileName: 'mixed.csv', content: file },
      [
        {
          row: 22,
          column: '发票号',
          field: 'invoice_no',
          reason: /not valid in the file's encoding/,
        },
      ],
    );
    // The other rows were read as UTF-8, not garbled: only row 22 is wrong.
    expect(result).toMatchObject({ rows: 30, invalid: 1, issueCount: 1 });
  });

  it('5. UTF-16 without a byte-order mark is refused as binary-looking, with a hint', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'utf16-no-bom.csv',
        content: iconv.encode(payments('P1,GZ01,2026-10-05,1,'), 'utf-16le'),
      },
      /NUL bytes.*UTF-16 without a byte-order mark/,
    );
  });

  it('6. an encoding that does not exist is refused, listing the ones that do', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'latin.csv',
        content: payments('P1,GZ01,2026-10-05,1,'),
        mapping: { encoding: 'latin-9' },
      },
      /unknown encoding "latin-9"; use utf-8, utf-16le, utf-16be, gbk or gb18030/,
    );
  });
});

describe('malformed CSV: truncated, binary, empty', () => {
  it('7. a quote never closed at the end of the file (cut short)', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'open-quote.csv',
        content: payments('P1,GZ01,2026-10-05,1,INV1', 'P2,GZ01,2026-10-05,2,"INV2'),
      },
      /a quoted field that starts on this row is never closed \(the file may be cut short\)/,
      3,
    );
  });

  it('8. a quote opened mid-file and never closed: refused at the record size limit', async () => {
    const body = Array.from({ length: 40_000 }, (_, i) => `Q${i},GZ01,2026-10-05,1,INV${i}`);
    body[3] = 'Q3,GZ01,2026-10-05,1,"INV3';
    await expectRefused(
      { kind: 'payments', fileName: 'open-quote-mid.csv', content: payments(...body) },
      /the record that starts on this row runs past 1024 KiB: a quote that is never closed/,
      5,
    );
  });

  it('9. a stray quote inside an unquoted field', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'stray-quote.csv',
        content: payments('P1,GZ01,2026-10-05,1,INV"1'),
      },
      /a quote inside a field that does not start with one \(column 5\): put the whole field in quotes/,
      2,
    );
  });

  it('10. text after the closing quote of a field', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'closing-quote.csv',
        content: payments('P1,GZ01,2026-10-05,1,INV1', 'P2,"GZ01"x,2026-10-05,1,INV2'),
      },
      /text after the closing quote of a field \(column 2\)/,
      3,
    );
  });

  it('11. a UTF-8 character cut at the end of the file', async () => {
    const full = Buffer.from(payments('P1,GZ01,2026-10-05,1,INV1', 'P2,GZ01,2026-10-05,2,广州'));
    const cut = full.subarray(0, full.length - 2); // drop '\n' and the last byte of 州
    await expectRejected({ kind: 'payments', fileName: 'cut-utf8.csv', content: cut }, [
      { row: 3, column: '发票号', field: 'invoice_no', reason: /not valid in the file's encoding/ },
    ]);
  });

  it('12. PNG bytes', async () => {
    const png = Buffer.concat([
      Buffer.from('89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61', 'hex'),
      randomBytes(256),
    ]);
    await expectRefused(
      { kind: 'payments', fileName: 'logo.csv', content: png },
      /is not a CSV or XLSX file \(it is a PNG image\)/,
    );
  });

  it('13. a gzip file', async () => {
    const { gzipSync } = await import('node:zlib');
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'payments.csv.gz',
        content: gzipSync(payments('P1,GZ01,2026-10-05,1,')),
      },
      /is not a CSV or XLSX file \(it is a gzip archive\)/,
    );
  });

  it('14. an old .xls (OLE compound document)', async () => {
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    await expectRefused(
      { kind: 'payments', fileName: 'payments.xls', content: ole },
      /old Excel \.xls .*save it as XLSX or CSV/,
    );
  });

  it('15. random bytes with NULs', async () => {
    const bytes = randomBytes(4096);
    bytes[0] = 0x41; // not a known signature
    bytes[100] = 0;
    await expectRefused(
      { kind: 'payments', fileName: 'random.csv', content: bytes },
      /holds NUL bytes: it is a binary file/,
    );
  });

  it('16. an HTML table saved as .xls (what many web exports are)', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'export.xls',
        content:
          '<html><head><meta charset="utf-8"></head><body><table><tr><td>回款单号</td></tr></table></body></html>',
      },
      /is an HTML or XML file, not CSV or XLSX/,
    );
  });

  it('17. an empty file', async () => {
    await expectRefused(
      { kind: 'payments', fileName: 'empty.csv', content: Buffer.alloc(0) },
      /the file is empty/,
    );
  });

  it('18. a file of blank lines and spaces', async () => {
    await expectRefused(
      { kind: 'payments', fileName: 'blank.csv', content: '  \r\n\t\n\n   \n' },
      /the file holds no rows \(it is blank\)/,
    );
  });

  it('19. a CSV with only a byte-order mark', async () => {
    await expectRefused(
      { kind: 'payments', fileName: 'bom.csv', content: Buffer.from([0xef, 0xbb, 0xbf]) },
      /the file holds no rows \(it is blank\)/,
    );
  });

  it('20. a header and no data rows', async () => {
    await expectRejected({ kind: 'payments', fileName: 'header-only.csv', content: PAY_HEADER }, [
      { row: null, column: null, field: null, value: null, reason: /a header but no data rows/ },
    ]);
  });
});

describe('malformed CSV: shape', () => {
  it('21. a semicolon file read with delimiter "," from the mapping', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'semicolon.csv',
        content: '回款单号;经销商编码;回款日期;回款金额\nP1;GZ01;2026-10-05;1\n',
        mapping: { delimiter: ',' },
      },
      /no column for payment_no.*the header is one column, .*: is the delimiter ";"\? Set delimiter in the mapping/,
    );
  });

  it('22. required columns missing from the header', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'missing-columns.csv',
        content: '回款单号,回款金额\nP1,1\n',
      },
      /no column for dealer_code \(经销商编码\), paid_on \(回款日期\); the header has 回款单号, 回款金额/,
    );
  });

  it('23. extra cells on some rows', async () => {
    await expectRejected(
      {
        kind: 'payments',
        fileName: 'extra-cells.csv',
        content: payments('P1,GZ01,2026-10-05,1,INV1', 'P2,GZ01,2026-10-05,1,000,INV2,x'),
      },
      [{ row: 3, column: '#6', field: null, reason: /has 7 cells but the header has 5 columns/ }],
    );
  });

  it('24. a row with fewer cells than the required fields need', async () => {
    await expectRejected(
      {
        kind: 'payments',
        fileName: 'short-row.csv',
        content: payments('P1,GZ01,2026-10-05,1,INV1', 'P2,GZ01'),
      },
      [
        {
          row: 3,
          column: '回款日期',
          field: 'paid_on',
          reason: /is missing: the row has 2 cells of 5/,
        },
        { row: 3, column: '回款金额', field: 'amount', reason: /is missing/ },
      ],
    );
  });

  it('25. a mapping column position past the end of the rows (no header)', async () => {
    await expectRejected(
      {
        kind: 'payments',
        fileName: 'positions.csv',
        content: 'P1|GZ01|2026-10-05\n',
        mapping: {
          header: false,
          fields: {
            payment_no: { column: 1 },
            dealer_code: { column: 2 },
            paid_on: { column: 3 },
            amount: { column: 9 },
          },
        },
      },
      [{ row: 1, column: 'column 9', field: 'amount', reason: /is missing: the row has 3 cells/ }],
    );
  });
});

describe('malformed CSV: values', () => {
  it('26. impossible and ambiguous dates, and text for a date', async () => {
    await expectRejected(
      {
        kind: 'payments',
        fileName: 'dates.csv',
        content: payments(
          'D1,GZ01,2026-02-30,1,',
          'D2,GZ01,31/12/2026,1,',
          'D3,GZ01,next tuesday,1,',
          'D4,GZ01,2026-10-05,1,',
        ),
      },
      [
        {
          row: 2,
          column: '回款日期',
          field: 'paid_on',
          value: '2026-02-30',
          reason: /is not a date/,
        },
        {
          row: 3,
          field: 'paid_on',
          value: '31/12/2026',
          reason: /is not a date.*give dateFormat in the mapping/,
        },
        { row: 4, field: 'paid_on', value: 'next tuesday', reason: /is not a date/ },
      ],
    );
  });

  it('27. a date that does not exist in the mapping’s dateFormat', async () => {
    await expectRejected(
      {
        kind: 'payments',
        fileName: 'date-format.csv',
        content: payments('F1,GZ01,31/02/2026,1,', 'F2,GZ01,2026-10-05,1,'),
        mapping: { fields: { paid_on: { dateFormat: 'dd/MM/yyyy' } } },
      },
      [
        {
          row: 2,
          field: 'paid_on',
          reason: /is not a date: "31\/02\/2026" \(expected dd\/MM\/yyyy\)/,
        },
        {
          row: 3,
          field: 'paid_on',
          reason: /is not a date: "2026-10-05" \(expected dd\/MM\/yyyy\)/,
        },
      ],
    );
  });

  it('28. negative amounts', async () => {
    await expectRejected(
      {
        kind: 'payments',
        fileName: 'negative.csv',
        content: payments('N1,GZ01,2026-10-05,-5,', 'N2,GZ01,2026-10-05,(12.00),'),
      },
      [
        {
          row: 2,
          column: '回款金额',
          field: 'amount',
          value: '-5',
          reason: /must not be negative/,
        },
        { row: 3, field: 'amount', value: '(12.00)', reason: /must not be negative/ },
      ],
    );
  });

  it('29. duplicate keys within the file', async () => {
    await expectRejected(
      {
        kind: 'order_lines',
        fileName: 'duplicates.csv',
        content: lines(
          'SO1,1,GZ01,SKU-1,2026-10-01,1,3.00,3.00',
          'SO1,2,GZ01,SKU-2,2026-10-01,1,3.00,3.00',
          'SO1,1,SZ01,SKU-3,2026-10-02,1,3.00,3.00',
        ),
      },
      [
        {
          row: 4,
          column: null,
          field: 'order_no, line_no',
          value: 'order_no=SO1, line_no=1',
          reason: /duplicate key: row 2 has the same order_no, line_no/,
        },
      ],
    );
  });

  it('30. unknown dealers and unknown products', async () => {
    await expectRejected(
      {
        kind: 'order_lines',
        fileName: 'unknown.csv',
        content: lines(
          'SO2,1,GZ99,SKU-1,2026-10-01,1,3.00,3.00',
          'SO2,2,GZ01,SKU-404,2026-10-01,1,3.00,3.00',
        ),
      },
      [
        {
          row: 2,
          column: '经销商编码',
          field: 'dealer_code',
          reason: /unknown dealer code "GZ99"/,
        },
        { row: 3, column: '产品编码', field: 'sku', reason: /unknown product SKU "SKU-404"/ },
      ],
    );
  });

  it('31. cells that start with =, +, -, @ or a tab before a formula', async () => {
    await expectRejected(
      {
        kind: 'payments',
        fileName: 'formulas.csv',
        content: payments(
          'E1,GZ01,2026-10-05,1,"=HYPERLINK(""http://x"",""y"")"',
          "E2,GZ01,2026-10-05,1,+cmd|' /C calc'!A0",
          "E3,GZ01,2026-10-05,1,-2+3+cmd|' /C calc'!A0",
          "E4,GZ01,2026-10-05,1,@SUM(1+1)*cmd|' /C calc'!A0",
          'E5,GZ01,2026-10-05,1,"\t=1+1"',
          'E6,GZ01,2026-10-05,=1+1,',
          'E7,=GZ01,2026-10-05,1,',
        ),
      },
      [
        { row: 2, column: '发票号', field: 'invoice_no', reason: /formula \(it starts with "="\)/ },
        { row: 3, field: 'invoice_no', reason: /formula \(it starts with "\+"\)/ },
        { row: 4, field: 'invoice_no', reason: /formula \(it starts with "-"\)/ },
        { row: 5, field: 'invoice_no', reason: /formula \(it starts with "@"\)/ },
        { row: 6, field: 'invoice_no', reason: /formula \(it starts with "="\)/ },
        { row: 7, column: '回款金额', field: 'amount', reason: /formula/ },
        { row: 8, column: '经销商编码', field: 'dealer_code', reason: /formula/ },
      ],
    );
  });

  it('32. a number with garbage, and numbers out of range', async () => {
    await expectRejected(
      {
        kind: 'payments',
        fileName: 'numbers.csv',
        content: payments('G1,GZ01,2026-10-05,12abc,', 'G2,GZ01,2026-10-05,1e30,'),
      },
      [
        { row: 2, field: 'amount', value: '12abc', reason: /is not a number: "12abc"/ },
        { row: 3, field: 'amount', value: '1e30', reason: /is out of range/ },
      ],
    );
  });

  it('33. an integer field with decimals', async () => {
    await expectRejected(
      {
        kind: 'order_lines',
        fileName: 'decimals.csv',
        content: lines(
          'SO3,1.5,GZ01,SKU-1,2026-10-01,1,3.00,3.00',
          'SO3,2,GZ01,SKU-1,2026-10-01,2.25,3.00,3.00',
        ),
      },
      [
        { row: 2, column: '行号', field: 'line_no', reason: /must be a whole number, not "1.5"/ },
        { row: 3, column: '数量', field: 'quantity', reason: /must be a whole number, not "2.25"/ },
      ],
    );
  });

  it('34. a value too long for its field', async () => {
    await expectRejected(
      {
        kind: 'payments',
        fileName: 'long.csv',
        content: payments(`${'L'.repeat(65)},GZ01,2026-10-05,1,`),
      },
      [{ row: 2, column: '回款单号', field: 'payment_no', reason: /is longer than 64 characters/ }],
    );
  });

  it('35. an enum value that is not allowed', async () => {
    await expectRejected(
      {
        kind: 'dealers',
        fileName: 'status.csv',
        content:
          '经销商编码,经销商名称,渠道类型,区域编码,签约日期,状态\nGZ77,某商贸,wholesale,440106,2021-06-01,frozen\n',
      },
      [
        {
          row: 2,
          column: '状态',
          field: 'status',
          value: 'frozen',
          reason: /must be one of active, probation, suspended, terminated, not "frozen"/,
        },
      ],
    );
  });
});

describe('malformed XLSX', () => {
  it('36. a corrupted ZIP: bytes overwritten inside the sheet', async () => {
    const good = await xlsx(paymentSheet);
    const bad = Buffer.from(good);
    const at = bad.indexOf('xl/worksheets/sheet1.xml');
    expect(at).toBeGreaterThan(0);
    bad.fill(0xff, at + 60, at + 400);
    await expectRefused(
      { kind: 'payments', fileName: 'corrupt.xlsx', content: bad },
      /is not a readable XLSX workbook/,
    );
  }, 20_000);

  it('37. an XLSX cut in half', async () => {
    const good = await xlsx(paymentSheet);
    const error = await expectRefused(
      {
        kind: 'payments',
        fileName: 'half.xlsx',
        content: good.subarray(0, Math.floor(good.length / 2)),
      },
      /is not a readable XLSX workbook.*cut short/,
    );
    expect(error.details).toMatchObject({ reason: 'xlsx_cut_short', params: {} });
  }, 20_000);

  it('38. a ZIP that is not a workbook', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'photos.xlsx',
        content: zip([
          { name: 'readme.txt', data: 'hello' },
          { name: 'photo.jpg', data: randomBytes(1000) },
        ]),
      },
      /is a ZIP archive but not an XLSX workbook \(it holds readme\.txt, photo\.jpg\)/,
    );
  }, 20_000);

  it('39. an XLSX whose named sheet does not exist', async () => {
    await expectRefused(
      {
        kind: 'payments',
        fileName: 'sheets.xlsx',
        content: await xlsx(paymentSheet),
        mapping: { sheet: '付款' },
      },
      /has no sheet "付款" \(sheets: 回款\)/,
    );
  });

  it('40. an XLSX with formula cells', async () => {
    const book = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('回款');
      sheet.addRow(['回款单号', '经销商编码', '回款日期', '回款金额', '发票号']);
      sheet.addRow(['X1', 'GZ01', '2026-10-05', { formula: '1+1', result: 2 }, 'INV1']);
      sheet.addRow(['X2', 'GZ01', '2026-10-05', 3, { formula: 'A2&"x"', result: 'X1x' }]);
    });
    await expectRejected({ kind: 'payments', fileName: 'formula.xlsx', content: book }, [
      { row: 2, column: '回款金额', field: 'amount', value: '=1+1', reason: /formula/ },
      { row: 3, column: '发票号', field: 'invoice_no', value: '=A2&"x"', reason: /formula/ },
    ]);
  });

  it('41. an XLSX whose sheet expands to 3 GiB (a decompression bomb): refused quickly, memory bounded', async () => {
    const row = `<row r="2">${inline('A2', 'B1')}${inline('B2', 'GZ01')}${inline('C2', '2026-10-05')}${inline('D2', '1')}</row>`;
    const block = Buffer.from(row.repeat(Math.ceil((16 * MB) / row.length)));
    const copies = Math.ceil((3 * 1024 * MB) / block.length);
    const sheet = deflatedRepeat(SHEET_HEAD, block, copies, SHEET_TAIL);
    const bomb = zip([...workbookParts(), { name: 'xl/worksheets/sheet1.xml', deflated: sheet }]);
    expect(bomb.length).toBeLessThan(16 * MB);
    const run = await measure(() =>
      expectRefused(
        { kind: 'payments', fileName: 'bomb.xlsx', content: bomb },
        /xl\/worksheets\/sheet1\.xml expands more than 100 times.*decompression bomb/,
      ),
    );
    console.log(
      `zip bomb (${(bomb.length / MB).toFixed(1)} MB → ${((copies * block.length) / 1024 / MB).toFixed(1)} GiB): refused in ${run.seconds.toFixed(2)} s, RSS growth ${run.peakMB.toFixed(0)} MB`,
    );
    if (run.error) throw run.error as Error;
    expect(run.value?.details).toMatchObject({
      reason: 'xlsx_bomb',
      params: { entry: 'xl/worksheets/sheet1.xml' },
    });
    expect(run.seconds).toBeLessThan(10);
    expect(run.peakMB).toBeLessThan(300);
  }, 60_000);

  it('42. an XLSX whose shared strings expand to gigabytes: refused before they fill memory', async () => {
    const block = Buffer.from(
      '<si><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></si>'.repeat(
        200_000,
      ),
    );
    const copies = Math.ceil((2 * 1024 * MB) / block.length);
    const strings = deflatedRepeat(
      `<?xml version="1.0"?><sst xmlns="${MAIN_NS}">`,
      block,
      copies,
      '</sst>',
    );
    const bomb = zip([
      ...workbookParts(),
      { name: 'xl/sharedStrings.xml', deflated: strings },
      { name: 'xl/worksheets/sheet1.xml', data: SHEET_HEAD + SHEET_TAIL },
    ]);
    const run = await measure(() =>
      expectRefused(
        { kind: 'payments', fileName: 'strings-bomb.xlsx', content: bomb },
        /xl\/sharedStrings\.xml expands more than 100 times/,
      ),
    );
    console.log(
      `shared-strings bomb: refused in ${run.seconds.toFixed(2)} s, RSS growth ${run.peakMB.toFixed(0)} MB`,
    );
    if (run.error) throw run.error as Error;
    expect(run.peakMB).toBeLessThan(300);
  }, 60_000);
});

describe('XLSX written by streaming writers (data descriptors)', () => {
  it('43. a bomb whose sizes are only in data descriptors, arriving in 64 KiB chunks, before the workbook parts', async () => {
    const row = `<row r="2">${inline('A2', 'B1')}${inline('B2', 'GZ01')}${inline('C2', '2026-10-05')}${inline('D2', '1')}</row>`;
    const block = Buffer.from(row.repeat(Math.ceil((16 * MB) / row.length)));
    const sheet = deflatedRepeat(SHEET_HEAD, block, 256, SHEET_TAIL);
    // The sheet first and no shared strings: the reader would spool it to a temporary file.
    const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', deflated: sheet }, ...workbookParts()], {
      descriptors: true,
    });
    const chunks = () =>
      Readable.from(
        (function* () {
          for (let at = 0; at < bomb.length; at += 64 * 1024)
            yield bomb.subarray(at, at + 64 * 1024);
        })(),
      );
    const run = await measure(() =>
      expectRefused(
        { kind: 'payments', fileName: 'streamed-bomb.xlsx', content: chunks },
        /xl\/worksheets\/sheet1\.xml expands more than 100 times/,
      ),
    );
    if (run.error) throw run.error as Error;
    expect(run.seconds).toBeLessThan(10);
    expect(run.peakMB).toBeLessThan(300);
  }, 60_000);

  it('44. a good workbook from a streaming writer still reads (the guard frames descriptors right)', async () => {
    const sink = new PassThrough();
    const parts: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => parts.push(chunk));
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true });
    const sheet = writer.addWorksheet('回款');
    sheet.addRow(['回款单号', '经销商编码', '回款日期', '回款金额']).commit();
    for (let i = 1; i <= 5000; i++) sheet.addRow([`S${i}`, 'GZ01', '2026-10-05', i]).commit();
    sheet.commit();
    await writer.commit();
    const book = Buffer.concat(parts);
    expect(book.readUInt16LE(6) & 0x08).toBe(0x08); // sizes in data descriptors
    const before = await snapshot();
    const result = await start({
      kind: 'payments',
      fileName: 'streamed.xlsx',
      content: book,
      dryRun: true,
    });
    expect(result).toMatchObject({ outcome: 'validated', rows: 5000, invalid: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('45. the guard’s absolute caps: the whole workbook, and shared strings on their own', async () => {
    const noise = randomBytes(3 * MB).toString('base64'); // barely compressible: no ratio alarm
    const run = async (limits: ZipLimits, entries: ZipEntry[]) => {
      const guard = new ZipGuard(limits);
      Readable.from([zip(entries)])
        .pipe(guard)
        .resume();
      return guard.failed.then(
        () => 'passed',
        (error: Error) => error.message,
      );
    };
    const generous = { maxRatio: 100, ratioAfter: 16 * MB, maxEntryBytes: {} };
    expect(
      await run({ ...generous, maxBytes: 2 * MB }, [
        { name: 'xl/worksheets/sheet1.xml', data: noise },
      ]),
    ).toBe('the workbook expands to more than 2,097,152 bytes; split it');
    expect(
      await run({ ...generous, maxBytes: 64 * MB, maxEntryBytes: { 'xl/sharedStrings.xml': MB } }, [
        { name: 'xl/sharedStrings.xml', data: noise },
      ]),
    ).toBe('xl/sharedStrings.xml expands to more than 1,048,576 bytes; split the workbook');
  });
});

/**
 * 100 MB by default (`MALFORMED_CSV_MB` sets another size). On PGlite the import runs against
 * a database in a temporary directory, as `tierline serve` keeps it: the in-memory PGlite of
 * the other tests holds its staging table in the process's own memory, which would measure the
 * database, not the import.
 */
const CSV_MB = Number(process.env['MALFORMED_CSV_MB'] ?? 100);

describe(`a ${CSV_MB} MB CSV`, () => {
  let big: Target;
  let dir: string | undefined;
  let own: Store | undefined;
  beforeAll(async () => {
    if (store.engine === 'pglite') {
      dir = mkdtempSync(join(tmpdir(), 'tierline-malformed-'));
      own = await openStore({ dataDir: dir });
      await migrateToLatest(own.db);
      big = await prepare(own);
    } else {
      big = main;
    }
  });
  afterAll(async () => {
    await own?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`46. streams ${CSV_MB} MB of order lines with one bad row near the end: rejected naming that row, memory bounded`, async () => {
    const target = CSV_MB * MB;
    const header = LINE_HEADER + '\n';
    const line = (i: number) =>
      `SO${String(i).padStart(9, '0')},${(i % 9) + 1},${i % 2 ? 'GZ01' : 'SZ01'},SKU-${(i % 3) + 1},2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},${(i % 50) + 1},3.00,${(((i % 50) + 1) * 3).toFixed(2)}\n`;
    let total = 0;
    for (let bytes = header.length; bytes < target;) bytes += line(++total).length; // ASCII
    const badAt = total - 1000; // a data row; its row in the file is one more (the header)
    const bad = line(badAt).replace(/2026-\d\d-\d\d/, '2026-02-30');
    let sample = () => {};
    let produced = 0;
    const content = () =>
      Readable.from(
        (function* () {
          yield Buffer.from(header);
          produced += header.length;
          let chunk: string[] = [];
          for (let i = 1; i <= total; i++) {
            chunk.push(i === badAt ? bad : line(i));
            if (chunk.length === 8192 || i === total) {
              const bytes = Buffer.from(chunk.join(''));
              produced += bytes.length;
              chunk = [];
              sample();
              yield bytes;
            }
          }
        })(),
      );
    const before = await snapshot(big);
    const run = await measure((s) => {
      sample = s;
      return start({ kind: 'order_lines', fileName: 'big.csv', content }, big);
    });
    console.log(
      `${CSV_MB} MB CSV on ${store.engine}: ${(produced / MB).toFixed(1)} MiB, ${total.toLocaleString('en')} rows in ${run.seconds.toFixed(1)} s (${Math.round(total / run.seconds).toLocaleString('en')} rows/s), RSS growth ${run.peakMB.toFixed(0)} MB`,
    );
    if (run.error) throw run.error as Error;
    const result = run.value!;
    expect(produced).toBeGreaterThanOrEqual(target);
    expect(result).toMatchObject({
      outcome: 'rejected',
      fileName: 'big.csv',
      rows: total,
      invalid: 1,
      inserted: 0,
      issueCount: 1,
    });
    expect(result.issues).toEqual([
      {
        row: badAt + 1,
        column: '下单日期',
        field: 'ordered_on',
        value: '2026-02-30',
        reason: expect.stringMatching(/is not a date/),
        code: 'not_a_date',
        params: { value: '2026-02-30' },
      },
    ]);
    expect(await snapshot(big)).toEqual(before);
    expect(run.peakMB).toBeLessThan(300);
  }, 600_000);
});
