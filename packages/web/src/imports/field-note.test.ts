import { describe, expect, it } from 'vitest';
import { fieldNote } from './field-note';

describe('fieldNote', () => {
  const paidOn = { note: 'Date received', noteZh: '到账日期' };

  it('shows the Chinese note in the Chinese console and the English one in English', () => {
    expect(fieldNote(paidOn, 'zh-CN')).toBe('到账日期');
    expect(fieldNote(paidOn, 'en-US')).toBe('Date received');
  });
});
