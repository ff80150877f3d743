import { describe, expect, it } from 'vitest';
import { locales, messages, translate, type MessageKey } from './messages';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  const keys = Object.keys(messages['zh-CN']) as MessageKey[];

  it('translates every key into every language, with the same placeholders', () => {
    for (const locale of locales) {
      for (const key of keys) {
        const text = messages[locale][key];
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(text), `${locale} ${key}`).toEqual(
          placeholders(messages['zh-CN'][key]),
        );
      }
    }
  });

  it('fills placeholders and leaves unknown ones as written', () => {
    expect(translate('en-US', 'account.passwordRule', { min: 10, max: 200 })).toBe(
      'A password has 10 to 200 characters',
    );
    expect(translate('zh-CN', 'users.disabled', {})).toBe('{login} 已停用');
  });
});
