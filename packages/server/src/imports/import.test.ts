import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import {
  ImportIssueCode,
  ImportMapping,
  importIssueParams,
  type ImportIssue,
  type ImportKind,
  type ImportMappingInput,
} from '@tierline/contract';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { makeChannel, makeDealer, type TestChannel } from '../test/factories.js';
import { sql } from 'kysely';
import { refreshRollups } from '../rollups/rollup.repository.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { runImport } from './import.service.js';
import { KINDS } from './kinds.js';
import { parseCell, type ParseOptions } from './values.js';

let store: TestStore;
let channel: TestChannel;
const origin: AuditOrigin = {
  actor: { kind: 'cli', id: null, name: 'cli:test' },
  ip: null,
  userAgent: null,
};

beforeAll(async () => {
  store = await createTestStore();
  channel = await makeChannel(store.db);
});
afterAll(async () => {
  await store.destroy();
});

function load(
  kind: ImportKind,
  content: string | Buffer,
  options: {
    mapping?: Partial<ImportMappingInput>;
    dryRun?: boolean;
    acceptValid?: boolean;
    fileName?: string;
    tenantId?: number;
  } = {},
) {
  return runImport(store, {
    tenantId: options.tenantId ?? channel.tenantId,
    mapping: ImportMapping.parse({ kind, ...options.mapping }),
    fileName: options.fileName ?? `${kind}.csv`,
    input: Readable.from([typeof content === 'string' ? Buffer.from(content) : content]),
    dryRun: options.dryRun ?? false,
    acceptValid: options.acceptValid ?? false,
    origin,
    source: 'file',
  });
}

/** The channel's rollups as the imports left them equal a full rebuild from the facts. */
async function expectRollupsAsRebuilt(): Promise<void> {
  const rollups = () =>
    store.db
      .selectFrom('dealer_month')
      .selectAll()
      .where('tenant_id', '=', channel.tenantId)
      .orderBy('dealer_id')
      .orderBy('month')
      .execute();
  const incremental = await rollups();
  await refreshRollups(store.db, channel.tenantId);
  expect(await rollups()).toEqual(incremental);
}

const DEALERS = [
  '经销商编码,经销商名称,层级,上级经销商编码,渠道类型,区域编码,状态,签约日期,标签',
  'GZ01,广州恒信商贸,1,,wholesale,440106,active,2021-06-01,KA;餐饮',
  'GZ02,"广州二号,分销",2,GZ01,wholesale,440106,合作中,2022/03/15,',
  'SZ01,深圳南山贸易,1,,modern_trade,440305,probation,2020年1月2日,KA',
].join('\r\n');

describe('import', () => {
  it('imports dealers with Chinese headers, a 二级 whose parent is in the same file, value maps', async () => {
    const result = await load('dealers', DEALERS, {
      mapping: { fields: { status: { values: { 合作中: 'active' } } } },
    });
    expect(result).toMatchObject({
      outcome: 'applied',
      rows: 3,
      valid: 3,
      invalid: 0,
      inserted: 3,
      updated: 0,
      issueCount: 0,
    });
    const rows = await store.db
      .selectFrom('dealer')
      .select(['code', 'name', 'chain_level', 'parent_id', 'status', 'onboarded_on', 'tags'])
      .where('tenant_id', '=', channel.tenantId)
      .orderBy('code')
      .execute();
    expect(
      rows.map((r) => [r.code, r.name, r.chain_level, r.status, r.onboarded_on, r.tags]),
    ).toEqual([
      ['GZ01', '广州恒信商贸', 1, 'active', '2021-06-01', ['KA', '餐饮']],
      ['GZ02', '广州二号,分销', 2, 'active', '2022-03-15', []],
      ['SZ01', '深圳南山贸易', 1, 'probation', '2020-01-02', ['KA']],
    ]);
    expect(rows[1]?.parent_id).not.toBeNull();
  });

  it('says so when the same file comes again, and changes nothing', async () => {
    const again = await load('dealers', DEALERS, {
      mapping: { fields: { status: { values: { 合作中: 'active' } } } },
    });
    expect(again).toMatchObject({ outcome: 'unchanged', inserted: 0, updated: 0, unchanged: 3 });
    expect(again.sameAsBatch).toBeGreaterThan(0);
  });

  it('updates a changed row and leaves the rest', async () => {
    const changed = DEALERS.replace(
      '深圳南山贸易,1,,modern_trade,440305,probation',
      '深圳南山贸易,1,,modern_trade,440305,suspended',
    );
    const result = await load('dealers', changed, {
      mapping: { fields: { status: { values: { 合作中: 'active' } } } },
    });
    expect(result).toMatchObject({ outcome: 'applied', inserted: 0, updated: 1, unchanged: 2 });
  });

  it('imports products, then order lines with rollups updated in the same transaction', async () => {
    const products = await load(
      'products',
      'sku|name|category|list_price|launched_on\nP-1|矿泉水|饮料|¥3.00|2024-01-01\nP-2|饼干|休闲零食|"1,200.50"|\n',
    );
    expect(products).toMatchObject({ outcome: 'applied', inserted: 2 });
    const lines = await load(
      'order_lines',
      [
        '订单号,行号,经销商编码,产品编码,下单日期,数量,单价,金额',
        'SO1,1,GZ01,P-1,2026-09-03,10,3.00,30.00',
        'SO1,2,GZ01,P-2,2026-09-03,2,1200.50,2401.00',
        'SO2,1,SZ01,P-1,2026-10-01,-1,3.00,-3.00',
      ].join('\n'),
    );
    expect(lines).toMatchObject({ outcome: 'applied', inserted: 3, invalid: 0 });
    const months = await store.db
      .selectFrom('dealer_month as m')
      .innerJoin('dealer as d', (j) =>
        j.onRef('d.tenant_id', '=', 'm.tenant_id').onRef('d.id', '=', 'm.dealer_id'),
      )
      .select(['d.code', 'm.month', 'm.sales_amount', 'm.order_line_count'])
      .where('m.tenant_id', '=', channel.tenantId)
      .orderBy('d.code')
      .orderBy('m.month')
      .execute();
    expect(months.map((m) => [m.code, m.month, m.sales_amount, m.order_line_count])).toEqual([
      ['GZ01', '2026-09-01', 243100, 2],
      ['SZ01', '2026-10-01', -300, 1],
    ]);
    // Incremental rollups equal a full rebuild.
    await expectRollupsAsRebuilt();
  });

  it('moves a line to another dealer and refreshes both dealers', async () => {
    const result = await load(
      'order_lines',
      '订单号,行号,经销商编码,产品编码,下单日期,数量,单价,金额\nSO2,1,GZ01,P-1,2026-10-01,-1,3.00,-3.00\n',
    );
    expect(result).toMatchObject({ outcome: 'applied', updated: 1 });
    const sz = await store.db
      .selectFrom('dealer_month as m')
      .innerJoin('dealer as d', (j) =>
        j.onRef('d.tenant_id', '=', 'm.tenant_id').onRef('d.id', '=', 'm.dealer_id'),
      )
      .select(['d.code'])
      .where('m.tenant_id', '=', channel.tenantId)
      .where('d.code', '=', 'SZ01')
      .execute();
    expect(sz).toEqual([]);
  });

  it('moves a line to another month and refreshes the month it left, as a rebuild would', async () => {
    const salesOf = async (code: string) =>
      (
        await store.db
          .selectFrom('dealer_month as m')
          .innerJoin('dealer as d', (j) =>
            j.onRef('d.tenant_id', '=', 'm.tenant_id').onRef('d.id', '=', 'm.dealer_id'),
          )
          .select(['m.month', 'm.sales_amount'])
          .where('m.tenant_id', '=', channel.tenantId)
          .where('d.code', '=', code)
          .orderBy('m.month')
          .execute()
      ).map((m) => [m.month, m.sales_amount]);
    expect(await salesOf('GZ01')).toEqual([
      ['2026-09-01', 243100],
      ['2026-10-01', -300],
    ]);
    // SO1 line 1 was ordered on 2026-09-03: corrected to November.
    const result = await load(
      'order_lines',
      '订单号,行号,经销商编码,产品编码,下单日期,数量,单价,金额\nSO1,1,GZ01,P-1,2026-11-05,10,3.00,30.00\n',
    );
    expect(result).toMatchObject({ outcome: 'applied', updated: 1 });
    expect(await salesOf('GZ01')).toEqual([
      ['2026-09-01', 240100],
      ['2026-10-01', -300],
      ['2026-11-01', 3000],
    ]);
    await expectRollupsAsRebuilt();
  });

  // Two connections: PGlite has one.
  it.skipIf(!process.env['TEST_DATABASE_URL'])(
    'reports a dealer deleted while its lines are imported as unknown, and writes none of them',
    async () => {
      const t = channel.tenantId;
      const dealerId = await makeDealer(store.db, t, { region_id: channel.regions.th });
      const { code } = await store.db
        .selectFrom('dealer')
        .select('code')
        .where('tenant_id', '=', t)
        .where('id', '=', dealerId)
        .executeTakeFirstOrThrow();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let deleted!: () => void;
      const isDeleted = new Promise<void>((resolve) => (deleted = resolve));
      // Another user deletes the dealer and has not committed yet when the import starts.
      const deleting = store.db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('dealer')
          .where('tenant_id', '=', t)
          .where('id', '=', dealerId)
          .execute();
        deleted();
        await released;
      });
      await isDeleted;
      const importing = load(
        'order_lines',
        `订单号,行号,经销商编码,产品编码,下单日期,数量,单价,金额\nRACE1,1,${code},P-1,2026-10-01,1,3.00,3.00\n`,
      );
      // The import waits for the dealer's row (it locks what the file names before checking).
      for (let i = 0; i < 200; i++) {
        const waiting = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(store.db);
        if ((waiting.rows[0]?.n ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      release();
      await deleting;
      const result = await importing;
      expect(result).toMatchObject({ outcome: 'rejected', inserted: 0 });
      expect(result.issues.map((i) => [i.row, i.code, i.value])).toEqual([
        [2, 'unknown_dealer', code],
      ]);
      const written = await store.db
        .selectFrom('order_line')
        .select('id')
        .where('tenant_id', '=', t)
        .where('order_no', '=', 'RACE1')
        .execute();
      expect(written).toEqual([]);
    },
  );

  it('rejects the whole file when a row is wrong, naming row, column, value and reason', async () => {
    const result = await load(
      'payments',
      [
        '回款单号,经销商编码,回款日期,回款金额',
        'PAY1,GZ01,2026-10-05,100.00',
        'PAY2,NOPE,2026-10-06,50',
        'PAY3,GZ01,2026-13-01,50',
        'PAY4,GZ01,2026-10-07,-5',
        'PAY1,GZ01,2026-10-08,1',
        'PAY6,=cmd|calc,2026-10-08,1',
      ].join('\n'),
    );
    expect(result.outcome).toBe('rejected');
    expect(result).toMatchObject({ rows: 6, valid: 1, invalid: 5, inserted: 0 });
    expect(result.issues.map((i) => [i.row, i.column, i.value, i.reason])).toEqual([
      [3, '经销商编码', 'NOPE', 'unknown dealer code "NOPE"'],
      [
        4,
        '回款日期',
        '2026-13-01',
        'is not a date: "2026-13-01" (use YYYY-MM-DD, or give dateFormat in the mapping)',
      ],
      [5, '回款金额', '-5', 'must not be negative'],
      [6, null, 'payment_no=PAY1', 'duplicate key: row 2 has the same payment_no'],
      [7, '经销商编码', '=cmd|calc', expect.stringMatching(/looks like a spreadsheet formula/)],
    ]);
    const count = await store.db
      .selectFrom('payment')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('tenant_id', '=', channel.tenantId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('takes the valid rows with accept-valid, and validates without writing in a dry run', async () => {
    const file =
      '回款单号,经销商编码,回款日期,回款金额\nPAY1,GZ01,2026-10-05,100.00\nPAY2,NOPE,2026-10-06,50\n';
    const dry = await load('payments', file, { dryRun: true, acceptValid: true });
    expect(dry).toMatchObject({ outcome: 'validated', batchId: null, inserted: 0, invalid: 1 });
    const partial = await load('payments', file, { acceptValid: true });
    expect(partial).toMatchObject({ outcome: 'partially_applied', inserted: 1, invalid: 1 });
    const clean = await load(
      'payments',
      '回款单号,经销商编码,回款日期,回款金额\nPAY9,GZ01,2026-10-05,1\n',
      { dryRun: true },
    );
    expect(clean).toMatchObject({ outcome: 'validated', inserted: 0, batchId: null });
  });

  it('reads GBK, UTF-16 and tab- or pipe-separated files without a header, through positions', async () => {
    const rows = 'T1\tGZ01\t2026-10\t5万\n'.replace('5万', '5');
    const gbk = iconv.encode(
      '经销商编码,月份,目标金额\nGZ01,2026-10,5\nSZ01,2026年11月,6.5\n',
      'gbk',
    );
    const viaGbk = await load('targets', gbk, {
      mapping: { fields: { amount: { scale: 10000 } } },
    });
    expect(viaGbk).toMatchObject({ outcome: 'applied', inserted: 2 });
    const target = await store.db
      .selectFrom('sales_target')
      .select(['amount', 'month'])
      .where('tenant_id', '=', channel.tenantId)
      .orderBy('month')
      .execute();
    expect(target).toEqual([
      { amount: 5000000, month: '2026-10-01' },
      { amount: 6500000, month: '2026-11-01' },
    ]);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode('经销商编码\t月份\t目标金额\nGZ01\t2026-12\t7\n', 'utf-16le'),
    ]);
    expect(await load('targets', utf16)).toMatchObject({ outcome: 'applied', inserted: 1 });
    const piped = await load('targets', 'GZ01|2027-01|8\n', {
      mapping: {
        header: false,
        fields: { dealer_code: { column: 1 }, month: { column: 2 }, amount: { column: 3 } },
      },
    });
    expect(piped).toMatchObject({ outcome: 'applied', inserted: 1 });
    expect(rows).toContain('T1');
  });

  it('reads the first sheet of an XLSX, or a named one', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['not data']);
    const sheet = workbook.addWorksheet('回款');
    sheet.addRow(['回款单号', '经销商编码', '回款日期', '回款金额']);
    sheet.addRow(['X1', 'GZ01', new Date(Date.UTC(2026, 9, 9)), 12.5]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const named = await load('payments', buffer, {
      mapping: { sheet: '回款' },
      fileName: 'p.xlsx',
    });
    expect(named).toMatchObject({ outcome: 'applied', inserted: 1 });
    const paid = await store.db
      .selectFrom('payment')
      .select(['paid_on', 'amount'])
      .where('payment_no', '=', 'X1')
      .executeTakeFirstOrThrow();
    expect(paid).toEqual({ paid_on: '2026-10-09', amount: 1250 });
    await expect(
      load('payments', buffer, { mapping: { sheet: 'Nope' }, fileName: 'p.xlsx' }),
    ).rejects.toThrow(/has no sheet "Nope" \(sheets: 说明, 回款\)/);
  });

  it('refuses a file whose header lacks a required column, naming what it has', async () => {
    await expect(load('payments', '单号,金额\nA,1\n')).rejects.toThrow(
      /payments.csv: no column for payment_no \(回款单号\), dealer_code \(经销商编码\), paid_on \(回款日期\); the header has 单号, 金额/,
    );
  });

  it('keeps tenants apart: codes of another tenant are unknown', async () => {
    const other = await makeChannel(store.db);
    const result = await load(
      'payments',
      '回款单号,经销商编码,回款日期,回款金额\nQ1,GZ01,2026-10-05,1\n',
      {
        tenantId: other.tenantId,
      },
    );
    expect(result.issues[0]?.reason).toBe('unknown dealer code "GZ01"');
  });
});

describe('mapping extras', () => {
  const paymentsOf = async (prefix: string) =>
    (
      await store.db
        .selectFrom('payment')
        .select(['payment_no', 'paid_on', 'amount'])
        .where('tenant_id', '=', channel.tenantId)
        .where('payment_no', 'like', `${prefix}%`)
        .orderBy('payment_no')
        .execute()
    ).map((p) => [p.payment_no, p.paid_on, p.amount]);

  it('computes a field from a template, and reads a fallback column where the first is empty', async () => {
    const file = [
      '单号,客户,到账,记账,金额',
      '1,GZ01,2026-10-05,2026-10-06,10',
      '2,GZ01,,2026-10-07,20',
      '',
    ];
    const result = await load('payments', file.join('\n'), {
      mapping: {
        fields: {
          payment_no: { template: 'TPL-{单号}-{{x}}' },
          dealer_code: { column: '客户' },
          paid_on: { column: '到账', fallback: '记账' },
          amount: { column: 5 },
        },
      },
    });
    expect(result).toMatchObject({ outcome: 'applied', rows: 2, valid: 2, skipped: 0 });
    expect(await paymentsOf('TPL-')).toEqual([
      ['TPL-1-{x}', '2026-10-05', 1000],
      ['TPL-2-{x}', '2026-10-07', 2000],
    ]);
  });

  it('skips the rows a filter leaves out and counts them', async () => {
    const file = [
      '单号,客户,日期,金额,状态',
      'FLT1,GZ01,2026-10-05,1,ok',
      'FLT2,GZ01,2026-10-05,2,void',
      'FLT3,GZ01,2026-10-05,3,',
      '',
    ];
    const mapping = {
      fields: {
        payment_no: { column: '单号' },
        dealer_code: { column: '客户' },
        paid_on: { column: '日期' },
        amount: { column: '金额' },
      },
      where: [{ column: '状态', notIn: ['void', ''] }],
    };
    const result = await load('payments', file.join('\n'), { mapping });
    expect(result).toMatchObject({
      outcome: 'applied',
      rows: 3,
      valid: 1,
      skipped: 2,
      inserted: 1,
    });
    expect(await paymentsOf('FLT')).toEqual([['FLT1', '2026-10-05', 100]]);
    const none = await load('payments', file.join('\n'), {
      mapping: { ...mapping, where: [{ column: 5, in: ['missing'] }] },
    });
    expect(none).toMatchObject({ outcome: 'rejected', skipped: 3, valid: 0 });
    expect(none.issues[0]?.reason).toBe(
      "no row is left to import: the mapping's row filter skipped all 3 rows",
    );
  });

  it('takes the last row of a repeated key with duplicates: last, and reports repeats by default', async () => {
    const file = [
      '回款单号,经销商编码,回款日期,回款金额',
      'DUP1,GZ01,2026-10-01,1',
      'DUP2,GZ01,2026-10-01,2',
      'DUP1,GZ01,2026-10-03,5',
      '',
    ];
    const rejected = await load('payments', file.join('\n'));
    expect(rejected).toMatchObject({ outcome: 'rejected', invalid: 1 });
    expect(rejected.issues[0]?.reason).toBe('duplicate key: row 2 has the same payment_no');
    const result = await load('payments', file.join('\n'), { mapping: { duplicates: 'last' } });
    expect(result).toMatchObject({
      outcome: 'applied',
      rows: 3,
      valid: 2,
      skipped: 1,
      inserted: 2,
    });
    expect(await paymentsOf('DUP')).toEqual([
      ['DUP1', '2026-10-03', 500],
      ['DUP2', '2026-10-01', 200],
    ]);
    const batch = await store.db
      .selectFrom('import_batch')
      .select(['rows_total', 'rows_valid', 'rows_invalid'])
      .where('tenant_id', '=', channel.tenantId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(batch).toEqual({ rows_total: 3, rows_valid: 2, rows_invalid: 0 });
  });

  it.each([
    [
      { payment_no: { template: 'X-{单号' } },
      /the template of payment_no, "X-\{单号", has a \{ that is never closed/,
    ],
    [{ payment_no: { template: 'fixed' } }, /names no column: use const for a fixed value/],
    [{ payment_no: { template: 'A}' } }, /has a \} that closes nothing/],
    [
      { payment_no: { template: '{nope}' } },
      /names column "nope" for payment_no's template, which the header does not have/,
    ],
    [{ payment_no: { column: '单号', const: 'A' } }, /more than one of column, const and template/],
    [{ paid_on: { fallback: '日期' } }, /a fallback column but no column to fall back from/],
  ])('refuses a bad mapping before reading rows: %j', async (fields, message) => {
    await expect(
      load('payments', '单号,客户,日期,金额\nA,GZ01,2026-10-05,1\n', {
        mapping: {
          fields: { payment_no: { column: '单号' }, dealer_code: { column: '客户' }, ...fields },
        },
      }),
    ).rejects.toThrow(message);
  });

  it('refuses a filter on a column the header does not have', async () => {
    await expect(
      load('payments', '回款单号,经销商编码,回款日期,回款金额\nA,GZ01,2026-10-05,1\n', {
        mapping: { where: [{ column: '状态', in: ['ok'] }] },
      }),
    ).rejects.toThrow(/names column "状态" for row filter 1, which the header does not have/);
  });
});

/** Every issue carries a known code with exactly the parameters its message names. */
function expectCoded(issues: readonly ImportIssue[]): void {
  for (const issue of issues) {
    expect(issue.code, issue.reason).toBeDefined();
    const code = ImportIssueCode.parse(issue.code);
    expect(Object.keys(issue.params ?? {}).sort(), `${code}: ${issue.reason}`).toEqual(
      [...importIssueParams[code]].sort(),
    );
  }
}

describe('reason codes', () => {
  const seen = new Set<ImportIssueCode>();
  const spec = (kind: ImportKind, field: string) =>
    KINDS[kind].fields.find((f) => f.field === field)!;
  const options: ParseOptions = { minorUnits: 2 };

  it.each([
    ['required', spec('payments', 'amount'), ' ', {}, { field: 'amount' }],
    ['bad_encoding', spec('payments', 'payment_no'), 'P\uFFFD1', {}, {}],
    ['formula', spec('payments', 'amount'), '=1+1', {}, { start: '=' }],
    ['formula_prefix', spec('payments', 'payment_no'), '@SUM(A1)', {}, { start: '@' }],
    ['control_characters', spec('payments', 'payment_no'), 'P\u00011', {}, {}],
    ['too_long', spec('payments', 'payment_no'), 'P'.repeat(65), {}, { max: 64 }],
    ['tag_formula', spec('dealers', 'tags'), 'KA;=cmd', {}, {}],
    ['tag_too_long', spec('dealers', 'tags'), `KA;${'x'.repeat(65)}`, {}, { max: 64 }],
    [
      'not_a_choice',
      spec('dealers', 'status'),
      'frozen',
      {},
      { choices: 'active, probation, suspended, terminated', value: 'frozen' },
    ],
    ['not_a_number', spec('payments', 'amount'), '12abc', {}, { value: '12abc' }],
    ['out_of_range', spec('payments', 'amount'), '1e30', {}, { value: '1e30' }],
    ['not_whole', spec('order_lines', 'quantity'), '2.25', {}, { value: '2.25' }],
    ['negative', spec('payments', 'amount'), '(12.00)', {}, { value: '(12.00)' }],
    ['below_min', spec('complaints', 'severity'), '0', {}, { min: 1, value: '0' }],
    ['above_max', spec('complaints', 'severity'), '4', {}, { max: 3, value: '4' }],
    ['not_a_date', spec('payments', 'paid_on'), '05/10/2026', {}, { value: '05/10/2026' }],
    [
      'not_a_date_in_format',
      spec('payments', 'paid_on'),
      '2026-10-05',
      { dateFormat: 'dd/MM/yyyy' },
      { value: '2026-10-05', format: 'dd/MM/yyyy' },
    ],
    ['not_a_month', spec('targets', 'month'), '2026-13', {}, { value: '2026-13' }],
  ] as const)('a cell: %s', (code, field, raw, extra, params) => {
    const parsed = parseCell(field, raw, { ...options, ...extra });
    expect(parsed).toMatchObject({ ok: false, code, params });
    if (!parsed.ok) expectCoded([{ ...parsed, row: 2, column: null, field: null, value: raw }]);
    seen.add(code);
  });

  const DEALER_HEAD = 'code,name,chain_level,parent_code,channel_type,region_code,onboarded_on';
  const PAY_HEAD = 'payment_no,dealer_code,paid_on,amount';
  let tenantId: number;
  beforeAll(async () => {
    tenantId = (await makeChannel(store.db)).tenantId;
    const dealers = await load(
      'dealers',
      `${DEALER_HEAD}\nRC01,一号,1,,wholesale,440106,2021-06-01\n`,
      { tenantId },
    );
    expect(dealers.outcome).toBe('applied');
  });

  it.each([
    [
      'extra_cells',
      'payments',
      `${PAY_HEAD}\nX1,RC01,2026-10-05,1,oops\n`,
      {},
      { cells: 5, columns: 4 },
    ],
    ['row_short', 'payments', `${PAY_HEAD}\nX1,RC01\n`, {}, { cells: 2, columns: 4 }],
    [
      'row_short_headerless',
      'payments',
      'X1,RC01\n',
      {
        header: false,
        fields: {
          payment_no: { column: 1 },
          dealer_code: { column: 2 },
          paid_on: { column: 3 },
          amount: { column: 4 },
        },
      },
      { cells: 2 },
    ],
    [
      'parent_dealer_required',
      'dealers',
      `${DEALER_HEAD}\nRC02,二号,2,,wholesale,440106,2022-01-01\n`,
      {},
      {},
    ],
    [
      'parent_dealer_not_allowed',
      'dealers',
      `${DEALER_HEAD}\nRC02,二号,1,RC01,wholesale,440106,2022-01-01\n`,
      {},
      {},
    ],
    [
      'dealer_own_parent',
      'dealers',
      `${DEALER_HEAD}\nRC02,二号,2,RC02,wholesale,440106,2022-01-01\n`,
      {},
      {},
    ],
    ['region_own_parent', 'regions', 'code,name,level,parent_code\nR9,九区,area,R9\n', {}, {}],
    [
      'ends_before_start',
      'campaigns',
      'code,name,starts_on,ends_on\nC1,春节,2026-02-01,2026-01-31\n',
      {},
      {},
    ],
    [
      'due_before_issue',
      'invoices',
      'invoice_no,dealer_code,issued_on,due_on,amount\nI1,RC01,2026-10-05,2026-10-04,1\n',
      {},
      {},
    ],
    ['no_data_rows', 'payments', `${PAY_HEAD}\n`, {}, {}],
    [
      'all_rows_filtered',
      'payments',
      `${PAY_HEAD}\nX1,RC01,2026-10-05,1\nX2,RC01,2026-10-05,1\n`,
      { where: [{ column: 'amount', notIn: ['1'] }] },
      { rows: 2 },
    ],
    [
      'duplicate_key',
      'order_lines',
      'order_no,line_no,dealer_code,sku,ordered_on,quantity,unit_price,amount\n' +
        'O1,1,RC01,SKU-1,2026-10-05,1,1,1\nO1,1,RC01,SKU-1,2026-10-05,1,1,1\n',
      {},
      { row: 2, key: 'order_no, line_no' },
    ],
    ['unknown_dealer', 'payments', `${PAY_HEAD}\nX1,NOPE,2026-10-05,1\n`, {}, { code: 'NOPE' }],
    [
      'unknown_parent_dealer',
      'dealers',
      `${DEALER_HEAD}\nRC02,二号,2,NOPE,wholesale,440106,2022-01-01\n`,
      {},
      { code: 'NOPE' },
    ],
    [
      'unknown_product',
      'order_lines',
      'order_no,line_no,dealer_code,sku,ordered_on,quantity,unit_price,amount\n' +
        'O1,1,RC01,NOPE,2026-10-05,1,1,1\n',
      {},
      { code: 'NOPE' },
    ],
    [
      'unknown_outlet',
      'visits',
      'visit_no,dealer_code,outlet_code,visited_on\nV1,RC01,NOPE,2026-10-05\n',
      {},
      { code: 'NOPE' },
    ],
    [
      'unknown_region',
      'dealers',
      `${DEALER_HEAD}\nRC02,二号,1,,wholesale,NOPE,2022-01-01\n`,
      {},
      { code: 'NOPE' },
    ],
    [
      'unknown_parent_region',
      'regions',
      'code,name,level,parent_code\nR9,九区,area,NOPE\n',
      {},
      { code: 'NOPE' },
    ],
    [
      'unknown_campaign',
      'campaign_executions',
      'execution_no,campaign_code,dealer_code,reported_on,tasks_planned,tasks_completed\n' +
        'E1,NOPE,RC01,2026-10-05,1,1\n',
      {},
      { code: 'NOPE' },
    ],
  ] as const)('a row or the file: %s', async (code, kind, content, mapping, params) => {
    const result = await load(kind, content, {
      tenantId,
      dryRun: true,
      mapping: mapping as Partial<ImportMappingInput>,
    });
    expect(result.outcome).toBe('rejected');
    expect(result.issues).toContainEqual(expect.objectContaining({ code, params }));
    expectCoded(result.issues);
    seen.add(code);
  });

  it('covers every code of the contract', () => {
    expect([...seen].sort()).toEqual([...ImportIssueCode.options].sort());
  });
});

describe('a reader that fails', () => {
  it('fails the import with a clear error and writes nothing (it does not hang)', async () => {
    async function* broken() {
      yield Buffer.from('回款单号,经销商编码,回款日期,回款金额\n');
      for (let i = 0; i < 3000; i++) yield Buffer.from(`BRK${i},GZ01,2026-10-05,1\n`);
      throw new Error('connection reset');
    }
    await expect(
      runImport(store, {
        tenantId: channel.tenantId,
        mapping: ImportMapping.parse({ kind: 'payments' }),
        fileName: 'broken.csv',
        input: Readable.from(broken()),
        origin,
        source: 'file',
      }),
    ).rejects.toThrow(/^broken\.csv, row \d+: could not be read to its end \(connection reset\)$/);
    const written = await store.db
      .selectFrom('payment')
      .select('payment_no')
      .where('payment_no', 'like', 'BRK%')
      .execute();
    expect(written).toEqual([]);
  });
});
