import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { ImportMapping, type ImportKind, type ImportMappingInput } from '@tierline/contract';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { makeChannel, type TestChannel } from '../test/factories.js';
import { refreshRollups } from '../rollups/rollup.repository.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { runImport } from './import.service.js';

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
    const before = await store.db
      .selectFrom('dealer_month')
      .selectAll()
      .where('tenant_id', '=', channel.tenantId)
      .orderBy('dealer_id')
      .orderBy('month')
      .execute();
    await refreshRollups(store.db, channel.tenantId);
    const after = await store.db
      .selectFrom('dealer_month')
      .selectAll()
      .where('tenant_id', '=', channel.tenantId)
      .orderBy('dealer_id')
      .orderBy('month')
      .execute();
    expect(after).toEqual(before);
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
