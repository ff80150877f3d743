import { Readable, type TransformCallback } from 'node:stream';
import { CsvError, Parser, type Options } from 'csv-parse';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { DomainError } from '@tierline/core';
import type { ImportErrorReason } from '@tierline/contract';
import { refusal } from './values.js';
import { ZipGuard, type GuardProblem, type ZipLimits } from './zip-guard.js';

/** One data row of a file: its row number in the file (1 = first line) and its cells. */
export interface SourceRow {
  row: number;
  cells: (string | null)[];
}

export interface SourceInfo {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
}

export interface Source {
  info: SourceInfo;
  /** The header row's cells, when the file has one. */
  header: string[] | null;
  /** The data rows in batches, as the parser hands them out (read this or `rows`, once). */
  batches: AsyncIterable<readonly SourceRow[]>;
  /** The data rows one by one (read this or `batches`, once). */
  rows: AsyncIterable<SourceRow>;
}

export interface SourceOptions {
  fileName: string;
  header: boolean;
  encoding?: string | undefined;
  delimiter?: string | undefined;
  sheet?: string | undefined;
}

/**
 * A file that cannot be read at all: the message names the file and, where known, the row;
 * the details hold both and the reason as a code (`why`) for clients in other languages.
 */
export function fileError(
  fileName: string,
  message: string,
  why: ImportErrorReason,
  row?: number,
): DomainError {
  return new DomainError(
    'validation_failed',
    `${fileName}${row === undefined ? '' : `, row ${row}`}: ${message}`,
    { file: fileName, row: row ?? null, ...why },
  );
}

const SAMPLE_BYTES = 64 * 1024;
/** CSV records handed out at a time, at most (a batch also ends with its chunk of input). */
const CSV_BATCH_ROWS = 256;
/** A CSV record longer than this is refused (a binary file, or a missing closing quote). */
const MAX_RECORD_BYTES = 1024 * 1024;
/** Cells an XLSX may hold; beyond it the file is refused (a decompression bomb). */
const MAX_XLSX_CELLS = 50_000_000;
/**
 * What an XLSX may expand to. Excel's sheets compress 5–30 times (a sheet of identical rows
 * 13, of empty formatted rows 28); a ZIP bomb, about 1,000 times. Shared strings are kept in
 * memory while the sheet is read, so they get a cap of their own.
 */
const XLSX_LIMITS: ZipLimits = {
  maxBytes: 2 * 1024 ** 3,
  maxEntryBytes: { 'xl/sharedStrings.xml': 256 * 1024 ** 2 },
  maxRatio: 100,
  ratioAfter: 16 * 1024 ** 2,
};
const ENCODINGS = new Map([
  ['utf8', 'utf-8'],
  ['utf-8', 'utf-8'],
  ['utf16le', 'utf-16le'],
  ['utf-16le', 'utf-16le'],
  ['utf16be', 'utf-16be'],
  ['utf-16be', 'utf-16be'],
  ['gbk', 'gbk'],
  ['gb2312', 'gbk'],
  ['gb18030', 'gb18030'],
  ['cp936', 'gbk'],
]);

/** The first `n` bytes of a stream, and the stream again from its start. */
async function peek(input: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  while (size < n) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, stream: Readable.from(replay(), { objectMode: false }) };
}

function isUtf8(bytes: Buffer): boolean {
  // Cut a multi-byte sequence that the sample boundary split.
  let end = bytes.length;
  for (let i = Math.max(0, end - 3); i < end; i++) {
    const byte = bytes[i]!;
    if (byte >= 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (i + need > end) end = i;
      break;
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Which encoding the bytes are in: the BOM, else UTF-8 when they decode as such, else
 * GB18030. Text that is mostly UTF-8 with a few bad sequences (rows pasted from a GBK file)
 * is read as UTF-8, so that the rows at fault are reported instead of every row garbled.
 */
export function detectEncoding(head: Buffer): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (isUtf8(head)) return 'utf-8';
  // GBK read as UTF-8 gives about one valid character in ten and the rest undecodable.
  let valid = 0;
  let undecodable = 0;
  for (const char of new TextDecoder('utf-8').decode(head)) {
    if (char === '\uFFFD') undecodable++;
    else if (char.charCodeAt(0) > 0x7f) valid++;
  }
  return valid >= 4 * undecodable ? 'utf-8' : 'gb18030';
}

/** What a file that is neither CSV nor XLSX is, from its first bytes; null when it may be text. */
function notText(head: Buffer): { message: string; why: ImportErrorReason } | null {
  const hex = head.subarray(0, 8).toString('hex');
  if (hex.startsWith('d0cf11e0a1b11ae1')) {
    return {
      message:
        'is an old Excel .xls workbook (or a password-protected one), which Tierline does not read: save it as XLSX or CSV',
      why: refusal('old_xls', {}),
    };
  }
  // Magic bytes, what the file is, and its format's name in any language.
  const kinds: [string, string, string][] = [
    ['1f8b', 'a gzip archive', 'gzip'],
    ['25504446', 'a PDF document', 'PDF'],
    ['89504e47', 'a PNG image', 'PNG'],
    ['ffd8ff', 'a JPEG image', 'JPEG'],
    ['47494638', 'a GIF image', 'GIF'],
    ['504b0506', 'an empty ZIP archive', 'ZIP'],
    ['52617221', 'a RAR archive', 'RAR'],
    ['377abcaf', 'a 7-Zip archive', '7-Zip'],
  ];
  const kind = kinds.find(([magic]) => hex.startsWith(magic));
  if (kind) {
    return {
      message: `is not a CSV or XLSX file (it is ${kind[1]}); save it as CSV or XLSX`,
      why: refusal('not_csv_or_xlsx', { format: kind[2] }),
    };
  }
  const start = head
    .subarray(0, 256)
    .toString('latin1')
    .replace(/^(\xef\xbb\xbf|\s)+/, '');
  if (/^<(\?xml|!doctype|html|head|body|table)\b/i.test(start)) {
    return {
      message:
        'is an HTML or XML file, not CSV or XLSX (a web page or an export saved as .xls?): open it in Excel and save it as XLSX or CSV',
      why: refusal('html_file', {}),
    };
  }
  return null;
}

/** The delimiter that splits the sample's lines most consistently. */
export function detectDelimiter(sample: string): string {
  const lines = sample
    .split(/\r?\n/)
    .slice(0, 50)
    .filter((l) => l.trim() !== '');
  if (lines.length > 1 && sample.length >= SAMPLE_BYTES / 2) lines.pop(); // maybe cut short
  let best = ',';
  let bestScore = 0;
  for (const delimiter of [',', '\t', '|', ';']) {
    const counts = lines.map((l) => l.split(delimiter).length - 1);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length / counts.length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

function cellText(value: ExcelJS.CellValue): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    // Excel stores dates without a zone; exceljs reads them as UTC.
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) {
      const formula = 'formula' in value ? value.formula : value.sharedFormula;
      return `=${String(formula)}`;
    }
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return String(value.error);
  }
  return JSON.stringify(value);
}

/** The error of a problem the ZIP guard found. */
function guardError(fileName: string, problem: GuardProblem): DomainError {
  return fileError(fileName, problem.message, problem.why);
}

async function* xlsxRows(
  stream: Readable,
  options: SourceOptions,
  onSheet: (name: string) => void,
): AsyncGenerator<SourceRow> {
  // The reader can wait forever on a damaged ZIP and inflates whatever it is given: every
  // step races the guard, which refuses bombs, corrupt entries and files cut short.
  const guard = new ZipGuard(XLSX_LIMITS);
  stream.on('error', (error: Error) =>
    guard.fail(
      `could not be read (${error.message})`,
      refusal('read_broke_off', { detail: error.message }),
    ),
  );
  const guarded = <T>(step: Promise<T>): Promise<T> => Promise.race([step, guard.failed]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream.pipe(guard), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const seen: string[] = [];
  let found = false;
  let cells = 0;
  try {
    const sheets = reader[Symbol.asyncIterator]();
    for (;;) {
      const nextSheet = await guarded(sheets.next());
      if (nextSheet.done) break;
      const sheet = nextSheet.value;
      const name = (sheet as unknown as { name: string }).name;
      seen.push(name);
      const rows = sheet[Symbol.asyncIterator]();
      if (found || (options.sheet !== undefined && name !== options.sheet)) {
        // Drain the rows of sheets that were not asked for.
        while (!(await guarded(rows.next())).done);
        continue;
      }
      found = true;
      onSheet(name);
      for (;;) {
        const nextRow = await guarded(rows.next());
        if (nextRow.done) break;
        const row = nextRow.value;
        const values = row.values as ExcelJS.CellValue[];
        cells += values.length;
        if (cells > MAX_XLSX_CELLS) {
          throw fileError(
            options.fileName,
            `the workbook holds more than ${MAX_XLSX_CELLS.toLocaleString('en')} cells; split it`,
            refusal('xlsx_too_many_cells', { max: MAX_XLSX_CELLS }),
          );
        }
        const out = values.slice(1).map(cellText);
        if (out.every((c) => c === null || c.trim() === '')) continue;
        yield { row: row.number, cells: out };
      }
    }
  } catch (error) {
    if (guard.problem) throw guardError(options.fileName, guard.problem);
    if (error instanceof DomainError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw fileError(
      options.fileName,
      `is not a readable XLSX workbook (${detail})`,
      refusal('xlsx_unreadable', { detail }),
    );
  }
  if (guard.problem) throw guardError(options.fileName, guard.problem);
  if (!found && !guard.entries.includes('xl/workbook.xml')) {
    const names = guard.entries.filter((e) => !e.endsWith('/'));
    const entries = `${names.slice(0, 5).join(', ') || 'nothing'}${names.length > 5 ? ', …' : ''}`;
    throw fileError(
      options.fileName,
      `is a ZIP archive but not an XLSX workbook (it holds ${entries})`,
      refusal('zip_not_xlsx', { entries }),
    );
  }
  if (!found) {
    throw options.sheet === undefined
      ? fileError(options.fileName, 'the workbook has no sheet', refusal('no_sheet', {}))
      : fileError(
          options.fileName,
          `has no sheet "${options.sheet}" (sheets: ${seen.join(', ') || 'none'})`,
          refusal('sheet_not_found', { sheet: options.sheet, sheets: seen.join(', ') || '—' }),
        );
  }
}

/**
 * csv-parse's stream parser, handing out its records in batches with the line each one ends
 * on. That line is the parser's running `info.lines` at the moment it pushes the record, the
 * number its `info: true` option reports: reading it here spares a copy of the parser's state
 * per record (`info` and `on_record` make one), and a batch spares a stream read per record.
 * Batches stay small (a few hundred rows) so that rows die young: a batch that lives through
 * several garbage collections of the young generation is promoted, and memory grows.
 */
class NumberedCsvParser extends Parser {
  private batch: SourceRow[] = [];
  /**
   * The line the last record parsed ended on. The records of a chunk that fails are never
   * handed out, so a record that fails starts on the line after this one.
   */
  ended = 0;

  constructor(options: Options) {
    // Two batches waiting to be read keep the parser ahead of its reader. (The stream option
    // passes through csv-parse, which ignores options it does not know, to the Transform.)
    super({ ...options, readableHighWaterMark: 2 } as Options);
  }

  override push(record: unknown): boolean {
    if (record === null) {
      this.handOut();
      return super.push(null);
    }
    this.ended = this.info.lines;
    const cells = record as string[];
    // Rows of nothing but blanks (`;;;` lines of a spreadsheet export) are not rows.
    if (!cells.every((c) => c.trim() === '')) this.batch.push({ row: this.ended, cells });
    if (this.batch.length >= CSV_BATCH_ROWS) this.handOut();
    return true;
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    super._transform(chunk, encoding, (error?: Error | null) => {
      if (!error) this.handOut();
      callback(error);
    });
  }

  override _flush(callback: TransformCallback): void {
    super._flush((error?: Error | null) => {
      if (!error) this.handOut();
      callback(error);
    });
  }

  private handOut(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    super.push(batch);
  }
}

async function* csvBatches(
  text: Readable,
  delimiter: string,
  fileName: string,
): AsyncGenerator<SourceRow[]> {
  const parser = new NumberedCsvParser({
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
    bom: true,
  });
  text.pipe(parser);
  text.once('error', (error) => parser.destroy(error));

  try {
    for await (const batch of parser as AsyncIterable<SourceRow[]>) yield batch;
  } catch (error) {
    const ended = parser.ended;
    if (error instanceof CsvError) {
      const { lines, column } = error as CsvError & { lines?: number; column?: unknown };
      const at = typeof column === 'number' ? ` (column ${column + 1})` : '';
      const detail = error.message.replace(/^Invalid \w+: /, '');
      switch (error.code) {
        case 'CSV_MAX_RECORD_SIZE':
          throw fileError(
            fileName,
            `the record that starts on this row runs past ${MAX_RECORD_BYTES / 1024} KiB: a quote that is never closed, or a binary file`,
            refusal('record_too_long', { max: MAX_RECORD_BYTES / 1024 }),
            ended + 1,
          );
        case 'CSV_QUOTE_NOT_CLOSED':
          throw fileError(
            fileName,
            'a quoted field that starts on this row is never closed (the file may be cut short)',
            refusal('quote_not_closed', {}),
            ended + 1,
          );
        case 'INVALID_OPENING_QUOTE':
          throw fileError(
            fileName,
            `a quote inside a field that does not start with one${at}: put the whole field in quotes and double the quotes inside it`,
            typeof column === 'number'
              ? refusal('quote_inside_field', { column: column + 1 })
              : refusal('csv_unreadable', { detail }),
            lines,
          );
        case 'CSV_INVALID_CLOSING_QUOTE':
          throw fileError(
            fileName,
            `text after the closing quote of a field${at}: double the quotes inside a quoted field`,
            typeof column === 'number'
              ? refusal('text_after_quote', { column: column + 1 })
              : refusal('csv_unreadable', { detail }),
            lines,
          );
        default:
          throw fileError(fileName, detail, refusal('csv_unreadable', { detail }), lines);
      }
    }
    if (error instanceof DomainError) throw error;
    // The bytes stopped coming: a broken upload, a file that cannot be read to its end.
    const detail = error instanceof Error ? error.message : String(error);
    throw fileError(
      fileName,
      `could not be read to its end (${detail})`,
      refusal('read_broke_off', { detail }),
      ended + 1,
    );
  }
}

/**
 * XLSX rows as batches of one: exceljs reads a row at a time anyway, and reading none ahead
 * keeps a damaged sheet failing where it did (a preview of its first rows still works).
 */
async function* oneByOne(rows: AsyncIterable<SourceRow>): AsyncGenerator<SourceRow[]> {
  for await (const row of rows) yield [row];
}

async function* oneAtATime(
  batches: AsyncIterable<readonly SourceRow[]>,
): AsyncGenerator<SourceRow> {
  for await (const batch of batches) yield* batch;
}

/**
 * The rows of a file as batches, the first ones taken off one at a time (the header, and the
 * first row that proves a file without a header is not blank).
 */
class RowBatches {
  private pending: SourceRow[] = [];
  constructor(private readonly iterator: AsyncIterator<SourceRow[]>) {}

  /** The next row, or undefined at the end. */
  async shift(): Promise<SourceRow | undefined> {
    while (this.pending.length === 0) {
      const next = await this.iterator.next();
      if (next.done) return undefined;
      this.pending = next.value;
    }
    return this.pending.shift();
  }

  /** Put a row taken off with {@link shift} back in front. */
  unshift(row: SourceRow): void {
    this.pending.unshift(row);
  }

  /** The source of the rows not taken off yet. */
  source(info: SourceInfo, header: string[] | null): Source {
    return {
      info,
      header,
      batches: { [Symbol.asyncIterator]: () => this.rest() },
      rows: { [Symbol.asyncIterator]: () => oneAtATime(this.rest()) },
    };
  }

  private async *rest(): AsyncGenerator<readonly SourceRow[]> {
    if (this.pending.length > 0) {
      const first = this.pending;
      this.pending = [];
      yield first;
    }
    for (;;) {
      const next = await this.iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
}

/**
 * Open a CSV or XLSX file for reading, streaming: the format from its first bytes (a ZIP is
 * XLSX), the CSV encoding from the BOM or `encoding`, else UTF-8 when the first 64 KiB decode as
 * UTF-8, else GB18030 (a superset of GBK, as Chinese Excel saves); the delimiter from the first
 * lines unless given. Refuses empty and binary files.
 */
export async function openSource(input: Readable, options: SourceOptions): Promise<Source> {
  const { head, stream } = await peek(input, SAMPLE_BYTES);
  if (head.length === 0) {
    throw fileError(options.fileName, 'the file is empty', refusal('file_empty', {}));
  }
  const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  if (isZip) {
    const info: SourceInfo = { format: 'xlsx', encoding: null, delimiter: null, sheet: null };
    const rows = new RowBatches(
      oneByOne(xlsxRows(stream, options, (name) => (info.sheet = name)))[Symbol.asyncIterator](),
    );
    const first = await rows.shift();
    if (first === undefined) {
      throw fileError(options.fileName, 'the sheet has no rows', refusal('sheet_empty', {}));
    }
    let header: string[] | null = null;
    if (options.header) header = first.cells.map((c) => c?.trim() ?? '');
    else rows.unshift(first);
    return rows.source(info, header);
  }
  const what = notText(head);
  if (what !== null) throw fileError(options.fileName, what.message, what.why);
  const encoding = options.encoding
    ? ENCODINGS.get(options.encoding.toLowerCase())
    : detectEncoding(head);
  if (encoding === undefined) {
    throw fileError(
      options.fileName,
      `unknown encoding "${options.encoding}"; use utf-8, utf-16le, utf-16be, gbk or gb18030`,
      refusal('unknown_encoding', { encoding: options.encoding ?? '' }),
    );
  }
  if (
    options.encoding &&
    (encoding === 'gbk' || encoding === 'gb18030') &&
    head.some((byte) => byte > 0x7f) &&
    isUtf8(head)
  ) {
    // GBK text that happens to be valid UTF-8 is vanishingly rare; the other way round is
    // every UTF-8 file under a saved GBK mapping, which would be read as mojibake.
    throw fileError(
      options.fileName,
      `is declared ${options.encoding}, but it is UTF-8: set the encoding to utf-8 in the mapping, or leave it out to detect it`,
      refusal('declared_encoding_is_utf8', { encoding: options.encoding }),
    );
  }
  if (!options.encoding && !encoding.startsWith('utf-16') && head.includes(0)) {
    throw fileError(
      options.fileName,
      'holds NUL bytes: it is a binary file, or UTF-16 without a byte-order mark (pass the encoding)',
      refusal('nul_bytes', {}),
    );
  }
  const sample = iconv.decode(head, encoding);
  const delimiter = options.delimiter ?? detectDelimiter(sample.replace(/^\uFEFF/, ''));
  const text = stream.pipe(iconv.decodeStream(encoding)) as unknown as Readable;
  // pipe() does not pass errors on; a reader that fails must end the parse with its error.
  stream.once('error', (error) => text.destroy(error));
  const rows = new RowBatches(
    csvBatches(text, delimiter, options.fileName)[Symbol.asyncIterator](),
  );
  const first = await rows.shift();
  if (first === undefined) {
    throw fileError(
      options.fileName,
      'the file holds no rows (it is blank)',
      refusal('file_blank', {}),
    );
  }
  let header: string[] | null = null;
  if (options.header) {
    header = first.cells.map((c) => (c ?? '').trim());
    if (header.some((c) => c.includes('\uFFFD'))) {
      throw fileError(
        options.fileName,
        `the header row holds bytes that are not valid ${encoding}: the file is in another encoding (${encoding === 'utf-8' ? 'GBK/GB18030, as Chinese Excel saves CSV? set encoding gb18030 in the mapping' : 'set the encoding in the mapping'})`,
        refusal('header_bad_encoding', { encoding }),
        first.row,
      );
    }
  } else {
    rows.unshift(first);
  }
  return rows.source({ format: 'csv', encoding, delimiter, sheet: null }, header);
}
