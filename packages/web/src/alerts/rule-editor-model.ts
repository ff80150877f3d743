import { addMonths } from '../format/month';

/** One problem of a rule document as the server reports it (`details.issues`). */
export interface RuleIssue {
  path: string;
  message: string;
}

/** The JSON text of the editor, parsed, or the parser's message. */
export function parseRuleText(
  text: string,
): { ok: true; document: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, document: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** A rule document as the editor shows it: two-space JSON. */
export function ruleText(document: unknown): string {
  return JSON.stringify(document, null, 2);
}

/**
 * The issues of a refused save or preview, each with its JSON path (`params.percent`), from
 * the error's `details`: `{ issues: [{ path, message }] }` for a document that does not check,
 * `{ field, value }` for a single field (a reserved code). Anything else gives no issues, and
 * the error's own message is shown instead.
 */
export function ruleIssues(details: unknown): RuleIssue[] {
  if (typeof details !== 'object' || details === null) return [];
  if ('issues' in details && Array.isArray(details.issues)) {
    return details.issues.flatMap((issue: unknown) =>
      typeof issue === 'object' &&
      issue !== null &&
      'path' in issue &&
      'message' in issue &&
      typeof issue.path === 'string' &&
      typeof issue.message === 'string'
        ? [{ path: issue.path === '' ? '(document)' : issue.path, message: issue.message }]
        : [],
    );
  }
  if ('field' in details && typeof details.field === 'string') {
    return [{ path: details.field.replace(/^document\./, ''), message: '' }];
  }
  return [];
}

/**
 * The months a preview covers unless the user picks others: the twelve months up to the last
 * month with data, or none when the tenant has no data yet.
 */
export function defaultPreviewRange(dataTo: string | null | undefined): [string, string] | null {
  if (dataTo === null || dataTo === undefined || !/^\d{4}-\d{2}$/.test(dataTo)) return null;
  return [addMonths(dataTo, -11), dataTo];
}
