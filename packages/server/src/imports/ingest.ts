import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { DomainError } from '@tierline/core';
import type { ImportErrorReason, ImportIssue, ImportKind, IngestItem } from '@tierline/contract';
import { KINDS } from './kinds.js';
import { refusal } from './values.js';

/** One record of the ingestion API: field name → cell text (null when empty). */
export type IngestRecord = Record<string, string | null>;

/** What the records hold, learnt in a first pass over them. */
export interface IngestSummary {
  count: number;
  /** Fields that at least one record names. */
  keys: Set<string>;
  /** Some value holds a line break. */
  multiline: boolean;
}

function itemError(index: number, message: string, why: ImportErrorReason): DomainError {
  return new DomainError('validation_failed', `Item ${index}: ${message}`, {
    item: index,
    ...why,
  });
}

function cellOf(index: number, field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  // Line breaks as \n, whichever way the record is tabled (an XLSX cell normalises them).
  if (typeof value === 'string') return value.replace(/\r\n?/g, '\n');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw itemError(
        index,
        `${field} is not a finite number`,
        refusal('item_not_finite', { item: index, field }),
      );
    }
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    // Tags: ["KA", "餐饮"] as the file would hold them, "KA;餐饮".
    return value.map(String).join(';');
  }
  throw itemError(
    index,
    `${field} holds ${Array.isArray(value) ? 'a list of non-text values' : 'an object'}; send text, a number, true/false or a list of tags`,
    refusal('item_bad_value', { item: index, field }),
  );
}

/**
 * Check one item of the ingestion API and turn it into cell texts: a JSON object whose keys
 * are fields of the kind (as in the import template's notes, e.g. dealer_code) and whose values
 * are text, numbers, true/false, null or lists of tags. Anything else is an error of the
 * request (400) naming the item: it means a connector is broken, not a record.
 */
export function normalizeItem(kind: ImportKind, item: unknown, index: number): IngestRecord {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw itemError(
      index,
      'is not a JSON object of field names and values',
      refusal('item_not_object', { item: index }),
    );
  }
  const known = KINDS[kind].fields;
  const record: IngestRecord = {};
  let filled = false;
  for (const [key, value] of Object.entries(item)) {
    if (!known.some((f) => f.field === key)) {
      const fields = known.map((f) => f.field).join(', ');
      throw itemError(
        index,
        `has the unknown field "${key.slice(0, 60)}"; ${kind} has ${fields}`,
        refusal('item_unknown_field', {
          item: index,
          field: key.slice(0, 60),
          kind,
          known: fields,
        }),
      );
    }
    const cell = cellOf(index, key, value);
    if (cell !== null && cell.trim() !== '') filled = true;
    record[key] = cell;
  }
  if (!filled) throw itemError(index, 'has no values', refusal('item_empty', { item: index }));
  return record;
}

/** Records of a JSON array body, checked. */
export function arrayRecords(
  kind: ImportKind,
  body: unknown[],
): { records: IngestRecord[]; summary: IngestSummary } {
  const summary: IngestSummary = { count: 0, keys: new Set(), multiline: false };
  const records = body.map((item, index) => {
    const record = normalizeItem(kind, item, index);
    note(summary, record);
    return record;
  });
  return { records, summary };
}

function note(summary: IngestSummary, record: IngestRecord): void {
  summary.count++;
  for (const [key, value] of Object.entries(record)) {
    summary.keys.add(key);
    if (value !== null && value.includes('\n')) summary.multiline = true;
  }
}

/**
 * Records of an NDJSON file (one JSON object a line; blank lines are skipped and do not count
 * as items), checked one at a time in constant memory.
 */
export async function* ndjsonRecords(kind: ImportKind, path: string): AsyncGenerator<IngestRecord> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let line = 0;
  let index = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    let item: unknown;
    try {
      item = JSON.parse(text);
    } catch (error) {
      const detail = (error as Error).message;
      throw new DomainError(
        'validation_failed',
        `NDJSON line ${line} (item ${index}) is not valid JSON: ${detail}`,
        { line, item: index, ...refusal('ndjson_bad_json', { line, item: index, detail }) },
      );
    }
    yield normalizeItem(kind, item, index);
    index++;
  }
}

export async function summarize(records: AsyncIterable<IngestRecord>): Promise<IngestSummary> {
  const summary: IngestSummary = { count: 0, keys: new Set(), multiline: false };
  for await (const record of records) note(summary, record);
  return summary;
}

/** The columns of the table the records make: the fields some record names, in kind order. */
export function headerOf(kind: ImportKind, summary: IngestSummary): string[] {
  return KINDS[kind].fields.map((f) => f.field).filter((field) => summary.keys.has(field));
}

// Characters an XLSX (XML) cannot hold; the import reports U+FFFD as undecodable text.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/**
 * Write the records as a table with a header row of field names, for the import engine to
 * read like any file, so that the API validates and writes exactly as an upload does. Row N
 * of the table is item N − 2 (row 1 is the header): as CSV, unless a value holds a line break
 * (a CSV record would then span several lines and the engine's row numbers, which are line
 * numbers, would drift from the items); then as XLSX, whose row numbers do not.
 */
export async function writeRecordsFile(
  records: AsyncIterable<IngestRecord> | Iterable<IngestRecord>,
  header: readonly string[],
  multiline: boolean,
  path: string,
): Promise<void> {
  if (!multiline) {
    async function* rows(): AsyncGenerator<(string | null)[]> {
      yield [...header];
      for await (const record of records) yield header.map((f) => record[f] ?? null);
    }
    await pipeline(Readable.from(rows()), stringify(), createWriteStream(path));
    return;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('items');
  sheet.addRow([...header]).commit();
  for await (const record of records) {
    sheet.addRow(header.map((f) => record[f]?.replace(NOT_XML, '\ufffd') ?? null)).commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** The per-item results: the invalid items of the listed issues, by index (row − 2). */
export function itemResults(issues: readonly ImportIssue[]): IngestItem[] {
  const byIndex = new Map<number, ImportIssue[]>();
  for (const issue of issues) {
    if (issue.row === null || issue.row < 2) continue;
    const index = issue.row - 2;
    const list = byIndex.get(index);
    if (list) list.push(issue);
    else byIndex.set(index, [issue]);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, list]) => ({ index, status: 'invalid' as const, issues: list }));
}
