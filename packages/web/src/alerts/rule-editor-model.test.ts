import { describe, expect, it } from 'vitest';
import { defaultPreviewRange, parseRuleText, ruleIssues, ruleText } from './rule-editor-model';

describe('rule editor model', () => {
  it('parses the JSON of the editor or says why it cannot', () => {
    const document = { code: 'x', params: { percent: 20 } };
    expect(parseRuleText(ruleText(document))).toEqual({ ok: true, document });
    const broken = parseRuleText('{ "code": ');
    expect(broken.ok).toBe(false);
  });

  it('lists the server issues by path', () => {
    expect(
      ruleIssues({
        issues: [
          { path: 'params.percent', message: 'Too big: expected number to be <=100' },
          { path: '', message: 'Invalid input' },
          { nonsense: true },
        ],
      }),
    ).toEqual([
      { path: 'params.percent', message: 'Too big: expected number to be <=100' },
      { path: '(document)', message: 'Invalid input' },
    ]);
    expect(ruleIssues({ field: 'document.code', value: 'rules' })).toEqual([
      { path: 'code', message: '' },
    ]);
    expect(ruleIssues(undefined)).toEqual([]);
  });

  it('previews the twelve months up to the last month with data', () => {
    expect(defaultPreviewRange('2026-10')).toEqual(['2025-11', '2026-10']);
    expect(defaultPreviewRange(null)).toBeNull();
  });
});
