import ExcelJS from 'exceljs';
import type { ImportKind } from '@tierline/contract';
import { KINDS } from './kinds.js';

const TYPE_LABEL = {
  text: '文本 text',
  int: '整数 integer',
  decimal: '数字 number',
  money: '金额 amount (元; 1,234.50 / ¥1234.5)',
  date: '日期 date (YYYY-MM-DD)',
  month: '月份 month (YYYY-MM)',
  enum: '枚举 one of',
  tags: '标签 tags (; separated)',
} as const;

/**
 * The import template of a kind as an XLSX workbook: a sheet with the header row (the Chinese
 * column names the importer recognises) and one example row, and a 说明 (notes) sheet that
 * explains every column in Chinese and in English: required or not, type, allowed values, what
 * to put in it, accepted header names.
 */
export async function importTemplate(kind: ImportKind): Promise<Buffer> {
  const spec = KINDS[kind];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Tierline';
  // Excel refuses sheet names with * ? : \ / [ ] (发票/应收) or longer than 31 characters.
  const sheet = workbook.addWorksheet(spec.label.zh.replace(/[*?:\\/[\]]/g, '-').slice(0, 31));
  const header = sheet.addRow(spec.fields.map((f) => f.zh));
  header.font = { bold: true };
  spec.fields.forEach((f, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: f.required ? 'FFFFE7BA' : 'FFF0F0F0' },
    };
    sheet.getColumn(i + 1).width = Math.max(12, f.zh.length * 2 + 4, f.example.length + 2);
    // Text columns stay text in Excel (codes such as 000123 keep their zeros).
    if (f.type === 'text' || f.type === 'tags' || f.type === 'enum')
      sheet.getColumn(i + 1).numFmt = '@';
  });
  sheet.addRow(spec.fields.map((f) => f.example));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];

  const notes = workbook.addWorksheet('说明 Notes');
  notes.addRow([`${spec.label.zh} ${spec.label.en}`]).font = { bold: true, size: 13 };
  // Chinese first: the console defaults to zh-CN, and so do most who fill these in.
  const keyZh = spec.key.map((k) => spec.fields.find((f) => f.field === k)?.zh ?? k).join(' + ');
  notes.addRow([
    `每行一条记录，按“${keyZh}”匹配：再次导入相同“${keyZh}”的行会更新该行。` +
      '导入前请删除示例行；橙色列为必填。',
  ]);
  notes.addRow([
    `One row per record. Rows are matched by ${spec.key.join(' + ')}: importing the same key again updates the row. ` +
      'Delete the example row before importing. Orange columns are required.',
  ]);
  notes.addRow([]);
  const head = notes.addRow([
    '列名 Column',
    '字段 Field',
    '必填 Required',
    '类型 Type',
    '说明（中文）Notes in Chinese',
    '说明（英文）Notes in English',
    '也可用的列名 Also accepted',
  ]);
  head.font = { bold: true };
  for (const f of spec.fields) {
    const row = notes.addRow([
      f.zh,
      f.field,
      f.required ? '是 yes' : '否 no',
      f.type === 'enum' ? `${TYPE_LABEL.enum}: ${f.values?.join(', ') ?? ''}` : TYPE_LABEL[f.type],
      f.noteZh,
      f.note,
      f.aliases.join(', '),
    ]);
    // Long notes wrap within their column (Excel fits the row height) rather than being cut.
    for (const column of [5, 6])
      row.getCell(column).alignment = { wrapText: true, vertical: 'top' };
  }
  [16, 18, 12, 34, 44, 50, 50].forEach((w, i) => (notes.getColumn(i + 1).width = w));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
