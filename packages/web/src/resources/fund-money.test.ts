import { describe, expect, it } from 'vitest';
import { fileToBase64, parseMajorAmount } from './fund-money';

describe('parseMajorAmount keeps every fen', () => {
  it.each([
    ['30000', 2, 3_000_000],
    ['30,000.5', 2, 3_000_050],
    ['¥ 1,234.56', 2, 123_456],
    ['0.01', 2, 1],
    ['12.', 2, 1200],
    ['90071992547409.91', 2, Number.MAX_SAFE_INTEGER],
    ['1000', 0, 1000],
  ])('%s with %d minor units is %d', (text, units, minor) => {
    expect(parseMajorAmount(text, units)).toBe(minor);
  });

  it.each([
    ['', 2],
    ['-5', 2],
    ['1e3', 2],
    ['1.234', 2],
    ['1.5', 0],
    ['abc', 2],
    ['90071992547409.92', 2],
  ])('refuses %s with %d minor units', (text, units) => {
    expect(parseMajorAmount(text, units)).toBeNull();
  });
});

describe('fileToBase64', () => {
  it('reads bytes exactly, beyond one chunk', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    const text = await fileToBase64(new Blob([bytes]));
    expect(Buffer.from(text, 'base64').equals(Buffer.from(bytes))).toBe(true);
  });
});
