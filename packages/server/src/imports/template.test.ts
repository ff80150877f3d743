import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { KINDS } from './kinds.js';
import { importTemplate } from './template.js';

async function notesSheet(kind: keyof typeof KINDS): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await importTemplate(kind)) as unknown as ArrayBuffer);
  return workbook.getWorksheet('说明 Notes')!;
}

const cellText = (sheet: ExcelJS.Worksheet, row: number, column: number) =>
  sheet.getRow(row).getCell(column).text;

describe('the notes sheet of a template', () => {
  it.each(Object.values(KINDS).map((k) => [k.kind, k] as const))(
    '%s: explains every column in Chinese first, then in English',
    async (kind, spec) => {
      const notes = await notesSheet(kind);
      expect(cellText(notes, 2, 1)).toMatch(/^每行一条记录/);
      expect(cellText(notes, 3, 1)).toMatch(/^One row per record/);
      expect(notes.getRow(5).values).toEqual([
        undefined,
        '列名 Column',
        '字段 Field',
        '必填 Required',
        '类型 Type',
        '说明（中文）Notes in Chinese',
        '说明（英文）Notes in English',
        '也可用的列名 Also accepted',
      ]);
      spec.fields.forEach((f, i) => {
        const row = notes.getRow(6 + i);
        expect(row.getCell(2).value).toBe(f.field);
        expect(row.getCell(5).value).toBe(f.noteZh);
        expect(row.getCell(6).value).toBe(f.note);
        expect(row.getCell(5).alignment).toMatchObject({ wrapText: true });
      });
      expect(notes.rowCount).toBe(5 + spec.fields.length);
    },
  );

  it('names the key by its Chinese column names in the Chinese intro', async () => {
    const notes = await notesSheet('targets');
    expect(cellText(notes, 2, 1)).toBe(
      '每行一条记录，按“经销商编码 + 月份”匹配：再次导入相同“经销商编码 + 月份”的行会更新该行。' +
        '导入前请删除示例行；橙色列为必填。',
    );
    expect(cellText(notes, 3, 1)).toContain('Rows are matched by dealer_code + month');
  });
});

describe('the data sheet of a template', () => {
  it('is named so that Excel opens it, even when the kind’s name has a slash', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await importTemplate('invoices')) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['发票-应收', '说明 Notes']);
  });
});
