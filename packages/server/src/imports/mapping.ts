import type { FieldMapping, ImportMapping } from '@tierline/contract';
import { KINDS, normalizeHeader, type FieldSpec } from './kinds.js';
import { fileError } from './source.js';

/** Where one field's value comes from in every row. */
export type FieldSource =
  | { kind: 'column'; index: number; label: string }
  | { kind: 'const'; value: string }
  | { kind: 'none' };

export interface ResolvedField {
  spec: FieldSpec;
  source: FieldSource;
  mapping: FieldMapping;
}

/**
 * Match the kind's fields to the file: a field the mapping names by header or position, else
 * the header cell equal to the field's name, its Chinese header or one of its aliases. A file
 * without a header row needs a position for every field it fills. Errors name the field, the
 * column and what the file offers instead.
 */
export function resolveMapping(
  mapping: ImportMapping,
  header: string[] | null,
  fileName: string,
): ResolvedField[] {
  const spec = KINDS[mapping.kind];
  const known = new Set(spec.fields.map((f) => f.field));
  const unknown = Object.keys(mapping.fields).filter((f) => !known.has(f));
  if (unknown.length > 0) {
    throw fileError(
      fileName,
      `the mapping names unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} for ${mapping.kind} (fields: ${[...known].join(', ')})`,
    );
  }
  const byName = new Map<string, number>();
  header?.forEach((cell, index) => {
    const key = normalizeHeader(cell);
    if (key !== '' && !byName.has(key)) byName.set(key, index);
  });
  const columns = header?.map((h, i) => h || `#${i + 1}`).join(', ') ?? '';
  const resolved = spec.fields.map((field): ResolvedField => {
    const m = mapping.fields[field.field] ?? {};
    if (m.const !== undefined) {
      return { spec: field, mapping: m, source: { kind: 'const', value: String(m.const) } };
    }
    if (typeof m.column === 'number') {
      return {
        spec: field,
        mapping: m,
        source: {
          kind: 'column',
          index: m.column - 1,
          label: header?.[m.column - 1] || `column ${m.column}`,
        },
      };
    }
    if (typeof m.column === 'string') {
      if (header === null) {
        throw fileError(
          fileName,
          `the mapping names column "${m.column}" for ${field.field}, but the file has no header row: give its position (1, 2, …)`,
        );
      }
      const index = byName.get(normalizeHeader(m.column));
      if (index === undefined) {
        throw fileError(
          fileName,
          `the mapping names column "${m.column}" for ${field.field}, which the header does not have (columns: ${columns})`,
        );
      }
      return { spec: field, mapping: m, source: { kind: 'column', index, label: header[index]! } };
    }
    if (header !== null) {
      for (const name of [field.field, field.zh, ...field.aliases]) {
        const index = byName.get(normalizeHeader(name));
        if (index !== undefined) {
          return {
            spec: field,
            mapping: m,
            source: { kind: 'column', index, label: header[index]! },
          };
        }
      }
    }
    return { spec: field, mapping: m, source: { kind: 'none' } };
  });
  const missing = resolved.filter((r) => r.spec.required && r.source.kind === 'none');
  if (missing.length > 0) {
    const names = missing.map((r) => `${r.spec.field} (${r.spec.zh})`).join(', ');
    // A header read as one column that holds another delimiter: the file was split wrongly.
    const other =
      header?.length === 1 ? [';', '\t', '|', ','].find((d) => header[0]!.includes(d)) : undefined;
    throw fileError(
      fileName,
      header === null
        ? `the file has no header row, so the mapping must give the column of ${names}`
        : other !== undefined
          ? `no column for ${names}; the header is one column, "${header[0]!.length > 80 ? `${header[0]!.slice(0, 80)}…` : header[0]}": is the delimiter "${other === '\t' ? '\\t' : other}"? Set delimiter in the mapping (or leave it out to detect it)`
          : `no column for ${names}; the header has ${columns}. Rename the column or map it (--mapping)`,
    );
  }
  // One column feeding two fields is almost always a mistake in a mapping.
  const used = new Map<number, string>();
  for (const r of resolved) {
    if (r.source.kind !== 'column') continue;
    const other = used.get(r.source.index);
    if (other !== undefined && mapping.fields[r.spec.field]?.column === undefined) {
      // An alias matched a column that another field already took: leave this one unfilled.
      r.source = { kind: 'none' };
      if (r.spec.required) {
        throw fileError(
          fileName,
          `no column for ${r.spec.field} (${r.spec.zh}); the header has ${columns}`,
        );
      }
      continue;
    }
    used.set(r.source.index, r.spec.field);
  }
  return resolved;
}
