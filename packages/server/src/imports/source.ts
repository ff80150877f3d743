import { Readable } from 'node:stream';
import { parse as parseCsv, CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { DomainError } from '@tierline/core';

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
  rows: AsyncIterable<SourceRow>;
}

export interface SourceOptions {
  fileName: string;
  header: boolean;
  encoding?: string | undefined;
  delimiter?: string | undefined;
  sheet?: string | undefined;
}

/** A file that cannot be read at all: the message names the file and, where known, the row. */
export function fileError(fileName: string, message: string, row?: number): DomainError {
  return new DomainError(
    'validation_failed',
    `${fileName}${row === undefined ? '' : `, row ${row}`}: ${message}`,
    { file: fileName, row: row ?? null },
  );
}

const SAMPLE_BYTES = 64 * 1024;
/** A CSV record longer than this is refused (a binary file, or a missing closing quote). */
const MAX_RECORD_BYTES = 1024 * 1024;
/** Cells an XLSX may hold; beyond it the file is refused (a decompression bomb). */
const MAX_XLSX_CELLS = 50_000_000;
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

/** Which encoding the bytes are in: the BOM, else UTF-8 when they decode as such, else GB18030. */
export function detectEncoding(head: Buffer): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return isUtf8(head) ? 'utf-8' : 'gb18030';
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

async function* xlsxRows(
  stream: Readable,
  options: SourceOptions,
  onSheet: (name: string) => void,
): AsyncGenerator<SourceRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
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
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      seen.push(name);
      if (found || (options.sheet !== undefined && name !== options.sheet)) {
        // Drain the rows of sheets that were not asked for.
        const rows = sheet[Symbol.asyncIterator]();
        while (!(await rows.next()).done);
        continue;
      }
      found = true;
      onSheet(name);
      for await (const row of sheet) {
        const values = row.values as ExcelJS.CellValue[];
        cells += values.length;
        if (cells > MAX_XLSX_CELLS) {
          throw fileError(
            options.fileName,
            `the workbook holds more than ${MAX_XLSX_CELLS.toLocaleString('en')} cells; split it`,
          );
        }
        const out = values.slice(1).map(cellText);
        if (out.every((c) => c === null || c.trim() === '')) continue;
        yield { row: row.number, cells: out };
      }
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw fileError(
      options.fileName,
      `is not a readable XLSX workbook (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!found) {
    throw fileError(
      options.fileName,
      options.sheet === undefined
        ? 'the workbook has no sheet'
        : `has no sheet "${options.sheet}" (sheets: ${seen.join(', ') || 'none'})`,
    );
  }
}

async function* csvRows(
  text: Readable,
  delimiter: string,
  fileName: string,
): AsyncGenerator<SourceRow> {
  const parser = text.pipe(
    parseCsv({
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      info: true,
      bom: true,
    }),
  );
  try {
    for await (const record of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (record.record.every((c) => c.trim() === '')) continue;
      yield { row: record.info.lines, cells: record.record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      const reason =
        error.code === 'CSV_MAX_RECORD_SIZE'
          ? `a record is longer than ${MAX_RECORD_BYTES / 1024} KiB: a binary file, or a quote that is never closed`
          : error.code === 'CSV_QUOTE_NOT_CLOSED'
            ? 'a quoted field is never closed (the file may be cut short)'
            : error.message.replace(/^Invalid \w+: /, '');
      throw fileError(fileName, reason, line);
    }
    throw error;
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
  if (head.length === 0) throw fileError(options.fileName, 'the file is empty');
  const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  if (isZip) {
    const info: SourceInfo = { format: 'xlsx', encoding: null, delimiter: null, sheet: null };
    const rows = xlsxRows(stream, options, (name) => (info.sheet = name));
    const iterator = rows[Symbol.asyncIterator]();
    let first = await iterator.next();
    if (first.done) throw fileError(options.fileName, 'the sheet has no rows');
    let header: string[] | null = null;
    if (options.header) {
      header = first.value.cells.map((c) => c?.trim() ?? '');
      first = await iterator.next();
    }
    const pending = first;
    return {
      info,
      header,
      rows: {
        async *[Symbol.asyncIterator]() {
          if (!pending.done) yield pending.value;
          for (;;) {
            const next = await iterator.next();
            if (next.done) return;
            yield next.value;
          }
        },
      },
    };
  }
  const magic = head.subarray(0, 4).toString('hex');
  if (magic.startsWith('1f8b') || magic === '25504446' || magic === 'd0cf11e0') {
    throw fileError(
      options.fileName,
      'is not a CSV or XLSX file (a compressed, PDF or old .xls file?); save it as CSV or XLSX',
    );
  }
  const encoding = options.encoding
    ? ENCODINGS.get(options.encoding.toLowerCase())
    : detectEncoding(head);
  if (encoding === undefined) {
    throw fileError(
      options.fileName,
      `unknown encoding "${options.encoding}"; use utf-8, utf-16le, utf-16be, gbk or gb18030`,
    );
  }
  if (!options.encoding && !encoding.startsWith('utf-16') && head.includes(0)) {
    throw fileError(
      options.fileName,
      'holds NUL bytes: it is a binary file, or UTF-16 without a byte-order mark (pass the encoding)',
    );
  }
  const sample = iconv.decode(head, encoding);
  const delimiter = options.delimiter ?? detectDelimiter(sample.replace(/^\uFEFF/, ''));
  const text = stream.pipe(iconv.decodeStream(encoding)) as unknown as Readable;
  const records = csvRows(text, delimiter, options.fileName);
  const iterator = records[Symbol.asyncIterator]();
  let header: string[] | null = null;
  let first: IteratorResult<SourceRow> | undefined;
  if (options.header) {
    const next = await iterator.next();
    if (next.done) throw fileError(options.fileName, 'the file has no rows');
    header = next.value.cells.map((c) => (c ?? '').trim());
  } else {
    first = await iterator.next();
    if (first.done) throw fileError(options.fileName, 'the file has no rows');
  }
  const pending = first;
  return {
    info: { format: 'csv', encoding, delimiter, sheet: null },
    header,
    rows: {
      async *[Symbol.asyncIterator]() {
        if (pending && !pending.done) yield pending.value;
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          yield next.value;
        }
      },
    },
  };
}
