import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthRange } from '@tierline/core';
import { runCli } from './test-cli.js';

let dir: string;
const data = () => ['--data-dir', join(dir, 'data'), '--tenant', 'acme'];
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tierline-alerts-'));
  const tenant = await runCli([
    'tenant',
    'create',
    'acme',
    '--name',
    'Acme 食品',
    '--data-dir',
    join(dir, 'data'),
  ]);
  expect(tenant.code, tenant.stderr).toBe(0);
  const imports: [string, string][] = [
    [
      'dealers',
      'code,name,channel_type,region_code,onboarded_on\nD1,天河一号商贸,wholesale,440106,2023-01-10\nD2,天河二号商贸,wholesale,440106,2023-01-10\n',
    ],
    ['products', 'sku,name,category\nP1,矿泉水,饮料\nP2,苏打饼干,休闲零食\n'],
    [
      'order_lines',
      'order_no,line_no,dealer_code,sku,ordered_on,quantity,unit_price,amount\n' +
        monthRange('2024-07', '2025-06')
          .flatMap((m) => [
            `SO-D1-${m},1,D1,P1,${m}-10,100,30.00,3000.00`,
            `SO-D2-${m},1,D2,P2,${m}-12,100,30.00,3000.00`,
          ])
          .join('\n') +
        '\n',
    ],
  ];
  for (const [kind, csv] of imports) {
    const result = await runCli(['import', kind, file(`${kind}.csv`, csv), ...data()]);
    expect(result.code, `${kind}: ${result.stderr}`).toBe(0);
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierline alerts', () => {
  it('has the default rules from the first import, and prints what an evaluation did', async () => {
    // The first import that wrote rows installed the default rules (and evaluated them).
    const installed = await runCli(['alerts', 'rules', 'list', ...data()]);
    expect(installed.stdout).not.toMatch(/No alert rules yet/);
    const first = await runCli(['alerts', 'evaluate', '--as-of', '2025-06', ...data()]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^Evaluated 9 rule\(s\) for 2 dealer\(s\) as of 2025-06 \(time rules: 2025-06-30\)/,
    );
    expect(first.stdout).toMatch(/opened 0 {3}reopened 0/);
    const rules = await runCli(['alerts', 'rules', 'list', ...data()]);
    expect(rules.stdout).toMatch(/sales_decline\s+v1\s+enabled\s+warning\s+decline/);
  });

  it('saves a rule from a file, and an import that brings new facts raises its alert', async () => {
    const rule = {
      code: 'low_sales',
      name: '月销售额过低',
      kind: 'threshold',
      severity: 'critical',
      params: { measure: 'sales_amount', op: '<', value: 200_000, periods: 1 },
    };
    const saved = await runCli([
      'alerts',
      'rules',
      'set',
      '--file',
      file('rule.json', JSON.stringify(rule)),
      ...data(),
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/^Saved alert rule low_sales version 1 \(id \d+\)\.\n$/);
    const shown = await runCli(['alerts', 'rules', 'show', 'low_sales', ...data()]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ ...rule, enabled: true });

    // July's orders: D2 orders for ¥1,000 only, and the import evaluates the dealers it touched.
    const july =
      'order_no,line_no,dealer_code,sku,ordered_on,quantity,unit_price,amount\nSO-D2-2025-07,1,D2,P2,2025-07-12,10,100.00,1000.00\nSO-D1-2025-07,1,D1,P1,2025-07-10,100,30.00,3000.00\n';
    const imported = await runCli(['import', 'order_lines', file('july.csv', july), ...data()]);
    expect(imported.code, imported.stderr).toBe(0);
    const list = await runCli(['alerts', 'list', '--format', 'json', ...data()]);
    const board = JSON.parse(list.stdout) as {
      total: number;
      items: {
        rule: { code: string };
        dealer: { code: string };
        severity: string;
        month: string;
      }[];
    };
    expect(board.items.filter((i) => i.rule.code === 'low_sales')).toEqual([
      expect.objectContaining({
        dealer: expect.objectContaining({ code: 'D2' }),
        severity: 'critical',
        month: '2025-07',
      }),
    ]);
    const table = await runCli(['alerts', 'list', '--severity', 'critical', ...data()]);
    expect(table.stdout).toMatch(/^id\s+severity\s+status\s+rule\s+dealer_code/);
    expect(table.stdout).toMatch(/critical\s+open\s+low_sales\s+D2\s+天河二号商贸/);
    const csv = await runCli(['alerts', 'list', '--format', 'csv', ...data()]);
    expect(csv.stdout.replace(/^\uFEFF/, '').split('\n')[0]).toBe(
      'id,severity,status,rule,dealer_code,dealer,region,owner,month,opened_at,title',
    );

    const again = await runCli(['alerts', 'evaluate', '--dealer', 'D2', ...data()]);
    expect(again.stdout).toMatch(/for 1 dealer\(s\) as of 2025-07/);
    expect(again.stdout).toMatch(/opened 0 .* unchanged 1/);
  });

  it('explains a bad rule file and bad arguments', async () => {
    const bad = file(
      'bad.json',
      JSON.stringify({
        code: 'x',
        name: 'x',
        kind: 'decline',
        severity: 'loud',
        params: { percent: 500 },
      }),
    );
    const refused = await runCli(['alerts', 'rules', 'set', '--file', bad, ...data()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/severity: /);
    expect(refused.stderr).toMatch(/params\.percent: /);
    const month = await runCli(['alerts', 'evaluate', '--as-of', '2025-13', ...data()]);
    expect(month.code).toBe(2);
    expect(month.stderr).toMatch(/--as-of must be a month as YYYY-MM/);
    const dealer = await runCli(['alerts', 'evaluate', '--dealer', 'NOPE', ...data()]);
    expect(dealer.code).toBe(1);
    expect(dealer.stderr).toMatch(/Dealer NOPE does not exist/);
  });
});
