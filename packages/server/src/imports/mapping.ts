import type {
  FieldMapping,
  ImportErrorReason,
  ImportMapping,
  RowCondition,
} from '@tierline/contract';
import { KINDS, normalizeHeader, type FieldSpec } from './kinds.js';
import { fileError } from './source.js';
import { refusal } from './values.js';

/** A column of the file, found by header name or position. */
export interface ColumnAt {
  index: number;
  label: string;
}

/** Where one field's value comes from in every row. */
export type FieldSource =
  | { kind: 'column'; index: number; label: string; fallback?: ColumnAt }
  | { kind: 'const'; value: string }
  | { kind: 'template'; parts: (string | ColumnAt)[]; label: string }
  | { kind: 'none' };

export interface ResolvedField {
  spec: FieldSpec;
  source: FieldSource;
  mapping: FieldMapping;
}

/**
 * A mistake in a mapping itself: its path as the API writes paths (fields.code.template), its
 * English message and, when it has one, its reason as a code (`reason`, `params`).
 */
export interface MappingProblem {
  path: string;
  message: string;
  why?: ImportErrorReason | undefined;
}

const sourceCount = (m: FieldMapping) =>
  [m.const, m.column, m.template].filter((x) => x !== undefined).length;

/**
 * What is wrong with a mapping whatever file it reads: fields the kind does not have, a field
 * with more than one of column, const and template, a fallback without a column, a template
 * that does not parse. Columns are checked against a file's header by {@link resolveMapping}.
 */
export function mappingProblems(mapping: ImportMapping): MappingProblem[] {
  const known = KINDS[mapping.kind].fields.map((f) => f.field);
  const problems: MappingProblem[] = [];
  for (const [field, m] of Object.entries(mapping.fields)) {
    if (!known.includes(field)) {
      problems.push({
        path: `fields.${field}`,
        message: `unknown field ${field}; ${mapping.kind} has ${known.join(', ')}`,
        why: refusal('mapping_unknown_fields', {
          fields: field,
          kind: mapping.kind,
          known: known.join(', '),
        }),
      });
      continue;
    }
    if (sourceCount(m) > 1) {
      problems.push({
        path: `fields.${field}`,
        message: 'give one of column, const and template',
        why: refusal('mapping_many_sources', { field }),
      });
    }
    if (m.fallback !== undefined && m.column === undefined) {
      problems.push({
        path: `fields.${field}.fallback`,
        message: 'a fallback needs a column to fall back from',
        why: refusal('mapping_fallback_without_column', { field }),
      });
    }
    if (m.template !== undefined) {
      const parsed = templateParts(m.template);
      if (!Array.isArray(parsed)) {
        problems.push({
          path: `fields.${field}.template`,
          message: `the template ${parsed.message}`,
          why: refusal(parsed.code, { field, template: m.template }),
        });
      }
    }
  }
  return problems;
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
      refusal('mapping_unknown_fields', {
        fields: unknown.join(', '),
        kind: mapping.kind,
        known: [...known].join(', '),
      }),
    );
  }
  const byName = new Map<string, number>();
  header?.forEach((cell, index) => {
    const key = normalizeHeader(cell);
    if (key !== '' && !byName.has(key)) byName.set(key, index);
  });
  const columns = header?.map((h, i) => h || `#${i + 1}`).join(', ') ?? '';
  /**
   * The column a mapping names for `what` (a field, its fallback, a template, a filter), which
   * sits at `path` in the mapping.
   */
  const columnAt = (ref: string | number, what: string, path: string): ColumnAt => {
    if (typeof ref === 'number') {
      return { index: ref - 1, label: header?.[ref - 1] || `column ${ref}` };
    }
    if (header === null) {
      throw fileError(
        fileName,
        `the mapping names column "${ref}" for ${what}, but the file has no header row: give its position (1, 2, …)`,
        refusal('mapping_column_needs_header', { column: ref, path }),
      );
    }
    const index = byName.get(normalizeHeader(ref));
    if (index === undefined) {
      throw fileError(
        fileName,
        `the mapping names column "${ref}" for ${what}, which the header does not have (columns: ${columns})`,
        refusal('mapping_column_not_found', { column: ref, path, columns }),
      );
    }
    return { index, label: header[index]! };
  };
  const resolved = spec.fields.map((field): ResolvedField => {
    const m = mapping.fields[field.field] ?? {};
    if (sourceCount(m) > 1) {
      throw fileError(
        fileName,
        `the mapping gives ${field.field} more than one of column, const and template: give one`,
        refusal('mapping_many_sources', { field: field.field }),
      );
    }
    if (m.fallback !== undefined && m.column === undefined) {
      throw fileError(
        fileName,
        `the mapping gives ${field.field} a fallback column but no column to fall back from`,
        refusal('mapping_fallback_without_column', { field: field.field }),
      );
    }
    if (m.const !== undefined) {
      return { spec: field, mapping: m, source: { kind: 'const', value: String(m.const) } };
    }
    if (m.template !== undefined) {
      const parts = parseTemplate(m.template, field.field, fileName).map((part) =>
        typeof part === 'string'
          ? part
          : columnAt(part.ref, `${field.field}'s template`, `fields.${field.field}.template`),
      );
      return {
        spec: field,
        mapping: m,
        source: { kind: 'template', parts, label: `(template ${m.template})` },
      };
    }
    if (m.column !== undefined) {
      const at = columnAt(m.column, field.field, `fields.${field.field}.column`);
      const fallback =
        m.fallback === undefined
          ? undefined
          : columnAt(m.fallback, `${field.field}'s fallback`, `fields.${field.field}.fallback`);
      return {
        spec: field,
        mapping: m,
        source:
          fallback === undefined ? { kind: 'column', ...at } : { kind: 'column', ...at, fallback },
      };
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
    if (header === null) {
      throw fileError(
        fileName,
        `the file has no header row, so the mapping must give the column of ${names}`,
        refusal('missing_columns_headerless', { fields: names }),
      );
    }
    if (other !== undefined) {
      const shown = header[0]!.length > 80 ? `${header[0]!.slice(0, 80)}…` : header[0]!;
      const delimiter = other === '\t' ? '\\t' : other;
      throw fileError(
        fileName,
        `no column for ${names}; the header is one column, "${shown}": is the delimiter "${delimiter}"? Set delimiter in the mapping (or leave it out to detect it)`,
        refusal('missing_columns_delimiter', { fields: names, header: shown, delimiter }),
      );
    }
    throw fileError(
      fileName,
      `no column for ${names}; the header has ${columns}. Rename the column or map it (--mapping)`,
      refusal('missing_columns', { fields: names, columns }),
    );
  }
  for (const [i, condition] of (mapping.where ?? []).entries()) {
    columnAt(condition.column, `row filter ${i + 1}`, `where.${i}.column`);
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
          refusal('missing_columns', { fields: `${r.spec.field} (${r.spec.zh})`, columns }),
        );
      }
      continue;
    }
    used.set(r.source.index, r.spec.field);
  }
  return resolved;
}

type TemplatePart = string | { ref: string | number };

/** Why a template does not parse: the English words and the reason's code. */
interface TemplateProblem {
  message: string;
  code:
    | 'template_unclosed'
    | 'template_empty_placeholder'
    | 'template_stray_brace'
    | 'template_no_column';
}

/**
 * A template's text and column placeholders: `{name}` names a column by header, `{3}` by
 * position; `{{` and `}}` stand for braces. A problem when it does not parse: what is wrong.
 */
function templateParts(template: string): TemplatePart[] | TemplateProblem {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      text += c;
      i++;
    } else if (c === '{') {
      const end = template.indexOf('}', i + 1);
      const name = end < 0 ? '' : template.slice(i + 1, end).trim();
      if (name === '') {
        return end < 0
          ? {
              message: 'has a { that is never closed: write {column} or {{ for a brace',
              code: 'template_unclosed',
            }
          : {
              message: 'has an empty {}: write {column} or {{ for a brace',
              code: 'template_empty_placeholder',
            };
      }
      if (text !== '') parts.push(text);
      text = '';
      parts.push({ ref: /^\d+$/.test(name) ? Number(name) : name });
      i = end;
    } else if (c === '}') {
      return {
        message: 'has a } that closes nothing: write }} for a brace',
        code: 'template_stray_brace',
      };
    } else {
      text += c;
    }
  }
  if (text !== '') parts.push(text);
  if (!parts.some((p) => typeof p !== 'string')) {
    return { message: 'names no column: use const for a fixed value', code: 'template_no_column' };
  }
  return parts;
}

function parseTemplate(template: string, field: string, fileName: string): TemplatePart[] {
  const parts = templateParts(template);
  if (!Array.isArray(parts)) {
    throw fileError(
      fileName,
      `the template of ${field}, "${template}", ${parts.message}`,
      refusal(parts.code, { field, template }),
    );
  }
  return parts;
}

const blank = (value: string | null | undefined) =>
  value === null || value === undefined || value.trim() === '';

/**
 * The raw text a field reads from one row: its column (or, when that cell is empty, its
 * fallback column), its constant, or its template filled in — null when every column a
 * template names is empty — or null for a field without a source.
 */
export function rawCellOf(source: FieldSource, cells: readonly (string | null)[]): string | null {
  switch (source.kind) {
    case 'column': {
      const value = cells[source.index] ?? null;
      return blank(value) && source.fallback !== undefined
        ? (cells[source.fallback.index] ?? null)
        : value;
    }
    case 'const':
      return source.value;
    case 'template': {
      const filled = source.parts.map((p) =>
        typeof p === 'string' ? p : (cells[p.index] ?? '').trim(),
      );
      const any = source.parts.some((p, i) => typeof p !== 'string' && filled[i] !== '');
      return any ? filled.join('').trim() : null;
    }
    case 'none':
      return null;
  }
}

/**
 * The mapping's row filter as a test of a row's cells: true when the row meets every
 * condition (a cell is compared trimmed; an absent cell is ""). Column names were checked by
 * {@link resolveMapping}.
 */
export function rowFilterOf(
  mapping: ImportMapping,
  header: string[] | null,
): ((cells: readonly (string | null)[]) => boolean) | null {
  const conditions = mapping.where ?? [];
  if (conditions.length === 0) return null;
  const byName = new Map<string, number>();
  header?.forEach((cell, index) => {
    const key = normalizeHeader(cell);
    if (key !== '' && !byName.has(key)) byName.set(key, index);
  });
  const tests = conditions.map((c: RowCondition) => {
    const index =
      typeof c.column === 'number' ? c.column - 1 : (byName.get(normalizeHeader(c.column)) ?? -1);
    const listed = new Set((c.in ?? c.notIn ?? []).map((v) => v.trim()));
    const wanted = c.in !== undefined;
    return (cells: readonly (string | null)[]) =>
      listed.has((cells[index] ?? '').trim()) === wanted;
  });
  return (cells) => tests.every((test) => test(cells));
}
