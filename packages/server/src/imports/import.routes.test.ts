import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type {
  AuditPage,
  ErrorBody,
  ImportBatchDetail,
  ImportBatchPage,
  ImportPreview,
  ImportResult,
  IngestResult,
  SavedImportMapping,
  SavedImportMappingList,
} from '@tierline/contract';
import { buildApp } from '../app.js';
import { createTestStore, unique, type TestStore } from '../test/test-store.js';
import {
  makeChannel,
  makeDealer,
  makeUser,
  sessionHeaders,
  tokenHeaders,
  type TestChannel,
} from '../test/factories.js';
import { spool, withTempDir } from './spool.js';

let store: TestStore;
let app: FastifyInstance;
let a: TestChannel;
let b: TestChannel;
let admin: Record<string, string>;
let analyst: Record<string, string>;
let ingest: Record<string, string>;
let adminB: Record<string, string>;
let adminLogin: string;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  store = await createTestStore();
  a = await makeChannel(store.db);
  b = await makeChannel(store.db);
  for (const code of ['PD-1', 'PD-2']) {
    await makeDealer(store.db, a.tenantId, { region_id: a.regions.th, code });
  }
  await makeDealer(store.db, b.tenantId, { region_id: b.regions.th, code: 'PD-1' });
  const adminUser = await makeUser(store.db, a.tenantId, { role: 'admin' });
  adminLogin = adminUser.login;
  admin = await sessionHeaders(store.db, a.tenantId, adminUser.id);
  const analystUser = await makeUser(store.db, a.tenantId, { role: 'analyst' });
  analyst = await sessionHeaders(store.db, a.tenantId, analystUser.id);
  ingest = await tokenHeaders(store.db, a.tenantId, 'ingest');
  const adminUserB = await makeUser(store.db, b.tenantId, { role: 'admin' });
  adminB = await sessionHeaders(store.db, b.tenantId, adminUserB.id);
  app = await buildApp({
    db: store.db,
    engine: store.engine,
    store,
    defaultTenant: a.slug,
    version: 'test',
  });
});
afterAll(async () => {
  await app.close();
  await store.destroy();
});

function upload(
  url: string,
  payload: string | Buffer,
  options: { headers?: Record<string, string>; type?: string } = {},
) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...(options.headers ?? admin), 'content-type': options.type ?? 'text/csv' },
    payload,
  });
}

function send(method: InjectOptions['method'], url: string, payload?: unknown, headers = admin) {
  return app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function payments(tenantId = a.tenantId) {
  return store.db
    .selectFrom('payment')
    .select(['payment_no', 'amount', 'paid_on'])
    .where('tenant_id', '=', tenantId)
    .orderBy('payment_no')
    .execute();
}

const HEADER = '回款单号,经销商编码,回款日期,回款金额';

async function xlsxOf(rows: (string | number | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('回款');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('file uploads', () => {
  it('imports a CSV, and says so when the same file comes again', async () => {
    const csv = `${HEADER}\nUP-1,PD-1,2026-10-05,"1,200.50"\nUP-2,PD-2,2026/10/06,¥300\n`;
    const first = await upload('/api/v1/imports/payments?fileName=回款10月.csv', csv);
    expect(first.statusCode).toBe(200);
    const result = first.json<ImportResult>();
    expect(result).toMatchObject({
      kind: 'payments',
      fileName: '回款10月.csv',
      outcome: 'applied',
      rows: 2,
      valid: 2,
      inserted: 2,
      issueCount: 0,
      sameAsBatch: null,
    });
    expect(result.batchId).toBeGreaterThan(0);
    expect((await payments()).filter((p) => p.payment_no.startsWith('UP-'))).toEqual([
      { payment_no: 'UP-1', amount: 120050, paid_on: '2026-10-05' },
      { payment_no: 'UP-2', amount: 30000, paid_on: '2026-10-06' },
    ]);
    const again = (await upload('/api/v1/imports/payments', csv)).json<ImportResult>();
    expect(again).toMatchObject({ outcome: 'unchanged', unchanged: 2, fileName: 'upload' });
    expect(again.sameAsBatch).toBe(result.batchId);
    // The rollups follow in the same transaction.
    const month = await store.db
      .selectFrom('dealer_month')
      .innerJoin('dealer', (j) =>
        j.onRef('dealer.id', '=', 'dealer_month.dealer_id').on('dealer.code', '=', 'PD-1'),
      )
      .select('dealer_month.payment_amount')
      .where('dealer_month.tenant_id', '=', a.tenantId)
      .where('dealer_month.month', '=', '2026-10-01')
      .executeTakeFirst();
    expect(month?.payment_amount).toBe(120050);
  });

  it('imports an XLSX sent as octet-stream or with its own type', async () => {
    const file = await xlsxOf([HEADER.split(','), ['XL-1', 'PD-1', '2026-09-01', 88]]);
    const response = await upload('/api/v1/imports/payments?fileName=回款.xlsx', file, {
      type: XLSX,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<ImportResult>()).toMatchObject({ outcome: 'applied', inserted: 1 });
    const octet = await upload('/api/v1/imports/payments', file, {
      type: 'application/octet-stream',
    });
    expect(octet.json<ImportResult>()).toMatchObject({ outcome: 'unchanged' });
  });

  it('validates without writing on a dry run, and records no batch', async () => {
    const before = await store.db
      .selectFrom('import_batch')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const response = await upload(
      '/api/v1/imports/payments?dryRun=true',
      `${HEADER}\nDRY-1,PD-1,2026-10-05,10\n`,
    );
    expect(response.json<ImportResult>()).toMatchObject({
      outcome: 'validated',
      batchId: null,
      valid: 1,
      inserted: 0,
    });
    expect((await payments()).map((p) => p.payment_no)).not.toContain('DRY-1');
    const after = await store.db
      .selectFrom('import_batch')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('answers a rejected file with 200 and its issues, recorded with a downloadable report', async () => {
    const csv = `${HEADER}\nRJ-1,PD-1,2026-10-05,10\nRJ-2,NOPE,2026-10-05,10\nRJ-3,PD-2,2026-13-40,=1+1\n`;
    const response = await upload('/api/v1/imports/payments?fileName=bad.csv', csv);
    expect(response.statusCode).toBe(200);
    const result = response.json<ImportResult>();
    expect(result).toMatchObject({ outcome: 'rejected', rows: 3, valid: 1, invalid: 2 });
    expect(result.issues.map((i) => [i.row, i.column, i.reason.slice(0, 22)])).toEqual([
      [3, '经销商编码', 'unknown dealer code "N'],
      [4, '回款日期', 'is not a date: "2026-1'],
      [4, '回款金额', 'looks like a spreadshe'],
    ]);
    expect((await payments()).map((p) => p.payment_no)).not.toContain('RJ-1');

    const detail = await send('GET', `/api/v1/imports/${result.batchId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json<ImportBatchDetail>()).toMatchObject({
      id: result.batchId,
      fileName: 'bad.csv',
      outcome: 'rejected',
      source: 'file',
      issueCount: 3,
      actor: { kind: 'user', name: adminLogin },
      mapping: { kind: 'payments', header: true },
    });
    expect(detail.json<ImportBatchDetail>().issues).toEqual(result.issues);

    const report = await send(
      'GET',
      `/api/v1/imports/${result.batchId}/report?format=csv&lang=en-US`,
    );
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    expect(report.headers['content-disposition']).toContain(`import-${result.batchId}-issues.csv`);
    const lines = report.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('file,row,column,field,value,reason');
    // A formula in the report is neutralised: it stays text in a spreadsheet.
    expect(lines[3]).toMatch(
      /^bad\.csv,4,回款金额,amount,'=1\+1,"looks like a spreadsheet formula/,
    );

    const xlsx = await app.inject({
      url: `/api/v1/imports/${result.batchId}/report?format=xlsx&lang=en-US`,
      headers: admin,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(2).getCell(6).value).toBe('unknown dealer code "NOPE"');

    // The same report for a dry run, which records no batch.
    const dry = (
      await upload('/api/v1/imports/payments?dryRun=true&fileName=bad.csv', csv)
    ).json<ImportResult>();
    const dryReport = await send('POST', '/api/v1/imports/report?format=csv&lang=en-US', {
      fileName: 'bad.csv',
      issues: dry.issues,
    });
    expect(dryReport.statusCode).toBe(200);
    expect(dryReport.headers['content-disposition']).toContain('bad-issues.csv');
    expect(
      dryReport.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n'),
    ).toEqual(lines);
  });

  it("writes reports in the language asked for, else in the tenant's", async () => {
    const csv = `${HEADER}\nLG-1,PD-1,2026-10-05,10\nLG-2,NOPE,2026-10-05,10\nLG-3,PD-2,2026-10-05,12abc\n`;
    const result = (
      await upload('/api/v1/imports/payments?fileName=lang.csv', csv)
    ).json<ImportResult>();
    expect(result.issues.map((i) => i.code)).toEqual(['unknown_dealer', 'not_a_number']);
    const lines = (body: string) =>
      body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n');
    const csvReport = async (query: string, headers = admin, id = result.batchId) => {
      const response = await send(
        'GET',
        `/api/v1/imports/${id}/report?${query}`,
        undefined,
        headers,
      );
      expect(response.statusCode, query).toBe(200);
      return lines(response.body);
    };
    const chinese = [
      '文件,行,列,字段,值,原因',
      'lang.csv,3,经销商编码,dealer_code,NOPE,经销商编码“NOPE”不存在',
      'lang.csv,4,回款金额,amount,12abc,不是数字：“12abc”',
    ];
    const english = [
      'file,row,column,field,value,reason',
      'lang.csv,3,经销商编码,dealer_code,NOPE,"unknown dealer code ""NOPE"""',
      'lang.csv,4,回款金额,amount,12abc,"is not a number: ""12abc"""',
    ];
    // The tenant's locale is zh-CN (the default): Chinese unless asked otherwise.
    expect(await csvReport('format=csv')).toEqual(chinese);
    expect(await csvReport('format=csv&lang=zh-CN')).toEqual(chinese);
    expect(await csvReport('format=csv&lang=en-US')).toEqual(english);
    const wrong = await send('GET', `/api/v1/imports/${result.batchId}/report?lang=fr-FR`);
    expect(wrong.statusCode).toBe(400);

    const xlsx = await app.inject({
      url: `/api/v1/imports/${result.batchId}/report?format=xlsx`,
      headers: admin,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, '文件', '行', '列', '字段', '值', '原因']);
    expect(sheet.getRow(2).getCell(6).value).toBe('经销商编码“NOPE”不存在');

    // A dry run's report the same way; an issue without a code keeps its English reason.
    const dry = await send('POST', '/api/v1/imports/report?format=csv', {
      fileName: 'lang.csv',
      issues: [
        ...result.issues,
        { row: 9, column: null, field: null, value: null, reason: 'from an old batch' },
      ],
    });
    expect(lines(dry.body)).toEqual([...chinese, 'lang.csv,9,,,,from an old batch']);
    const dryEnglish = await send('POST', '/api/v1/imports/report?format=csv&lang=en-US', {
      fileName: 'lang.csv',
      issues: result.issues,
    });
    expect(lines(dryEnglish.body)).toEqual(english);

    // A tenant whose locale is English gets English reports unless it asks for Chinese.
    const c = await makeChannel(store.db);
    await store.db
      .updateTable('tenant')
      .set({ locale: 'en-US' })
      .where('id', '=', c.tenantId)
      .execute();
    await makeDealer(store.db, c.tenantId, { region_id: c.regions.th, code: 'PD-1' });
    await makeDealer(store.db, c.tenantId, { region_id: c.regions.th, code: 'PD-2' });
    const adminC = await sessionHeaders(
      store.db,
      c.tenantId,
      (await makeUser(store.db, c.tenantId, { role: 'admin' })).id,
    );
    const theirs = (
      await upload('/api/v1/imports/payments?fileName=lang.csv', csv, { headers: adminC })
    ).json<ImportResult>();
    expect(await csvReport('format=csv', adminC, theirs.batchId)).toEqual(english);
    expect(await csvReport('format=csv&lang=zh-CN', adminC, theirs.batchId)).toEqual(chinese);
    const theirDry = await send(
      'POST',
      '/api/v1/imports/report',
      { fileName: 'lang.csv', issues: theirs.issues },
      adminC,
    );
    expect(lines(theirDry.body)).toEqual(english);
  });

  it('writes the valid rows with acceptValid and reports the others', async () => {
    const response = await upload(
      '/api/v1/imports/payments?acceptValid=true',
      `${HEADER}\nAV-1,PD-1,2026-10-05,10\nAV-2,NOPE,2026-10-05,10\n`,
    );
    expect(response.json<ImportResult>()).toMatchObject({
      outcome: 'partially_applied',
      inserted: 1,
      invalid: 1,
    });
  });

  it('refuses a file that cannot be read, a wrong content type and a missing body with 400', async () => {
    const empty = await upload('/api/v1/imports/payments', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json<ErrorBody>().error).toEqual({
      code: 'validation_failed',
      message: 'upload: the file is empty',
      details: { file: 'upload', row: null, reason: 'file_empty', params: {} },
    });
    const missing = await upload('/api/v1/imports/payments', '回款单号,金额\nX,1\n');
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ErrorBody>().error.message).toContain('no column for dealer_code');
    expect(missing.json<ErrorBody>().error.details).toMatchObject({
      reason: 'missing_columns',
      params: { fields: 'dealer_code (经销商编码), paid_on (回款日期)', columns: '回款单号, 金额' },
    });
    const json = await send('POST', '/api/v1/imports/payments', [{ payment_no: 'x' }]);
    expect(json.statusCode).toBe(400);
    expect(json.json<ErrorBody>().error.message).toContain('raw request body');
    expect(json.json<ErrorBody>().error.details).toMatchObject({
      contentType: 'application/json',
      reason: 'wrong_content_type',
      params: { actual: 'application/json' },
    });
    const kind = await upload('/api/v1/imports/nonsense', `${HEADER}\n`);
    expect(kind.statusCode).toBe(400);
    const pdf = await upload('/api/v1/imports/payments', Buffer.from('%PDF-1.4 binary'), {
      type: 'application/octet-stream',
    });
    expect(pdf.json<ErrorBody>().error.message).toContain('is not a CSV or XLSX file');
    expect(pdf.json<ErrorBody>().error.details).toMatchObject({
      reason: 'not_csv_or_xlsx',
      params: { format: 'PDF' },
    });
    const quote = await upload(
      '/api/v1/imports/payments?fileName=q.csv',
      `${HEADER}\nQ-1,PD-1,2026-10-05,10\nQ-2,"PD-1,2026-10-05,10\n`,
    );
    expect(quote.statusCode).toBe(400);
    expect(quote.json<ErrorBody>().error).toMatchObject({
      message: expect.stringMatching(/^q\.csv, row 3: a quoted field/) as unknown,
      details: { file: 'q.csv', row: 3, reason: 'quote_not_closed', params: {} },
    });
    const sheet = await upload(
      `/api/v1/imports/payments?sheet=${encodeURIComponent('销售')}`,
      await xlsxOf([HEADER.split(',')]),
      { type: XLSX },
    );
    expect(sheet.json<ErrorBody>().error.details).toMatchObject({
      reason: 'sheet_not_found',
      params: { sheet: '销售', sheets: '回款' },
    });
    const noMapping = await upload('/api/v1/imports/payments?mapping=nowhere', `${HEADER}\n`);
    expect(noMapping.json<ErrorBody>().error.details).toEqual({
      field: 'mapping',
      reason: 'unknown_mapping',
      params: { name: 'nowhere' },
    });
  });

  it('spools at most the limit, and fails (not hangs) on a body that breaks off', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'x');
      await expect(
        spool(Readable.from([Buffer.from('12345'), Buffer.from('678')]), path, 6),
      ).rejects.toMatchObject({
        code: 'payload_too_large',
        details: { limitBytes: 6, reason: 'file_too_large', params: { max: 0 } },
      });
      async function* broken() {
        yield Buffer.from('a,b\n');
        throw new Error('connection reset');
      }
      await expect(spool(Readable.from(broken()), path, 100)).rejects.toThrow('connection reset');
      expect(await spool(Readable.from([Buffer.from('a,b\n1,2\n')]), path, 100)).toBe(8);
      expect(await readFile(path, 'utf8')).toBe('a,b\n1,2\n');
    });
  });

  it('serves the XLSX template of a kind', async () => {
    const response = await send('GET', '/api/v1/imports/templates/payments');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.getRow(1).values).toEqual([
      undefined,
      '回款单号',
      '经销商编码',
      '发票号',
      '回款日期',
      '回款金额',
    ]);
    // The notes sheet explains each column in Chinese, then in English.
    const notes = workbook.getWorksheet('说明 Notes')!;
    expect(notes.getRow(2).getCell(1).text).toMatch(/^每行一条记录，按“回款单号”匹配/);
    expect(notes.getRow(9).values).toEqual([
      undefined,
      '回款日期',
      'paid_on',
      '是 yes',
      '日期 date (YYYY-MM-DD)',
      '到账日期',
      'Date received',
      'paid_on, payment_date, 收款日期, 到账日期',
    ]);
  });
});

describe('previews', () => {
  it('shows the detected encoding and delimiter, the field matches and each cell parsed', async () => {
    const csv = iconv.encode(
      '回款单号|客户编码|到账日期|金额|备注\nPV-1|PD-1|2026-10-05|1,200.5|x\nPV-2|PD-9|05/10/2026|-3|y\n',
      'gbk',
    );
    const response = await upload('/api/v1/imports/payments/preview?fileName=gbk.csv', csv);
    expect(response.statusCode).toBe(200);
    const preview = response.json<ImportPreview>();
    expect(preview).toMatchObject({
      format: 'csv',
      encoding: 'gb18030',
      delimiter: '|',
      header: ['回款单号', '客户编码', '到账日期', '金额', '备注'],
      problem: null,
      more: false,
    });
    expect(preview.fields.map((f) => [f.field, f.source, f.column, f.position])).toEqual([
      ['payment_no', 'column', '回款单号', 1],
      ['dealer_code', 'column', '客户编码', 2],
      ['invoice_no', 'none', null, null],
      ['paid_on', 'column', '到账日期', 3],
      ['amount', 'column', '金额', 4],
    ]);
    // Notes in both languages, for the console's tooltips in either.
    expect(preview.fields[3]).toMatchObject({ note: 'Date received', noteZh: '到账日期' });
    expect(preview.rows[0]).toEqual({
      row: 2,
      cells: [
        { raw: 'PV-1', value: 'PV-1', text: 'PV-1', reason: null },
        { raw: 'PD-1', value: 'PD-1', text: 'PD-1', reason: null },
        { raw: null, value: null, text: null, reason: null },
        { raw: '2026-10-05', value: '2026-10-05', text: '2026-10-05', reason: null },
        { raw: '1,200.5', value: 120050, text: '1200.50', reason: null },
      ],
    });
    const bad = preview.rows[1]!.cells;
    expect(bad[3]!.reason).toContain('is not a date');
    expect(bad[4]!.reason).toBe('must not be negative');
    // Unknown codes are the dry run's business.
    expect(bad[1]!.reason).toBeNull();
  });

  it('applies a saved mapping, and says what is missing when a required field has no column', async () => {
    const saved = await send('PUT', '/api/v1/import-mappings/preview-wan', {
      kind: 'payments',
      fields: { amount: { column: '金额(万元)', scale: 10000 } },
    });
    expect(saved.statusCode).toBe(200);
    const file = `回款单号,经销商编码,回款日期,金额(万元)\nW-1,PD-1,2026-10-05,1.5\n`;
    const preview = (
      await upload('/api/v1/imports/payments/preview?mapping=preview-wan', file)
    ).json<ImportPreview>();
    expect(preview.rows[0]!.cells[4]).toMatchObject({ value: 1500000, text: '15000.00' });

    const noDealer = (
      await upload(
        '/api/v1/imports/payments/preview',
        '回款单号,回款日期,回款金额\nN-1,2026-10-05,1\n',
      )
    ).json<ImportPreview>();
    expect(noDealer.problem).toContain('no column for dealer_code (经销商编码)');
    expect(noDealer).toMatchObject({
      problemCode: 'missing_columns',
      problemParams: {
        fields: 'dealer_code (经销商编码)',
        columns: '回款单号, 回款日期, 回款金额',
      },
    });
    expect(noDealer.fields.find((f) => f.field === 'payment_no')).toMatchObject({
      source: 'column',
      column: '回款单号',
    });
    expect(noDealer.rows[0]!.cells[1]).toEqual({
      raw: null,
      value: null,
      text: null,
      reason: 'no column for this field',
      code: 'no_column',
      params: { field: 'dealer_code' },
    });
    expect(preview.problem).toBeNull();
    expect(preview.problemCode).toBeUndefined();
  });

  it('previews with an unsaved mapping sent as mappingJson, refusing a bad one by path', async () => {
    const file = `单号,客户,到账,金额(万元)\nJ-1,PD-1,05/10/2026,1.5\n`;
    const mapping = {
      kind: 'payments',
      fields: {
        payment_no: { template: 'AW-{单号}' },
        dealer_code: { column: '客户' },
        paid_on: { column: 3, dateFormat: 'dd/MM/yyyy' },
        amount: { column: '金额(万元)', scale: 10000 },
      },
    };
    const url = (m: unknown) =>
      `/api/v1/imports/payments/preview?mappingJson=${encodeURIComponent(JSON.stringify(m))}`;
    const response = await upload(url(mapping), file);
    expect(response.statusCode).toBe(200);
    const preview = response.json<ImportPreview>();
    expect(preview.problem).toBeNull();
    expect(preview.rows[0]!.cells.map((c) => c.value)).toEqual([
      'AW-J-1',
      'PD-1',
      null,
      '2026-10-05',
      1500000,
    ]);

    const fieldsOf = (r: { json: <T>() => T }) =>
      r.json<ErrorBody>().error.details as { fields: { in: string; path: string }[] };
    const bad = await upload(
      url({
        ...mapping,
        fields: { ...mapping.fields, amount: { column: 4, scale: -1 }, sku: {} },
      }),
      file,
    );
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad).fields.map((f) => [f.in, f.path])).toEqual([
      ['querystring', 'mappingJson.fields.amount.scale'],
    ]);
    const semantic = await upload(
      url({ ...mapping, fields: { payment_no: { template: 'AW-{' }, sku: {} } }),
      file,
    );
    expect(semantic.statusCode).toBe(400);
    expect(fieldsOf(semantic).fields.map((f) => f.path)).toEqual([
      'mappingJson.fields.payment_no.template',
      'mappingJson.fields.sku',
    ]);
    // Each problem with its reason as a code, and the error as a whole.
    expect(semantic.json<ErrorBody>().error.details).toMatchObject({
      reason: 'invalid_mapping',
      params: { count: 2 },
      fields: [
        { reason: 'template_unclosed', params: { field: 'payment_no', template: 'AW-{' } },
        { reason: 'mapping_unknown_fields', params: { fields: 'sku', kind: 'payments' } },
      ],
    });
    const otherKind = await upload(url({ kind: 'targets' }), file);
    expect(fieldsOf(otherKind).fields.map((f) => f.path)).toEqual(['mappingJson.kind']);
    const notJson = await upload('/api/v1/imports/payments/preview?mappingJson=%7B', file);
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json<ErrorBody>().error.message).toContain('mappingJson: is not JSON');
    expect(notJson.json<ErrorBody>().error.details).toMatchObject({
      reason: 'mapping_not_json',
    });
    const both = await upload(`${url(mapping)}&mapping=preview-wan`, file);
    expect(both.statusCode).toBe(400);
    expect(both.json<ErrorBody>().error.message).toContain('not both');
    expect(both.json<ErrorBody>().error.details).toMatchObject({
      reason: 'mapping_and_mapping_json',
    });
  });

  it('previews an XLSX and shows only the first 20 rows', async () => {
    const rows: (string | number)[][] = [HEADER.split(',')];
    for (let i = 1; i <= 500; i++) rows.push([`BIG-${i}`, 'PD-1', '2026-10-01', i]);
    const preview = (
      await upload('/api/v1/imports/payments/preview', await xlsxOf(rows), { type: XLSX })
    ).json<ImportPreview>();
    expect(preview).toMatchObject({ format: 'xlsx', sheet: '回款', encoding: null, more: true });
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[19]!.row).toBe(21);
    const csv = rows.map((r) => r.join(',')).join('\n');
    const fromCsv = (await upload('/api/v1/imports/payments/preview', csv)).json<ImportPreview>();
    expect(fromCsv.rows).toHaveLength(20);
    expect(fromCsv.more).toBe(true);
  });
});

describe('the ingestion API', () => {
  it('takes a JSON array, and answers with the invalid items by index', async () => {
    const items = [
      { payment_no: 'IN-1', dealer_code: 'PD-1', paid_on: '2026-10-07', amount: 12.5 },
      { payment_no: 'IN-2', dealer_code: 'PD-404', paid_on: '2026-10-07', amount: '3' },
      { payment_no: 'IN-3', dealer_code: 'PD-2', paid_on: 'yesterday', amount: -1 },
      { payment_no: 'IN-4', dealer_code: 'PD-2', paid_on: '2026-10-08', amount: 7 },
    ];
    const response = await send('POST', '/api/v1/ingest/payments', items, ingest);
    expect(response.statusCode).toBe(200);
    const body = response.json<IngestResult>();
    expect(body.result).toMatchObject({
      outcome: 'rejected',
      rows: 4,
      invalid: 2,
      fileName: 'api-payments.json',
    });
    expect(body.items.map((i) => [i.index, i.status, i.issues.map((x) => x.field)])).toEqual([
      [1, 'invalid', ['dealer_code']],
      [2, 'invalid', ['paid_on', 'amount']],
    ]);
    const partial = (
      await send('POST', '/api/v1/ingest/payments?acceptValid=true', items, ingest)
    ).json<IngestResult>();
    expect(partial.result).toMatchObject({ outcome: 'partially_applied', inserted: 2 });
    expect((await payments()).filter((p) => p.payment_no.startsWith('IN-'))).toEqual([
      { payment_no: 'IN-1', amount: 1250, paid_on: '2026-10-07' },
      { payment_no: 'IN-4', amount: 700, paid_on: '2026-10-08' },
    ]);
    const batch = (
      await send('GET', `/api/v1/imports/${partial.result.batchId}`)
    ).json<ImportBatchDetail>();
    expect(batch).toMatchObject({ source: 'api', actor: { kind: 'token' } });
  });

  it('streams NDJSON, keeping item indexes exact when values hold line breaks', async () => {
    const lines = [
      {
        complaint_no: 'NC-1',
        dealer_code: 'PD-1',
        received_on: '2026-10-01',
        body: '送货延迟\n门店断货',
      },
      {
        complaint_no: 'NC-2',
        dealer_code: 'PD-1',
        received_on: '2026-10-02',
        body: '一\r\n二\r\n三',
      },
      {
        complaint_no: 'NC-3',
        dealer_code: 'PD-2',
        received_on: '2026-10-03',
        body: '=HYPERLINK()',
      },
      {
        complaint_no: 'NC-4',
        dealer_code: 'PD-2',
        received_on: '2026-10-04',
        body: 'ok',
        severity: 9,
      },
      {
        complaint_no: 'NC-5',
        dealer_code: 'PD-2',
        received_on: '2026-10-05',
        body: '好',
        tags: null,
      },
    ]
      .map((item) => JSON.stringify(item))
      .join('\n');
    const invalidKey = await upload('/api/v1/ingest/complaints', `${lines}\n\n`, {
      headers: ingest,
      type: 'application/x-ndjson',
    });
    expect(invalidKey.statusCode).toBe(400);
    expect(invalidKey.json<ErrorBody>().error.message).toBe(
      'Item 4: has the unknown field "tags"; complaints has complaint_no, dealer_code, outlet_code, sku, received_on, topic, severity, body, status',
    );
    const response = await upload(
      '/api/v1/ingest/complaints?acceptValid=true',
      `${lines.replace(', "tags":null', '').replace(',"tags":null', '')}\n`,
      { headers: ingest, type: 'application/x-ndjson' },
    );
    expect(response.statusCode).toBe(200);
    const body = response.json<IngestResult>();
    expect(body.result).toMatchObject({ rows: 5, inserted: 3, fileName: 'api-complaints.ndjson' });
    expect(body.items.map((i) => [i.index, i.issues.map((x) => x.field)])).toEqual([
      [2, ['body']],
      [3, ['severity']],
    ]);
    const stored = await store.db
      .selectFrom('complaint')
      .select(['complaint_no', 'body'])
      .where('tenant_id', '=', a.tenantId)
      .orderBy('complaint_no')
      .execute();
    expect(stored).toEqual([
      { complaint_no: 'NC-1', body: '送货延迟\n门店断货' },
      // Line breaks arrive as \n.
      { complaint_no: 'NC-2', body: '一\n二\n三' },
      { complaint_no: 'NC-5', body: '好' },
    ]);
  });

  it('refuses malformed bodies with 400 naming the item or line', async () => {
    const ndjson = (payload: string) =>
      upload('/api/v1/ingest/payments', payload, { headers: ingest, type: 'application/x-ndjson' });
    const broken = await ndjson('{"payment_no":"x"}\n\n{"payment_no":\n');
    expect(broken.statusCode).toBe(400);
    expect(broken.json<ErrorBody>().error.message).toMatch(
      /^NDJSON line 3 \(item 1\) is not valid JSON/,
    );
    expect(broken.json<ErrorBody>().error.details).toMatchObject({
      line: 3,
      item: 1,
      reason: 'ndjson_bad_json',
      params: { line: 3, item: 1 },
    });
    for (const [payload, message, reason] of [
      [[1], 'Item 0: is not a JSON object of field names and values', 'item_not_object'],
      [[{ payment_no: { x: 1 } }], 'Item 0: payment_no holds an object', 'item_bad_value'],
      [[{ payment_no: ' ', amount: null }], 'Item 0: has no values', 'item_empty'],
      [
        [{ payment_no: 'x', colour: 'red' }],
        'Item 0: has the unknown field "colour"',
        'item_unknown_field',
      ],
      [[], 'The body holds no records.', 'ingest_empty'],
      [{ payment_no: 'x' }, 'The body must be a JSON array of records', 'ingest_not_array'],
    ] as const) {
      const response = await send('POST', '/api/v1/ingest/payments', payload, ingest);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json<ErrorBody>().error.message).toContain(message);
      expect(response.json<ErrorBody>().error.details, reason).toMatchObject({ reason });
    }
    const csv = await upload('/api/v1/ingest/payments', 'a,b\n', { headers: ingest });
    expect(csv.statusCode).toBe(400);
    expect(csv.json<ErrorBody>().error.message).toContain('application/x-ndjson');
  });

  it('answers a repeated Idempotency-Key from the record, without importing again', async () => {
    const key = unique('idem');
    const items = [
      { payment_no: 'ID-1', dealer_code: 'PD-1', paid_on: '2026-10-09', amount: 1 },
      { payment_no: 'ID-2', dealer_code: 'PD-X', paid_on: '2026-10-09', amount: 1 },
    ];
    const headers = { ...ingest, 'idempotency-key': key };
    const first = await send('POST', '/api/v1/ingest/payments?acceptValid=true', items, headers);
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const firstBody = first.json<IngestResult>();
    expect(firstBody.result.outcome).toBe('partially_applied');
    await store.db
      .deleteFrom('payment')
      .where('tenant_id', '=', a.tenantId)
      .where('payment_no', '=', 'ID-1')
      .execute();

    const again = await send('POST', '/api/v1/ingest/payments?acceptValid=true', items, headers);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const againBody = again.json<IngestResult>();
    expect({ ...againBody.result, seconds: 0 }).toEqual({ ...firstBody.result, seconds: 0 });
    expect(againBody.items).toEqual(firstBody.items);
    // Not imported again: the row deleted meanwhile stays deleted.
    expect((await payments()).map((p) => p.payment_no)).not.toContain('ID-1');

    const otherKind = await send('POST', '/api/v1/ingest/targets', [{ x: 1 }], headers);
    expect(otherKind.statusCode).toBe(409);
    expect(otherKind.json<ErrorBody>().error.details).toMatchObject({
      reason: 'idempotency_key_other_kind',
      params: { kind: 'payments', expected: 'targets' },
    });
    const upload409 = await upload('/api/v1/imports/targets', 'x\n', {
      headers: { ...admin, 'idempotency-key': key },
    });
    expect(upload409.statusCode).toBe(409);
    const bad = await send('POST', '/api/v1/ingest/payments', items, {
      ...ingest,
      'idempotency-key': 'é',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.details).toMatchObject({ reason: 'bad_idempotency_key' });

    // Two requests with one key at once: one batch, and both get its answer.
    const raced = { ...ingest, 'idempotency-key': unique('race') };
    const racing = [
      { payment_no: 'RACE-1', dealer_code: 'PD-1', paid_on: '2026-10-09', amount: 2 },
    ];
    const [r1, r2] = await Promise.all([
      send('POST', '/api/v1/ingest/payments', racing, raced),
      send('POST', '/api/v1/ingest/payments', racing, raced),
    ]);
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    expect(r1.json<IngestResult>().result.batchId).toBe(r2.json<IngestResult>().result.batchId);
    expect([r1, r2].filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(1);

    // The same for uploads.
    const fileHeaders = { ...admin, 'idempotency-key': unique('file') };
    const csv = `${HEADER}\nIDF-1,PD-1,2026-10-05,10\n`;
    const once = await upload('/api/v1/imports/payments', csv, { headers: fileHeaders });
    const twice = await upload('/api/v1/imports/payments', csv, { headers: fileHeaders });
    expect(twice.headers['idempotent-replayed']).toBe('true');
    expect(twice.json<ImportResult>()).toMatchObject({
      batchId: once.json<ImportResult>().batchId,
      outcome: 'applied',
    });
  });
});

describe('saved mappings', () => {
  it('saves, lists, uses and deletes a mapping, with audit events', async () => {
    const name = 'AdventureWorks 经销商回款';
    const url = `/api/v1/import-mappings/${encodeURIComponent(name)}`;
    const mapping = {
      kind: 'payments',
      header: false,
      delimiter: '|',
      fields: {
        payment_no: { column: 1 },
        dealer_code: { column: 2, values: { AW1: 'PD-1' } },
        paid_on: { column: 3, dateFormat: 'dd/MM/yyyy' },
        amount: { column: 4 },
      },
    };
    const saved = await send('PUT', url, mapping);
    expect(saved.statusCode).toBe(200);
    expect(saved.json<SavedImportMapping>()).toMatchObject({
      name,
      kind: 'payments',
      mapping,
      updatedBy: adminLogin,
    });
    const list = (await send('GET', '/api/v1/import-mappings')).json<SavedImportMappingList>();
    expect(list.items.map((m) => m.name)).toContain(name);
    const asToken = (
      await send('GET', '/api/v1/import-mappings', undefined, ingest)
    ).json<SavedImportMappingList>();
    expect(asToken.items.find((m) => m.name === name)?.updatedBy).toBeNull();

    const file = 'AW-1|AW1|31/10/2026|5.00\nAW-2|PD-2|01/11/2026|6\n';
    const result = (
      await upload(`/api/v1/imports/payments?mapping=${encodeURIComponent(name)}`, file)
    ).json<ImportResult>();
    expect(result).toMatchObject({ outcome: 'applied', inserted: 2 });
    expect((await payments()).filter((p) => p.payment_no.startsWith('AW-'))).toEqual([
      { payment_no: 'AW-1', amount: 500, paid_on: '2026-10-31' },
      { payment_no: 'AW-2', amount: 600, paid_on: '2026-11-01' },
    ]);
    const detail = (
      await send('GET', `/api/v1/imports/${result.batchId}`)
    ).json<ImportBatchDetail>();
    expect(detail.mapping).toMatchObject({ header: false, delimiter: '|' });

    const wrongKind = await upload(
      `/api/v1/imports/targets?mapping=${encodeURIComponent(name)}`,
      file,
    );
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json<ErrorBody>().error.message).toBe(
      `The saved mapping "${name}" is for payments, not targets.`,
    );
    const none = await upload('/api/v1/imports/payments?mapping=nothing-here', file);
    expect(none.statusCode).toBe(400);

    const changed = await send('PUT', url, { ...mapping, delimiter: ';' });
    expect(changed.json<SavedImportMapping>().mapping.delimiter).toBe(';');
    const unknownField = await send('PUT', url, { kind: 'payments', fields: { amout: {} } });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json<ErrorBody>().error.message).toContain('unknown field amout');
    // Mistakes that need no file are refused at once, each by its path.
    const mistakes = await send('PUT', url, {
      kind: 'payments',
      fields: {
        amout: {},
        payment_no: { column: 1, const: 'X' },
        paid_on: { fallback: 2 },
        amount: { template: '{金额}}' },
      },
    });
    expect(mistakes.statusCode).toBe(400);
    expect(mistakes.json<ErrorBody>().error.details).toEqual({
      fields: [
        {
          in: 'body',
          path: 'fields.amout',
          message: expect.stringContaining('unknown field') as unknown,
          reason: 'mapping_unknown_fields',
          params: {
            fields: 'amout',
            kind: 'payments',
            known: 'payment_no, dealer_code, invoice_no, paid_on, amount',
          },
        },
        {
          in: 'body',
          path: 'fields.payment_no',
          message: 'give one of column, const and template',
          reason: 'mapping_many_sources',
          params: { field: 'payment_no' },
        },
        {
          in: 'body',
          path: 'fields.paid_on.fallback',
          message: 'a fallback needs a column to fall back from',
          reason: 'mapping_fallback_without_column',
          params: { field: 'paid_on' },
        },
        {
          in: 'body',
          path: 'fields.amount.template',
          message: 'the template has a } that closes nothing: write }} for a brace',
          reason: 'template_stray_brace',
          params: { field: 'amount', template: '{金额}}' },
        },
      ],
      reason: 'invalid_mapping',
      params: { count: 4 },
    });
    const invalid = await send('PUT', url, { kind: 'payments', delimiter: 'x' });
    expect(invalid.statusCode).toBe(400);
    const slash = await send('PUT', '/api/v1/import-mappings/a%2Fb', mapping);
    expect(slash.statusCode).toBe(400);

    expect((await send('DELETE', url)).statusCode).toBe(204);
    expect((await send('DELETE', url)).statusCode).toBe(404);
    const audit = (
      await send('GET', '/api/v1/audit?entityType=import_mapping&limit=10')
    ).json<AuditPage>();
    expect(audit.items.filter((e) => e.entity.id === name).map((e) => e.action)).toEqual([
      'import_mapping.delete',
      'import_mapping.save',
      'import_mapping.save',
    ]);
    expect(audit.items[0]?.before).toMatchObject({ delimiter: ';' });
  });
});

describe('batches', () => {
  it('lists batches newest first with a cursor and filters, names hidden from tokens', async () => {
    const first = (await send('GET', '/api/v1/imports?limit=2')).json<ImportBatchPage>();
    expect(first.items).toHaveLength(2);
    expect(first.total).toBeGreaterThan(4);
    expect(first.items[0]!.id).toBeGreaterThan(first.items[1]!.id);
    const second = (
      await send('GET', `/api/v1/imports?limit=2&cursor=${first.nextCursor}`)
    ).json<ImportBatchPage>();
    expect(second.items[0]!.id).toBeLessThan(first.items[1]!.id);
    const rejected = (
      await send('GET', '/api/v1/imports?outcome=rejected&kind=payments&limit=100')
    ).json<ImportBatchPage>();
    expect(rejected.items.length).toBeGreaterThan(0);
    expect(rejected.items.every((i) => i.outcome === 'rejected')).toBe(true);
    const asToken = (
      await send('GET', '/api/v1/imports?limit=100', undefined, ingest)
    ).json<ImportBatchPage>();
    expect(asToken.items.every((i) => i.actor.name === null)).toBe(true);
    expect(JSON.stringify(asToken)).not.toContain(adminLogin);
  });

  it("answers another tenant's batch as not found", async () => {
    const theirs = (
      await upload('/api/v1/imports/payments', `${HEADER}\nB-1,PD-1,2026-10-05,10\n`, {
        headers: adminB,
      })
    ).json<ImportResult>();
    expect(theirs.outcome).toBe('applied');
    expect(await payments(b.tenantId)).toHaveLength(1);
    for (const url of [
      `/api/v1/imports/${theirs.batchId}`,
      `/api/v1/imports/${theirs.batchId}/report`,
    ]) {
      const response = await send('GET', url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json<ErrorBody>().error.code).toBe('not_found');
    }
    const mine = (await send('GET', '/api/v1/imports?limit=500')).json<ImportBatchPage>();
    expect(mine.items.map((i) => i.id)).not.toContain(theirs.batchId);
  });

  it('refuses analysts everywhere and lets an ingest token in', async () => {
    const calls: [InjectOptions['method'], string, unknown][] = [
      ['GET', '/api/v1/imports', undefined],
      ['GET', '/api/v1/imports/1', undefined],
      ['GET', '/api/v1/imports/1/report', undefined],
      ['GET', '/api/v1/imports/templates/dealers', undefined],
      ['GET', '/api/v1/import-mappings', undefined],
      ['PUT', '/api/v1/import-mappings/x', { kind: 'dealers' }],
      ['DELETE', '/api/v1/import-mappings/x', undefined],
      ['POST', '/api/v1/ingest/payments', []],
      ['POST', '/api/v1/imports/report', { issues: [] }],
    ];
    for (const [method, url, payload] of calls) {
      const response = await send(method, url, payload, analyst);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    for (const url of ['/api/v1/imports/payments', '/api/v1/imports/payments/preview']) {
      const response = await upload(url, `${HEADER}\n`, { headers: analyst });
      expect(response.statusCode, url).toBe(403);
    }
    const token = await upload('/api/v1/imports/payments', `${HEADER}\nTK-1,PD-1,2026-10-05,1\n`, {
      headers: ingest,
    });
    expect(token.json<ImportResult>().outcome).toBe('applied');
    const template = await send('GET', '/api/v1/imports/templates/dealers', undefined, ingest);
    expect(template.statusCode).toBe(200);
  });

  it('documents the routes under the imports tag', async () => {
    const doc = (await app.inject('/api/openapi.json')).json<{
      paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown }>>;
    }>();
    const upload = doc.paths['/api/v1/imports/{kind}']?.['post'];
    expect(upload?.tags).toEqual(['imports']);
    expect(Object.keys((upload?.requestBody as { content: object }).content)).toContain('text/csv');
    expect(doc.paths['/api/v1/ingest/{kind}']?.['post']?.tags).toEqual(['imports']);
  });
});
