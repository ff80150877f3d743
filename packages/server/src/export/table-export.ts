import { PassThrough, type Readable } from 'node:stream';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { ExportFormat } from '@tierline/contract';

export type Cell = string | number | boolean | null;

/**
 * A text cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a tab or
 * carriage return before one) gets a leading apostrophe, so that an exported value such as
 * `=HYPERLINK(...)` stays text (OWASP "CSV injection"). Numbers stay numbers.
 */
export function neutralizeCell(value: Cell): Cell {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Stream a table as CSV (UTF-8 with BOM, so Excel opens Chinese text correctly) or XLSX, in
 * constant memory: `rows` is pulled as the client reads. Every cell is neutralised.
 */
export function exportTable(
  format: ExportFormat,
  sheetName: string,
  header: readonly string[],
  rows: AsyncIterable<readonly Cell[]>,
): Readable {
  const out = new PassThrough();
  const fail = (error: unknown) =>
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  if (format === 'csv') {
    const csv = stringify({ bom: true });
    csv.pipe(out);
    void (async () => {
      csv.write([...header]);
      for await (const row of rows) {
        if (!csv.write(row.map(neutralizeCell))) await once(csv, 'drain');
      }
      csv.end();
    })().catch(fail);
    return out;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  void (async () => {
    sheet.addRow([...header]).commit();
    for await (const row of rows) {
      sheet.addRow(row.map(neutralizeCell)).commit();
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
    await workbook.commit();
  })().catch(fail);
  return out;
}
