import { AlertRuleDocument } from '@tierline/contract';

/**
 * The rule form: the fields of each kind's parameters read from the contract's schema (type,
 * range, default, whether optional), so that the form follows the server's checks without a
 * second list; and the edits the form makes to a rule document. The JSON text stays the one
 * source of truth: the form parses it, changes one thing, and writes it back.
 */

/** One parameter of a rule kind, as the form edits it. */
export interface ParamField {
  key: string;
  type: 'number' | 'integer' | 'boolean' | 'enum' | 'measure';
  min?: number;
  max?: number;
  options?: readonly string[];
  optional: boolean;
  /** The schema's default (what the server fills in when the field is left out). */
  defaultValue?: unknown;
  /** The schema's description (English), a fallback help text. */
  description?: string;
  /** Money in minor units: the form shows and takes yuan. */
  money: boolean;
}

/** A rule document as the form sees it: a plain object (the server checks the rest). */
export type RuleDoc = Record<string, unknown> & { params?: Record<string, unknown> };

interface AnySchema {
  def: { type: string; innerType?: AnySchema; defaultValue?: unknown };
  description?: string;
  minValue?: number | null;
  maxValue?: number | null;
  format?: string | null;
  options?: readonly string[];
}

/** Parameters counted in minor units of money, whatever the measure. */
const MONEY_PARAMS = new Set(['minAmount', 'minValue']);

const OPTIONS = (
  AlertRuleDocument as unknown as {
    options: { shape: { kind: { value: string }; params: { shape: Record<string, AnySchema> } } }[];
  }
).options;

/** Every rule kind the contract knows, in its order. */
export const RULE_KINDS: readonly string[] = OPTIONS.map((o) => o.shape.kind.value);

function field(key: string, schema: AnySchema): ParamField {
  let inner = schema;
  let optional = false;
  let defaultValue: unknown;
  for (;;) {
    if (inner.def.type === 'default') {
      defaultValue = inner.def.defaultValue;
      optional = true;
    } else if (inner.def.type === 'optional') {
      optional = true;
    } else break;
    inner = inner.def.innerType as AnySchema;
  }
  const description = schema.description ?? inner.description;
  const base = {
    key,
    optional,
    money: MONEY_PARAMS.has(key),
    ...(defaultValue === undefined ? {} : { defaultValue }),
    ...(description === undefined ? {} : { description }),
  };
  switch (inner.def.type) {
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'enum':
      return { ...base, type: 'enum', options: inner.options ?? [] };
    case 'string':
      return { ...base, type: 'measure' };
    default:
      return {
        ...base,
        type: inner.format === 'safeint' ? 'integer' : 'number',
        ...(typeof inner.minValue === 'number' && Number.isFinite(inner.minValue)
          ? { min: inner.minValue }
          : {}),
        ...(typeof inner.maxValue === 'number' && Number.isFinite(inner.maxValue)
          ? { max: inner.maxValue }
          : {}),
      };
  }
}

const FIELDS: ReadonlyMap<string, readonly ParamField[]> = new Map(
  OPTIONS.map((o) => [
    o.shape.kind.value,
    Object.entries(o.shape.params.shape).map(([key, schema]) => field(key, schema)),
  ]),
);

/** The parameters of a kind (empty for an unknown kind). */
export function paramFields(kind: string): readonly ParamField[] {
  return FIELDS.get(kind) ?? [];
}

/**
 * The parameters that mean something for these values: a decline's `window` compares windows
 * (mom, yoy), its `baseline` and `swing` belong to `baseline` declines.
 */
export function visibleFields(kind: string, params: Record<string, unknown>): ParamField[] {
  return paramFields(kind).filter((f) => {
    if (kind !== 'decline') return true;
    const compare = params['compare'];
    if (f.key === 'window') return compare !== 'baseline';
    if (f.key === 'baseline' || f.key === 'swing') return compare === 'baseline';
    return true;
  });
}

/** The document as an object the form can edit, or null (not an object, or an unknown kind). */
export function formDoc(document: unknown): RuleDoc | null {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return null;
  const doc = document as RuleDoc;
  if (typeof doc['kind'] !== 'string' || !FIELDS.has(doc['kind'])) return null;
  const params = doc.params;
  if (params !== undefined && (typeof params !== 'object' || params === null)) return null;
  return doc;
}

/** Set a top-level field (name, code, severity, …); `undefined` removes it. */
export function setField(doc: RuleDoc, key: string, value: unknown): RuleDoc {
  const next: RuleDoc = { ...doc };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/**
 * Set a parameter; `undefined` removes it. Changing a decline's comparison drops what the new
 * one does not take (`baseline`, `swing` outside `baseline`; `window` is 1 for `baseline`).
 */
export function setParam(doc: RuleDoc, key: string, value: unknown): RuleDoc {
  const params: Record<string, unknown> = { ...(doc.params ?? {}) };
  if (value === undefined) delete params[key];
  else params[key] = value;
  if (doc['kind'] === 'decline' && key === 'compare') {
    if (value === 'baseline') {
      params['window'] = 1;
    } else {
      delete params['baseline'];
      delete params['swing'];
    }
  }
  return { ...doc, params };
}

/**
 * The document with another kind: its parameters from the default rule of that kind when there
 * is one, else the schema's defaults (fields without one are left for the user).
 */
export function changeKind(
  doc: RuleDoc,
  kind: string,
  templates: readonly { kind: string; params: unknown }[],
): RuleDoc {
  const template = templates.find((t) => t.kind === kind);
  const params: Record<string, unknown> =
    template !== undefined && typeof template.params === 'object' && template.params !== null
      ? { ...(template.params as Record<string, unknown>) }
      : Object.fromEntries(
          paramFields(kind)
            .filter((f) => f.defaultValue !== undefined)
            .map((f) => [f.key, f.defaultValue]),
        );
  return { ...doc, kind, params };
}

/** Whether the threshold's value is money (its measure's unit), so the form takes yuan. */
export function isMoneyField(
  field: ParamField,
  params: Record<string, unknown>,
  measureUnit: (key: string) => string | undefined,
): boolean {
  if (field.money) return true;
  const measure = params['measure'];
  return field.key === 'value' && typeof measure === 'string' && measureUnit(measure) === 'money';
}

/** Minor units → yuan for the form, yuan → minor units (rounded to a fen) for the document. */
export const toYuan = (minor: number): number => minor / 100;
export const toMinor = (yuan: number): number => Math.round(yuan * 100);
