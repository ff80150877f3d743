import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { defaultPolicy } from '@tierline/core';
import { formatAmount, parseAmount } from './commands/resources.js';
import { runCli } from './test-cli.js';

let dir: string;
const data = () => ['--data-dir', join(dir, 'data')];

// The demo's channel without its year of assessments (fewer than 12 months), then the default
// policy published for two months by the CLI: the allocations here are the only ones.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tierline-resources-'));
  const demo = await runCli([
    'demo',
    '--dealers',
    '40',
    '--months',
    '11',
    '--end-month',
    '2025-06',
    ...data(),
  ]);
  expect(demo.code, demo.stderr).toBe(0);
  const policy = join(dir, 'policy.json');
  writeFileSync(policy, JSON.stringify(defaultPolicy('2024-01')));
  const saved = await runCli(['policy', 'save', policy, ...data()]);
  expect(saved.code, saved.stderr).toBe(0);
  for (const period of ['2025-05', '2025-06']) {
    const run = await runCli(['assess', '--period', period, '--publish', ...data()]);
    expect(run.code, run.stderr).toBe(0);
  }
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('amounts on the command line', () => {
  it('reads major units exactly and writes them back', () => {
    expect(parseAmount('1000000', 2)).toBe(100_000_000);
    expect(parseAmount('1,000,000.5', 2)).toBe(100_000_050);
    expect(parseAmount('0.07', 2)).toBe(7);
    expect(parseAmount('12', 0)).toBe(12);
    expect(() => parseAmount('1.005', 2)).toThrow(/3 decimals/);
    expect(() => parseAmount('-5', 2)).toThrow(/major units/);
    expect(() => parseAmount('1e6', 2)).toThrow(/major units/);
    expect(() => parseAmount('99999999999999999', 2)).toThrow(/too large/);
    expect(formatAmount(100_000_050, 2)).toBe('1,000,000.50');
    expect(formatAmount(-5, 2)).toBe('-0.05');
  });
});

describe('tierline allocate, allocations, benefits, roi', () => {
  let id = 0;

  it('previews a split without saving it', async () => {
    const before = await runCli(['allocations', 'list', '--format', 'json', ...data()]);
    const res = await runCli([
      'allocate',
      '--period',
      '2025-09',
      '--pool',
      '1000000',
      '--dry-run',
      ...data(),
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(
      /^Plan \(not saved\): general 2025-09, pool CNY 1,000,000\.00, allocated CNY 1,000,000\.00/,
    );
    expect(res.stdout).toMatch(/tiers of run \d+ \(2025-06, policy default v1\)/);
    expect(res.stdout).toMatch(/configuration: default/);
    expect(res.stdout).toMatch(/strategic\s+40%\s+sales/);
    const after = await runCli(['allocations', 'list', '--format', 'json', ...data()]);
    expect(after.stdout).toBe(before.stdout);
  });

  it('computes and publishes in one go, to the fen', async () => {
    const res = await runCli([
      'allocate',
      '--period',
      '2025-09',
      '--pool',
      '1000000.50',
      '--publish',
      '--format',
      'json',
      ...data(),
    ]);
    expect(res.code, res.stderr).toBe(0);
    const plan = JSON.parse(res.stdout) as {
      id: number;
      status: string;
      pool: number;
      allocated: number;
    };
    expect(plan).toMatchObject({ status: 'published', pool: 100_000_050, allocated: 100_000_050 });
    id = plan.id;
    const again = await runCli([
      'allocate',
      '--period',
      '2025-09',
      '--pool',
      '5',
      '--publish',
      ...data(),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('2025-09 already has a published general allocation');
  });

  it('refuses bad input with each problem and its path, and bad amounts as usage errors', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        shareUnit: 'percent',
        tiers: [
          { tier: 'strategic', share: 40, rule: 'sales', floor: 500, cap: 100 },
          { tier: 'core', share: 30, rule: 'score' },
          { tier: 'potential', share: 20, rule: 'equal' },
          { tier: 'basic', share: 5, rule: 'target' },
        ],
      }),
    );
    const res = await runCli([
      'allocate',
      '--period',
      '2025-10',
      '--pool',
      '100',
      '--config',
      config,
      ...data(),
    ]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'config.tiers[0].cap: Tier strategic has a cap of 100 below its floor of 500',
    );
    const missing = await runCli([
      'allocate',
      '--period',
      '2025-08',
      '--pool',
      '100',
      '--config',
      config.replace('config.json', 'missing.json'),
      ...data(),
    ]);
    expect(missing.code).toBe(2);
    const decimals = await runCli([
      'allocate',
      '--period',
      '2025-08',
      '--pool',
      '1.001',
      ...data(),
    ]);
    expect(decimals.code).toBe(2);
    expect(decimals.stderr).toContain('--pool has 3 decimals');
  });

  it('lists, shows and exports allocations', async () => {
    const list = await runCli(['allocations', 'list', ...data()]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`${id}\\s+2025-09\\s+general\\s+published\\s+1,000,000\\.50`),
    );
    const show = await runCli(['allocations', 'show', String(id), ...data()]);
    expect(show.stdout).toMatch(/^Allocation \d+ \(published\): general 2025-09/);
    const out = join(dir, 'allocation.xlsx');
    const exported = await runCli(['allocations', 'export', String(id), '--out', out, ...data()]);
    expect(exported.code, exported.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const tiers = workbook.getWorksheet('tiers')!;
    expect(tiers.getRow(tiers.rowCount).getCell(8).value).toBe(1_000_000.5);
    let sum = 0;
    workbook.getWorksheet('lines')!.eachRow((row, n) => {
      if (n > 1) sum += Math.round(Number(row.getCell(10).value) * 100);
    });
    expect(sum).toBe(100_000_050);
  });

  it('adds benefits, sets their values per tier and refuses values that do not fit', async () => {
    const add = await runCli([
      'benefits',
      'add',
      '--code',
      'cli_bonus',
      '--name',
      '年终奖励',
      '--kind',
      'rebate_rate',
      '--unit',
      'basis_points',
      ...data(),
    ]);
    expect(add.code, add.stderr).toBe(0);
    const file = join(dir, 'values.json');
    writeFileSync(file, JSON.stringify({ cli_bonus: { strategic: 300, core: 200, basic: 100 } }));
    const set = await runCli([
      'benefits',
      'set',
      '--policy',
      'default',
      '--version',
      '1',
      '--file',
      file,
      ...data(),
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('Saved 3 values for policy default v1');
    writeFileSync(file, JSON.stringify({ cli_bonus: { strategic: 30000, gold: 1 } }));
    const bad = await runCli([
      'benefits',
      'set',
      '--policy',
      'default',
      '--version',
      '1',
      '--file',
      file,
      ...data(),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('2 problem(s)');
    expect(bad.stderr).toContain('values.cli_bonus.gold: gold is not a tier');
    const list = await runCli(['benefits', 'list', ...data()]);
    expect(list.stdout).toMatch(/^cli_bonus\s+rebate_rate\s+basis_points\s+年终奖励$/m);
  });

  it('reports resource ROI per tier and in total', async () => {
    const res = await runCli(['roi', '--from', '2025-09', '--to', '2025-09', ...data()]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/2025-09\s+total\s+\d+\s+1,000,000\.50/);
  });
});
