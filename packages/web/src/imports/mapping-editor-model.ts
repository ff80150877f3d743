import type {
  FieldMapping,
  ImportKind,
  ImportMappingInput,
  RowCondition,
} from '@tierline/contract';
import { isImportReasonCode } from '@tierline/contract';
import type { MessageKey } from '../i18n/messages';
import { reasonText } from './reason-text';

/**
 * The mapping editor's form: a saved mapping (contract `ImportMapping`) as rows a form can
 * edit, and back. Pure functions; the drawer (`mapping-editor.tsx`) renders them.
 *
 * Columns are written as text: a header name, or `#3` for the third column (plain digits too
 * when the file has no header row), as the server's messages name columns.
 */

/** Where a field's value comes from. */
export type SourceKind = 'auto' | 'column' | 'const' | 'template';

/** One entry of a value map: a cell equal to `from` becomes `to`. */
export interface ValuePair {
  from: string;
  to: string;
}

export interface FieldRow {
  field: string;
  source: SourceKind;
  column: string;
  constant: string;
  template: string;
  /** Another column read where `column` is empty; '' for none. */
  fallback: string;
  values: ValuePair[];
  dateFormat: string;
  /** A positive number as typed; '' for none. */
  scale: string;
}

/** A row filter condition: keep (`in`) or skip (`notIn`) rows whose cell is listed. */
export interface FilterRow {
  column: string;
  mode: 'in' | 'notIn';
  values: string[];
  /** The empty cell is listed too (written as "" in the mapping). */
  empty: boolean;
}

export type Delimiter = ',' | '\t' | '|' | ';';

export interface MappingForm {
  kind: ImportKind;
  header: boolean;
  delimiter: Delimiter | '';
  encoding: string;
  sheet: string;
  fields: FieldRow[];
  where: FilterRow[];
  duplicates: 'reject' | 'last';
}

/** A mistake found in the form, at a path as the server writes paths (fields.amount.scale). */
export interface FormProblem {
  path: string;
  key: MessageKey;
  vars?: Record<string, string | number>;
}

/** What a mapping and the server's errors say about one place of the form, as text. */
export interface PathMessage {
  path: string;
  message: string;
}

/** A column reference as the form shows it: positions as `#3`. */
export function columnText(ref: string | number | undefined): string {
  if (ref === undefined) return '';
  return typeof ref === 'number' ? `#${ref}` : ref;
}

/**
 * The column a text names: `#3` (or `3` in a file without a header row) is the third column,
 * anything else a header name; null when empty or `#0`.
 */
export function columnRef(text: string, header: boolean): string | number | null {
  const t = text.trim();
  if (t === '') return null;
  const position = /^#(\d+)$/.exec(t)?.[1] ?? (header ? undefined : /^\d+$/.exec(t)?.[0]);
  if (position === undefined) return t;
  const n = Number(position);
  return n >= 1 ? n : null;
}

function sourceOf(m: FieldMapping): SourceKind {
  if (m.const !== undefined) return 'const';
  if (m.template !== undefined) return 'template';
  if (m.column !== undefined) return 'column';
  return 'auto';
}

function rowOf(field: string, m: FieldMapping): FieldRow {
  return {
    field,
    source: sourceOf(m),
    column: columnText(m.column),
    constant: m.const === undefined ? '' : String(m.const),
    template: m.template ?? '',
    fallback: columnText(m.fallback),
    values: Object.entries(m.values ?? {}).map(([from, to]) => ({ from, to })),
    dateFormat: m.dateFormat ?? '',
    scale: m.scale === undefined ? '' : String(m.scale),
  };
}

function filterOf(c: RowCondition): FilterRow {
  const listed = c.in ?? c.notIn ?? [];
  return {
    column: columnText(c.column),
    mode: c.in === undefined ? 'notIn' : 'in',
    values: listed.filter((v) => v !== ''),
    empty: listed.includes(''),
  };
}

/**
 * The form of a mapping: one row per field of the kind (`fields`, in their order), then any
 * field the mapping names that the list lacks (so that nothing is lost on saving; the server
 * will name it as unknown).
 */
export function formOf(mapping: ImportMappingInput, fields: readonly string[]): MappingForm {
  const given = mapping.fields ?? {};
  const names = [...fields, ...Object.keys(given).filter((f) => !fields.includes(f))];
  return {
    kind: mapping.kind,
    header: mapping.header ?? true,
    delimiter: mapping.delimiter ?? '',
    encoding: mapping.encoding ?? '',
    sheet: mapping.sheet ?? '',
    fields: names.map((f) => rowOf(f, given[f] ?? {})),
    where: (mapping.where ?? []).map(filterOf),
    duplicates: mapping.duplicates ?? 'reject',
  };
}

/** A new mapping of a kind: every field matched by header name. */
export function emptyForm(kind: ImportKind, fields: readonly string[]): MappingForm {
  return formOf({ kind }, fields);
}

/** Pairs that say something: a row with both sides empty is a blank line of the editor. */
function filledPairs(pairs: readonly ValuePair[]): ValuePair[] {
  return pairs.filter((p) => p.from !== '' || p.to !== '');
}

function fieldMappingOf(
  row: FieldRow,
  header: boolean,
  problems: FormProblem[],
): FieldMapping | null {
  const at = (what: string) => `fields.${row.field}${what === '' ? '' : `.${what}`}`;
  const m: FieldMapping = {};
  switch (row.source) {
    case 'column': {
      const ref = columnRef(row.column, header);
      if (ref === null) problems.push({ path: at('column'), key: 'imports.editor.problem.column' });
      else m.column = ref;
      if (row.fallback.trim() !== '') {
        const fallback = columnRef(row.fallback, header);
        if (fallback === null) {
          problems.push({ path: at('fallback'), key: 'imports.editor.problem.column' });
        } else {
          m.fallback = fallback;
        }
      }
      break;
    }
    case 'const':
      m.const = row.constant;
      break;
    case 'template':
      if (row.template.trim() === '') {
        problems.push({ path: at('template'), key: 'imports.editor.problem.template' });
      } else {
        m.template = row.template.trim();
      }
      break;
    case 'auto':
      break;
  }
  const pairs = filledPairs(row.values);
  if (pairs.length > 0) {
    const seen = new Set<string>();
    for (const p of pairs) {
      if (seen.has(p.from)) {
        problems.push({
          path: at('values'),
          key: 'imports.editor.problem.duplicateValue',
          vars: { value: p.from === '' ? '""' : p.from },
        });
      }
      seen.add(p.from);
    }
    m.values = Object.fromEntries(pairs.map((p) => [p.from, p.to]));
  }
  if (row.dateFormat.trim() !== '') m.dateFormat = row.dateFormat.trim();
  if (row.scale.trim() !== '') {
    const scale = Number(row.scale.trim());
    if (!Number.isFinite(scale) || scale <= 0) {
      problems.push({ path: at('scale'), key: 'imports.editor.problem.scale' });
    } else {
      m.scale = scale;
    }
  }
  return Object.keys(m).length === 0 ? null : m;
}

/**
 * The mapping a form says, and what keeps it from being one (empty columns, a scale that is
 * not a positive number, a value listed twice …). Defaults are left out: no delimiter,
 * encoding or sheet (detected), no filter, duplicates rejected.
 */
export function mappingOf(form: MappingForm): {
  mapping: ImportMappingInput;
  problems: FormProblem[];
} {
  const problems: FormProblem[] = [];
  const fields: Record<string, FieldMapping> = {};
  for (const row of form.fields) {
    const m = fieldMappingOf(row, form.header, problems);
    if (m !== null) fields[row.field] = m;
  }
  const where: RowCondition[] = [];
  form.where.forEach((f, i) => {
    const column = columnRef(f.column, form.header);
    if (column === null) {
      problems.push({ path: `where.${i}.column`, key: 'imports.editor.problem.column' });
    }
    const values = [...new Set(f.values.map((v) => v.trim()).filter((v) => v !== ''))];
    if (f.empty) values.push('');
    if (values.length === 0) {
      problems.push({ path: `where.${i}.${f.mode}`, key: 'imports.editor.problem.filterValues' });
    }
    if (column !== null && values.length > 0) {
      where.push(f.mode === 'in' ? { column, in: values } : { column, notIn: values });
    }
  });
  const mapping: ImportMappingInput = { kind: form.kind, header: form.header, fields };
  if (form.delimiter !== '') mapping.delimiter = form.delimiter;
  if (form.encoding.trim() !== '') mapping.encoding = form.encoding.trim();
  if (form.sheet.trim() !== '') mapping.sheet = form.sheet.trim();
  if (form.where.length > 0) mapping.where = where;
  if (form.duplicates === 'last') mapping.duplicates = 'last';
  return { mapping, problems };
}

// eslint-disable-next-line no-control-regex
const NAME_FORBIDDEN = /[/\\?#%\u0000-\u001f\u007f]/;

/** What is wrong with a mapping's name, as the server checks it (ImportMappingName). */
export function nameProblem(name: string): FormProblem | null {
  const t = name.trim();
  if (t === '') return { path: 'name', key: 'imports.editor.problem.nameEmpty' };
  if (t.length > 60) return { path: 'name', key: 'imports.editor.problem.nameLong' };
  if (NAME_FORBIDDEN.test(t)) return { path: 'name', key: 'imports.editor.problem.nameChars' };
  return null;
}

/**
 * Value-map entries pasted as text, one a line: two columns copied from a spreadsheet (a tab
 * between them), or `from = to` (also `→`, `=>`). Blank lines are skipped; `bad` lists the
 * 1-based numbers of lines without a separator.
 */
export function parseValuePairs(text: string): { pairs: ValuePair[]; bad: number[] } {
  const pairs: ValuePair[] = [];
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const separator = ['\t', '→', '=>', '='].find((s) => line.includes(s));
    if (separator === undefined) {
      bad.push(i + 1);
      return;
    }
    const at = line.indexOf(separator);
    pairs.push({ from: line.slice(0, at).trim(), to: line.slice(at + separator.length).trim() });
  });
  return { pairs, bad };
}

/** Pasted pairs added to a value map: a key already there takes the pasted value. */
export function mergePairs(
  current: readonly ValuePair[],
  pasted: readonly ValuePair[],
): ValuePair[] {
  const byKey = new Map<string, string>();
  for (const p of filledPairs(current)) byKey.set(p.from, p.to);
  for (const p of pasted) byKey.set(p.from, p.to);
  return [...byKey.entries()].map(([from, to]) => ({ from, to }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Translate = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;

/**
 * The problems an API error names by path, with paths of the mapping: a save's body paths as
 * they are, a preview's `mappingJson.…` without that prefix, the name's (a URL parameter) as
 * `name`. Empty when the error names none. With `t`, a problem that carries a reason code
 * (`reason`, `params`) is said in the console's language; others keep the server's English.
 */
export function serverProblems(details: unknown, t?: Translate): PathMessage[] {
  if (!isRecord(details) || !Array.isArray(details['fields'])) return [];
  const out: PathMessage[] = [];
  for (const f of details['fields'] as unknown[]) {
    if (!isRecord(f) || typeof f['path'] !== 'string' || typeof f['message'] !== 'string') {
      continue;
    }
    const where = f['in'];
    let path = f['path'];
    if (where === 'params') path = 'name';
    else if (where === 'querystring') {
      if (path !== 'mappingJson' && !path.startsWith('mappingJson.')) continue;
      path = path.slice('mappingJson.'.length);
    }
    const reason = f['reason'];
    const params = isRecord(f['params']) ? (f['params'] as Record<string, string | number>) : {};
    const message =
      t !== undefined && isImportReasonCode(reason)
        ? reasonText({ reason: f['message'], code: reason, params }, t)
        : f['message'];
    out.push({ path, message });
  }
  return out;
}

/** The messages at `path` or below it (fields.amount has fields.amount.scale's). */
export function messagesAt(problems: readonly PathMessage[], path: string): string[] {
  return problems
    .filter((p) => p.path === path || p.path.startsWith(`${path}.`))
    .map((p) => p.message);
}

/** Whether a row uses options beyond its source (shown folded in the editor). */
export function hasExtras(row: FieldRow): boolean {
  return (
    filledPairs(row.values).length > 0 ||
    row.dateFormat.trim() !== '' ||
    row.scale.trim() !== '' ||
    (row.source === 'column' && row.fallback.trim() !== '')
  );
}
