import { DomainError } from '../domain-error.js';

/** One problem with an allocation or rebate input: where (a JSON path) and what to do. */
export interface ResourceIssue {
  /** JSON path of the offending value, e.g. `tiers[2].share` or `brackets[1].from`. */
  path: string;
  /** For a person: what is wrong and how to fix it. */
  message: string;
  /** Structured facts about the problem (sums, indexes, dealer ids). */
  [key: string]: unknown;
}

/** At most this many issues travel in an error (a file of 100,000 bad dealers stays readable). */
const MAX_ISSUES = 100;

/**
 * Throws one DomainError('validation_failed') listing the issues in `details.issues` (the first
 * 100; `details.issueCount` counts them all); the message is the first issue, and the count when
 * there are more, as `resolvePolicy` does.
 */
export function refuse(subject: string, issues: readonly ResourceIssue[]): never {
  const first = issues[0];
  const head = first ? `${first.path}: ${first.message}` : `The ${subject} is not valid.`;
  throw new DomainError(
    'validation_failed',
    issues.length > 1 ? `The ${subject} has ${issues.length} problems; the first: ${head}` : head,
    { issues: issues.slice(0, MAX_ISSUES), issueCount: issues.length },
  );
}
