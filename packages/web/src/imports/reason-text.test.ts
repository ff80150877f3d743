import { describe, expect, it } from 'vitest';
import { ImportIssueCode, importIssueParams } from '@tierline/contract';
import { locales, messages, translate, type MessageKey } from '../i18n/messages';
import { reasonKey, reasonText } from './reason-text';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('issue reasons', () => {
  it('has a message in every language for every code the server gives, filled by its parameters', () => {
    for (const code of ImportIssueCode.options) {
      for (const locale of locales) {
        const text = messages[locale][reasonKey(code)];
        expect(text, `${locale} ${code}`).toBeTruthy();
        expect(placeholders(text), `${locale} ${code}`).toEqual(
          [...importIssueParams[code]].sort(),
        );
      }
    }
  });

  it('keeps no message for a code the server no longer gives', () => {
    const keys = Object.keys(messages['zh-CN']).filter((k) => k.startsWith('imports.reason.'));
    expect(keys.map((k) => k.slice('imports.reason.'.length)).sort()).toEqual(
      [...ImportIssueCode.options].sort(),
    );
  });

  const zh = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) =>
    translate('zh-CN', key, vars);
  const en = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) =>
    translate('en-US', key, vars);

  it('shows a coded reason in the console language', () => {
    const issue = {
      reason: 'is not a date: "31/02/2026" (expected dd/MM/yyyy)',
      code: 'not_a_date_in_format' as const,
      params: { value: '31/02/2026', format: 'dd/MM/yyyy' },
    };
    expect(reasonText(issue, zh)).toBe('不是日期：“31/02/2026”（应为 dd/MM/yyyy）');
    expect(reasonText(issue, en)).toBe(issue.reason);
    expect(
      reasonText(
        {
          reason: 'duplicate key',
          code: 'duplicate_key',
          params: { row: 2, key: 'order_no, line_no' },
        },
        zh,
      ),
    ).toBe('重复的键：与第 2 行的 order_no, line_no 相同');
  });

  it('falls back to the English reason without a code, or with a code it does not know', () => {
    expect(reasonText({ reason: 'must not be negative' }, zh)).toBe('must not be negative');
    const newer = { reason: 'a reason from a newer server', code: 'brand_new' } as unknown as {
      reason: string;
      code: 'required';
    };
    expect(reasonText(newer, zh)).toBe('a reason from a newer server');
  });
});
