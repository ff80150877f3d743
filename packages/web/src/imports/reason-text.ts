import type { ImportIssue, ImportIssueCode } from '@tierline/contract';
import { messages, type MessageKey } from '../i18n/messages';

/** The message of a reason code (a type error when a code of the contract has none). */
export function reasonKey(code: ImportIssueCode): MessageKey {
  return `imports.reason.${code}`;
}

type Translate = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;

/**
 * An import issue's reason in the console's language: the message of its code filled with its
 * parameters; the server's English reason for an issue without a code (batches recorded
 * before codes existed) or with a code this console does not know yet (a newer server).
 */
export function reasonText(
  issue: Pick<ImportIssue, 'reason' | 'code' | 'params'>,
  t: Translate,
): string {
  if (issue.code === undefined) return issue.reason;
  const key = reasonKey(issue.code);
  if (!Object.hasOwn(messages['zh-CN'], key)) return issue.reason;
  return t(key, issue.params ?? {});
}
