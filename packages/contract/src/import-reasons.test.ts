import { describe, expect, it } from 'vitest';
import {
  ImportFileErrorCode,
  ImportIssueCode,
  ImportLocale,
  ImportPreviewCode,
  importFileErrorParams,
  importIssueParams,
  importPreviewParams,
  importReasonParams,
} from './imports.js';
import {
  importReasonMessages,
  importReasonText,
  importReportHeader,
  isImportReasonCode,
} from './import-reasons.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

const allCodes = [
  ...ImportIssueCode.options,
  ...ImportPreviewCode.options,
  ...ImportFileErrorCode.options,
];

describe('the import reason catalog', () => {
  it('gives no two kinds of reason the same code', () => {
    expect(new Set(allCodes).size).toBe(allCodes.length);
    expect(Object.keys(importReasonParams).sort()).toEqual([...allCodes].sort());
    expect(
      Object.keys(importIssueParams).length +
        Object.keys(importPreviewParams).length +
        Object.keys(importFileErrorParams).length,
    ).toBe(allCodes.length);
  });

  it('has a message in every language for every code, filled by exactly its parameters', () => {
    for (const locale of ImportLocale.options) {
      const catalog = importReasonMessages[locale];
      expect(Object.keys(catalog).sort(), locale).toEqual([...allCodes].sort());
      for (const code of allCodes) {
        const text = catalog[code];
        expect(text.trim(), `${locale} ${code}`).not.toBe('');
        expect(placeholders(text), `${locale} ${code}`).toEqual(
          [...importReasonParams[code]].sort(),
        );
      }
    }
  });

  it('writes Chinese in full-width punctuation', () => {
    for (const code of allCodes) {
      const text = importReasonMessages['zh-CN'][code];
      // Only ASCII punctuation inside Latin text (lists of codes, file names, {{ }}) is kept.
      expect(text, code).not.toMatch(/[\u4e00-\u9fff][,;:?!()]|[,;:?!()][\u4e00-\u9fff]/);
    }
  });

  it('fills a message in the language asked for, leaving unknown placeholders as written', () => {
    expect(importReasonText('not_a_month', { value: '2026-13' }, 'zh-CN')).toBe(
      '不是月份：“2026-13”（请用 YYYY-MM）',
    );
    expect(importReasonText('not_a_month', { value: '2026-13' }, 'en-US')).toBe(
      'is not a month: "2026-13" (use YYYY-MM)',
    );
    expect(
      importReasonText('sheet_not_found', { sheet: '回款', sheets: 'Sheet1, Sheet2' }, 'zh-CN'),
    ).toBe('没有名为“回款”的工作表（现有：Sheet1, Sheet2）');
    expect(importReasonText('no_column', {}, 'zh-CN')).toBe('文件中没有对应 {field} 的列');
    expect(importReasonText('file_empty', undefined, 'en-US')).toBe('the file is empty');
  });

  it('knows its codes, and no others', () => {
    expect(isImportReasonCode('duplicate_key')).toBe(true);
    expect(isImportReasonCode('file_too_large')).toBe(true);
    expect(isImportReasonCode('toString')).toBe(false);
    expect(isImportReasonCode(42)).toBe(false);
  });

  it('names the report columns in every language', () => {
    expect(importReportHeader['zh-CN']).toEqual(['文件', '行', '列', '字段', '值', '原因']);
    expect(importReportHeader['en-US']).toEqual([
      'file',
      'row',
      'column',
      'field',
      'value',
      'reason',
    ]);
  });
});
