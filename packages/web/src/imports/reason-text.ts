import { isImportReasonCode, type ImportReasonCode } from '@tierline/contract';
import { ApiError } from '../api/client';
import { messages, type MessageKey } from '../i18n/messages';

/** The message of a reason code (a type error when a code of the contract has none). */
export function reasonKey(code: ImportReasonCode): MessageKey {
  return `imports.reason.${code}`;
}

type Translate = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;

/** A reason as the server gives it: English text, and the same as a code with parameters. */
interface CodedReason {
  reason: string;
  code?: ImportReasonCode | undefined;
  params?: Readonly<Record<string, string | number>> | undefined;
}

/**
 * An import issue's reason in the console's language: the message of its code filled with its
 * parameters; the server's English reason for an issue without a code (batches recorded
 * before codes existed) or with a code this console does not know yet (a newer server).
 */
export function reasonText(issue: CodedReason, t: Translate): string {
  if (issue.code === undefined) return issue.reason;
  const key = reasonKey(issue.code);
  if (!Object.hasOwn(messages['zh-CN'], key)) return issue.reason;
  return t(key, issue.params ?? {});
}

const isParams = (value: unknown): value is Record<string, string | number> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number');

/**
 * Why an import request failed, in the console's language: the message of the error's
 * `details.reason` filled with `details.params` (after the row, when `details.row` names one);
 * the server's English message for an error without one (or with a reason this console does
 * not know yet).
 */
export function importErrorText(error: Error, t: Translate): string {
  if (!(error instanceof ApiError)) return error.message;
  const details: unknown = error.details;
  if (typeof details !== 'object' || details === null || !('reason' in details)) {
    return error.message;
  }
  const { reason } = details;
  const params = 'params' in details && isParams(details.params) ? details.params : {};
  if (!isImportReasonCode(reason)) return error.message;
  const text = reasonText({ reason: error.message, code: reason, params }, t);
  const row = 'row' in details ? details.row : null;
  return typeof row === 'number' ? t('imports.failed.atRow', { row, text }) : text;
}
