import type { CopyValue } from './connection.js';

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One row in PostgreSQL's COPY CSV form: null is an empty unquoted field, the empty string is
 * `""`, and fields with a comma, quote or line break are quoted with doubled quotes.
 */
export function toCsvLine(row: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += ',';
    const value = row[i];
    if (value === null || value === undefined) continue;
    const text = String(value);
    line += text === '' || NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }
  return line + '\n';
}
