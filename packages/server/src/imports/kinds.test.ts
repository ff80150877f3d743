import { describe, expect, it } from 'vitest';
import { KINDS } from './kinds.js';

describe('natural keys', () => {
  // The import finds repeated keys with `=` (a join), which never matches a null.
  it.each(Object.values(KINDS).map((k) => [k.kind, k] as const))(
    '%s: every key field is required or has a fallback, so a key is never null',
    (_, kind) => {
      for (const key of kind.key) {
        const field = kind.fields.find((f) => f.field === key)!;
        expect(field.required || field.fallback !== undefined).toBe(true);
      }
    },
  );
});

describe('months of rollups', () => {
  // An import refreshes only the months its rows were and are in: the field must be a date
  // that every row has, and a row that may move must be found before it moves (text keys).
  it.each(
    Object.values(KINDS)
      .filter((k) => k.monthField !== undefined)
      .map((k) => [k.kind, k] as const),
  )('%s: the month field is a required date of a row that feeds a dealer', (_, kind) => {
    const field = kind.fields.find((f) => f.field === kind.monthField)!;
    expect(['date', 'month']).toContain(field.type);
    expect(field.required).toBe(true);
    expect(kind.dealerField).toBeDefined();
    const keysAreText = kind.key.every((k) => !kind.fields.find((f) => f.field === k)!.ref);
    expect(keysAreText || kind.key.includes(kind.monthField!)).toBe(true);
  });

  it('gives every fact table the rollups read a month field', () => {
    const facts = ['order_line', 'invoice', 'payment', 'sales_target', 'inventory_snapshot'];
    const more = ['outlet_visit', 'complaint', 'compliance_event', 'campaign_execution'];
    for (const table of [...facts, ...more]) {
      expect(Object.values(KINDS).find((k) => k.table === table)?.monthField).toBeDefined();
    }
  });
});

describe('notes in Chinese', () => {
  // The console defaults to zh-CN: its tooltips and the template's notes sheet show noteZh.
  it.each(Object.values(KINDS).map((k) => [k.kind, k] as const))(
    '%s: every field has a Chinese note, in full-width punctuation',
    (_, kind) => {
      for (const f of kind.fields) {
        expect(f.noteZh.trim(), f.field).not.toBe('');
        expect(f.noteZh, f.field).toMatch(/\p{Script=Han}/u);
        expect(f.noteZh, f.field).not.toBe(f.note);
        // ASCII punctuation next to a Chinese character should have been full-width.
        expect(f.noteZh, f.field).not.toMatch(/\p{Script=Han}[,;:()]|[,;:()]\p{Script=Han}/u);
      }
    },
  );
});
