import type { Readable } from 'node:stream';
import { DomainError } from '@tierline/core';
import { ImportErrorReason, type ImportMapping, type ImportPreview } from '@tierline/contract';
import { KINDS, normalizeHeader, type FieldSpec } from './kinds.js';
import { rawCellOf, resolveMapping, rowFilterOf, type ResolvedField } from './mapping.js';
import { openSource } from './source.js';
import { parseCell } from './values.js';

/** How many data rows a preview shows. */
export const PREVIEW_ROWS = 20;

function cut(value: string | null): string | null {
  return value === null ? null : value.length > 100 ? `${value.slice(0, 100)}…` : value;
}

/**
 * The header matches a mapping finds when it cannot be applied (a required field without a
 * column, a named column the header lacks): the same rules as `resolveMapping`, without its
 * errors, so that the preview can show what matched and what is missing.
 */
function partialMatches(mapping: ImportMapping, header: string[] | null): ResolvedField[] {
  const byName = new Map<string, number>();
  header?.forEach((cell, index) => {
    const key = normalizeHeader(cell);
    if (key !== '' && !byName.has(key)) byName.set(key, index);
  });
  const used = new Set<number>();
  return KINDS[mapping.kind].fields.map((spec): ResolvedField => {
    const m = mapping.fields[spec.field] ?? {};
    if (m.const !== undefined) {
      return { spec, mapping: m, source: { kind: 'const', value: String(m.const) } };
    }
    if (typeof m.column === 'number') {
      const index = m.column - 1;
      used.add(index);
      const label = header?.[index] || `column ${m.column}`;
      return { spec, mapping: m, source: { kind: 'column', index, label } };
    }
    const names =
      typeof m.column === 'string' ? [m.column] : [spec.field, spec.zh, ...spec.aliases];
    for (const name of header === null ? [] : names) {
      const index = byName.get(normalizeHeader(name));
      if (index !== undefined && !used.has(index)) {
        used.add(index);
        return { spec, mapping: m, source: { kind: 'column', index, label: header![index]! } };
      }
    }
    return { spec, mapping: m, source: { kind: 'none' } };
  });
}

function display(spec: FieldSpec, value: string | number | null, minorUnits: number) {
  if (value === null) return null;
  switch (spec.type) {
    case 'money':
      return (Number(value) / 10 ** minorUnits).toFixed(minorUnits);
    case 'tags':
      return (JSON.parse(String(value)) as string[]).join('; ');
    case 'month':
      return String(value).slice(0, 7);
    default:
      return String(value);
  }
}

/**
 * Read the first rows of a file as an import would: the format, encoding and delimiter
 * detected, the header, which column (or constant) fills each field, and each cell of the
 * first {@link PREVIEW_ROWS} rows parsed: its value, or why it is not valid. Codes of dealers,
 * products … and duplicate keys are checked by a dry run, which reads the whole file. A file
 * that cannot be read at all throws like an import (400).
 */
export async function previewImport(
  input: Readable,
  mapping: ImportMapping,
  fileName: string,
  minorUnits: number,
): Promise<ImportPreview> {
  const source = await openSource(input, {
    fileName,
    header: mapping.header,
    encoding: mapping.encoding,
    delimiter: mapping.delimiter,
    sheet: mapping.sheet,
  });
  let problem: string | null = null;
  let why: ImportErrorReason | undefined;
  let fields: ResolvedField[];
  try {
    fields = resolveMapping(mapping, source.header, fileName);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problem = error.message;
    const coded = ImportErrorReason.safeParse(error.details);
    if (coded.success) why = coded.data;
    fields = partialMatches(mapping, source.header);
  }
  const rows: ImportPreview['rows'] = [];
  let more = false;
  // Rows the mapping's filter leaves out are not shown.
  const keep = problem === null ? rowFilterOf(mapping, source.header) : null;
  for await (const row of source.rows) {
    if (keep !== null && !keep(row.cells)) continue;
    if (rows.length === PREVIEW_ROWS) {
      more = true;
      break;
    }
    rows.push({
      row: row.row,
      cells: fields.map((f) => {
        const raw = rawCellOf(f.source, row.cells);
        if (f.source.kind === 'none' && f.spec.required) {
          return {
            raw: null,
            value: null,
            text: null,
            reason: 'no column for this field',
            code: 'no_column' as const,
            params: { field: f.spec.field },
          };
        }
        const mapped =
          raw !== null && f.mapping.values ? (f.mapping.values[raw.trim()] ?? raw) : raw;
        const parsed = parseCell(f.spec, mapped, {
          minorUnits,
          dateFormat: f.mapping.dateFormat,
          scale: f.mapping.scale,
        });
        return parsed.ok
          ? {
              raw: cut(raw),
              value: parsed.value,
              text: display(f.spec, parsed.value, minorUnits),
              reason: null,
            }
          : {
              raw: cut(raw),
              value: null,
              text: null,
              reason: parsed.reason,
              code: parsed.code,
              params: parsed.params,
            };
      }),
    });
  }
  return {
    kind: mapping.kind,
    fileName,
    format: source.info.format,
    encoding: source.info.encoding,
    delimiter: source.info.delimiter,
    sheet: source.info.sheet,
    header: source.header,
    problem,
    ...(why === undefined ? {} : { problemCode: why.reason, problemParams: why.params }),
    fields: fields.map((f) => ({
      field: f.spec.field,
      zh: f.spec.zh,
      note: f.spec.note,
      noteZh: f.spec.noteZh,
      type: f.spec.type,
      required: f.spec.required,
      source: f.source.kind === 'const' ? 'constant' : f.source.kind,
      column: f.source.kind === 'column' || f.source.kind === 'template' ? f.source.label : null,
      position: f.source.kind === 'column' ? f.source.index + 1 : null,
      constant: f.source.kind === 'const' ? f.source.value : null,
    })),
    rows,
    more,
  };
}
