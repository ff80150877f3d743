import { describe, expect, it } from 'vitest';
import {
  ImportFileErrorCode,
  ImportIssueCode,
  ImportPreviewCode,
  importReasonMessages,
  importReasonParams,
} from '@tierline/contract';
import { ApiError } from '../api/client';
import { locales, messages, translate, type MessageKey } from '../i18n/messages';
import { importErrorText, reasonKey, reasonText } from './reason-text';

const allCodes = [
  ...ImportIssueCode.options,
  ...ImportPreviewCode.options,
  ...ImportFileErrorCode.options,
];

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('issue reasons', () => {
  it('has a message in every language for every code the server gives, filled by its parameters', () => {
    for (const code of allCodes) {
      for (const locale of locales) {
        const text = messages[locale][reasonKey(code)];
        expect(text, `${locale} ${code}`).toBeTruthy();
        expect(placeholders(text), `${locale} ${code}`).toEqual(
          [...importReasonParams[code]].sort(),
        );
        // One source: the console says what the server's reports say.
        expect(text, `${locale} ${code}`).toBe(importReasonMessages[locale][code]);
      }
    }
  });

  it('keeps no message for a code the server no longer gives', () => {
    const keys = Object.keys(messages['zh-CN']).filter((k) => k.startsWith('imports.reason.'));
    expect(keys.map((k) => k.slice('imports.reason.'.length)).sort()).toEqual([...allCodes].sort());
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

  it("shows the preview's missing column in the console language", () => {
    const cell = {
      reason: 'no column for this field',
      code: 'no_column' as const,
      params: { field: 'dealer_code' },
    };
    expect(reasonText(cell, zh)).toBe('文件中没有对应 dealer_code 的列');
    expect(reasonText(cell, en)).toBe('no column for dealer_code');
  });
});

describe('import errors', () => {
  const zh = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) =>
    translate('zh-CN', key, vars);

  it("says an error's reason in the console language, after its row when it names one", () => {
    const sheet = new ApiError(
      400,
      'validation_failed',
      'a.xlsx: has no sheet "回款" (sheets: S1)',
      {
        file: 'a.xlsx',
        row: null,
        reason: 'sheet_not_found',
        params: { sheet: '回款', sheets: 'S1' },
      },
    );
    expect(importErrorText(sheet, zh)).toBe('没有名为“回款”的工作表（现有：S1）');
    const quote = new ApiError(400, 'validation_failed', 'a.csv, row 7: …', {
      file: 'a.csv',
      row: 7,
      reason: 'quote_not_closed',
      params: {},
    });
    expect(importErrorText(quote, zh)).toBe(
      '第 7 行：从这一行开始的带引号字段没有闭合（文件可能不完整）',
    );
    expect(importErrorText(quote, (key, vars) => translate('en-US', key, vars))).toBe(
      'Row 7: a quoted field that starts on this row is never closed (the file may be cut short)',
    );
  });

  it('keeps the English message without a reason, with one it does not know, or for other errors', () => {
    const plain = new ApiError(400, 'validation_failed', 'Invalid query', { fields: [] });
    expect(importErrorText(plain, zh)).toBe('Invalid query');
    const newer = new ApiError(400, 'validation_failed', 'from a newer server', {
      reason: 'brand_new',
      params: {},
    });
    expect(importErrorText(newer, zh)).toBe('from a newer server');
    expect(importErrorText(new Error('Failed to fetch'), zh)).toBe('Failed to fetch');
  });
});
