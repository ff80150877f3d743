import { describe, expect, it } from 'vitest';
import { ImportMapping, type ImportMappingInput } from '@tierline/contract';
import { translate, type MessageKey } from '../i18n/messages';
import {
  columnRef,
  columnText,
  emptyForm,
  formOf,
  hasExtras,
  mappingOf,
  mergePairs,
  messagesAt,
  nameProblem,
  parseValuePairs,
  serverProblems,
  type MappingForm,
} from './mapping-editor-model';

const PAYMENT_FIELDS = ['payment_no', 'dealer_code', 'invoice_no', 'paid_on', 'amount'];

/** A mapping with every part the editor edits. */
const FULL: ImportMappingInput = {
  kind: 'payments',
  header: true,
  delimiter: ';',
  encoding: 'gbk',
  sheet: '回款',
  fields: {
    payment_no: { template: 'AW-{单号}' },
    dealer_code: { column: 3, values: { 合作中: 'active', '': 'GZ01' } },
    paid_on: { column: '到账日期', fallback: '记账日期', dateFormat: 'dd/MM/yyyy' },
    amount: { column: '金额(万元)', scale: 10000 },
    invoice_no: { const: 'N/A' },
  },
  where: [
    { column: 'Country', notIn: ['NA', ''] },
    { column: 2, in: ['ok'] },
  ],
  duplicates: 'last',
};

describe('mapping ↔ form', () => {
  it('turns a mapping into one row per field and back into the same mapping', () => {
    const form = formOf(FULL, PAYMENT_FIELDS);
    expect(form.fields.map((r) => [r.field, r.source])).toEqual([
      ['payment_no', 'template'],
      ['dealer_code', 'column'],
      ['invoice_no', 'const'],
      ['paid_on', 'column'],
      ['amount', 'column'],
    ]);
    expect(form.fields[1]).toMatchObject({
      column: '#3',
      values: [
        { from: '合作中', to: 'active' },
        { from: '', to: 'GZ01' },
      ],
    });
    expect(form.where[0]).toEqual({
      column: 'Country',
      mode: 'notIn',
      values: ['NA'],
      empty: true,
    });
    const back = mappingOf(form);
    expect(back.problems).toEqual([]);
    expect(back.mapping).toEqual(FULL);
    // What the server would save is what was loaded.
    expect(ImportMapping.parse(back.mapping)).toEqual(ImportMapping.parse(FULL));
  });

  it('leaves defaults out and keeps fields matched by header out of the mapping', () => {
    const form = emptyForm('payments', PAYMENT_FIELDS);
    expect(form.fields.every((r) => r.source === 'auto')).toBe(true);
    expect(mappingOf(form)).toEqual({
      mapping: { kind: 'payments', header: true, fields: {} },
      problems: [],
    });
  });

  it('keeps a field of the mapping the kind list lacks, so that saving does not drop it', () => {
    const form = formOf({ kind: 'payments', fields: { amout: { column: 'x' } } }, PAYMENT_FIELDS);
    expect(form.fields.map((r) => r.field)).toEqual([...PAYMENT_FIELDS, 'amout']);
    expect(mappingOf(form).mapping.fields).toEqual({ amout: { column: 'x' } });
  });

  it('keeps a value map, date format and scale on a field matched by header', () => {
    const form = emptyForm('payments', PAYMENT_FIELDS);
    const amount = form.fields[4]!;
    amount.values = [
      { from: '', to: '0' },
      { from: '', to: '' },
    ];
    amount.scale = ' 10000 ';
    expect(mappingOf(form).mapping.fields).toEqual({
      amount: { values: { '': '0' }, scale: 10000 },
    });
  });

  it('names what keeps the form from being a mapping, by path', () => {
    const form: MappingForm = emptyForm('payments', PAYMENT_FIELDS);
    Object.assign(form.fields[0]!, { source: 'column', column: ' ', fallback: '#0' });
    Object.assign(form.fields[1]!, { source: 'template', template: '  ' });
    Object.assign(form.fields[4]!, {
      scale: '-1',
      values: [
        { from: 'a', to: '1' },
        { from: 'a', to: '2' },
      ],
    });
    form.where = [{ column: '', mode: 'in', values: [' '], empty: false }];
    expect(mappingOf(form).problems).toEqual([
      { path: 'fields.payment_no.column', key: 'imports.editor.problem.column' },
      { path: 'fields.payment_no.fallback', key: 'imports.editor.problem.column' },
      { path: 'fields.dealer_code.template', key: 'imports.editor.problem.template' },
      {
        path: 'fields.amount.values',
        key: 'imports.editor.problem.duplicateValue',
        vars: { value: 'a' },
      },
      { path: 'fields.amount.scale', key: 'imports.editor.problem.scale' },
      { path: 'where.0.column', key: 'imports.editor.problem.column' },
      { path: 'where.0.in', key: 'imports.editor.problem.filterValues' },
    ]);
  });

  it('drops the fallback of a field that no longer reads a column', () => {
    const form = formOf(FULL, PAYMENT_FIELDS);
    Object.assign(form.fields[3]!, { source: 'auto' });
    expect(mappingOf(form).mapping.fields?.['paid_on']).toEqual({ dateFormat: 'dd/MM/yyyy' });
  });
});

describe('columns', () => {
  it.each([
    ['金额', true, '金额'],
    [' #3 ', true, 3],
    ['3', true, '3'],
    ['3', false, 3],
    ['#0', true, null],
    ['', true, null],
    ['#x', true, '#x'],
  ] as const)('%j (header %s) names %j', (text, header, ref) => {
    expect(columnRef(text, header)).toBe(ref);
  });

  it('writes positions as #N', () => {
    expect(columnText(6)).toBe('#6');
    expect(columnText('客户编号')).toBe('客户编号');
    expect(columnText(undefined)).toBe('');
  });
});

describe('value maps', () => {
  it('reads pairs pasted from a spreadsheet or typed with = or →', () => {
    expect(
      parseValuePairs('合作中\tactive\n\n暂停 = suspended\n终止→terminated\n旧 => x\nnothing'),
    ).toEqual({
      pairs: [
        { from: '合作中', to: 'active' },
        { from: '暂停', to: 'suspended' },
        { from: '终止', to: 'terminated' },
        { from: '旧', to: 'x' },
      ],
      bad: [6],
    });
    // The first separator splits: a value may hold another.
    expect(parseValuePairs('a=b=c').pairs).toEqual([{ from: 'a', to: 'b=c' }]);
    expect(parseValuePairs('\tempty cells').pairs).toEqual([{ from: '', to: 'empty cells' }]);
  });

  it('merges pasted pairs, the pasted value winning, blank rows dropped', () => {
    expect(
      mergePairs(
        [
          { from: 'a', to: '1' },
          { from: '', to: '' },
          { from: 'b', to: '2' },
        ],
        [
          { from: 'b', to: '3' },
          { from: 'c', to: '4' },
        ],
      ),
    ).toEqual([
      { from: 'a', to: '1' },
      { from: 'b', to: '3' },
      { from: 'c', to: '4' },
    ]);
  });

  it('folds extras only when a row has some', () => {
    const form = formOf(FULL, PAYMENT_FIELDS);
    expect(form.fields.map(hasExtras)).toEqual([false, true, false, true, true]);
  });
});

describe('names and server errors', () => {
  it.each([
    ['金蝶回款', null],
    ['  ', 'imports.editor.problem.nameEmpty'],
    ['x'.repeat(61), 'imports.editor.problem.nameLong'],
    ['a/b', 'imports.editor.problem.nameChars'],
    ['50%', 'imports.editor.problem.nameChars'],
  ] as const)('name %j: %s', (name, key) => {
    expect(nameProblem(name)?.key ?? null).toBe(key);
  });

  it('reads the paths of a save, a preview and the name', () => {
    const problems = serverProblems({
      fields: [
        { in: 'body', path: 'fields.amount.scale', message: 'Too small' },
        { in: 'querystring', path: 'mappingJson.where.0.in', message: 'Too few' },
        { in: 'querystring', path: 'fileName', message: 'not ours' },
        { in: 'params', path: 'name', message: 'Bad name' },
        { in: 'body', path: 3, message: 'no path' },
      ],
    });
    expect(problems).toEqual([
      { path: 'fields.amount.scale', message: 'Too small' },
      { path: 'where.0.in', message: 'Too few' },
      { path: 'name', message: 'Bad name' },
    ]);
    expect(serverProblems({ field: 'mapping' })).toEqual([]);
    expect(serverProblems(undefined)).toEqual([]);
    expect(messagesAt(problems, 'fields.amount')).toEqual(['Too small']);
    expect(messagesAt(problems, 'fields.amo')).toEqual([]);
    expect(messagesAt(problems, 'where.0')).toEqual(['Too few']);
  });

  it("says a problem with a reason code in the console's language, others in the server's words", () => {
    const details = {
      fields: [
        {
          in: 'body',
          path: 'fields.code.template',
          message: 'the template has a } that closes nothing: write }} for a brace',
          reason: 'template_stray_brace',
          params: { field: 'code', template: 'KD-}' },
        },
        { in: 'body', path: 'fields.amount.scale', message: 'Too small' },
        { in: 'body', path: 'fields.sku', message: 'unknown', reason: 'brand_new', params: {} },
      ],
    };
    const zh = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) =>
      translate('zh-CN', key, vars);
    expect(serverProblems(details, zh)).toEqual([
      {
        path: 'fields.code.template',
        message: 'code 的模板“KD-}”中有多余的 }：请用 }} 表示花括号',
      },
      { path: 'fields.amount.scale', message: 'Too small' },
      { path: 'fields.sku', message: 'unknown' },
    ]);
    expect(serverProblems(details)[0]!.message).toBe(details.fields[0]!.message);
  });
});
