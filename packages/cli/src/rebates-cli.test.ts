import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RebatePreview } from '@tierline/contract';
import { runCli } from './test-cli.js';

let dir: string;
const data = () => ['--data-dir', join(dir, 'data')];

const program = {
  code: 'q-ladder',
  name: '季度阶梯返利',
  periodKind: 'quarterly',
  basis: 'sales',
  method: 'retroactive',
  ladders: {
    default: [
      { from: 0, to: 100_000_000, rateBasisPoints: 100 },
      { from: 100_000_000, to: null, rateBasisPoints: 200 },
    ],
    tiers: {
      strategic: [
        { from: 0, to: 100_000_000, rateBasisPoints: 200 },
        { from: 100_000_000, to: 500_000_000, rateBasisPoints: 300 },
        { from: 500_000_000, to: null, rateBasisPoints: 500 },
      ],
    },
  },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tierline-rebates-'));
  // Eleven months: the demo publishes no tiers and seeds no resources of its own, so every
  // dealer is on the program's default ladder and the program below is the only one.
  const demo = await runCli([
    'demo',
    '--dealers',
    '30',
    '--months',
    '11',
    '--end-month',
    '2025-08',
    ...data(),
  ]);
  expect(demo.code, demo.stderr).toBe(0);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierline rebates', () => {
  it('creates a program from a file, and refuses a bad ladder with every path', async () => {
    const file = join(dir, 'program.json');
    writeFileSync(file, JSON.stringify(program));
    const created = await runCli(['rebates', 'create', '--file', file, ...data()]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(
      /^Created rebate program q-ladder \(id \d+\): quarterly, sales, retroactive\./,
    );

    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        ...program,
        code: 'q-bad',
        ladders: {
          default: [
            { from: 0, to: 200, rateBasisPoints: 100 },
            { from: 100, to: null, rateBasisPoints: 20_000 },
          ],
          tiers: {},
        },
      }),
    );
    const refused = await runCli(['rebates', 'create', '--file', bad, ...data()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ladders.default[1].from: Brackets 0 and 1 overlap');
    expect(refused.stderr).toContain('ladders.default[1].rateBasisPoints: The rate of bracket 1');

    const noMethod: Record<string, unknown> = { ...program };
    delete noMethod['method'];
    writeFileSync(bad, JSON.stringify({ ...noMethod, code: 'q-none' }));
    const unchosen = await runCli(['rebates', 'create', '--file', bad, ...data()]);
    expect(unchosen.code).toBe(1);
    expect(unchosen.stderr).toMatch(/ {2}method: /);

    const list = await runCli(['rebates', 'programs', ...data()]);
    expect(list.stdout).toMatch(
      /^q-ladder {2}季度阶梯返利 {2}quarterly sales retroactive {2}ladders: strategic, default {2}active {2}settlements 0\n$/,
    );
  });

  it('previews the quarter as a table, JSON and CSV, with the same totals', async () => {
    const table = await runCli(['rebates', 'preview', '--period', '2025-Q3', ...data()]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('q-ladder 季度阶梯返利 · 2025-Q3 · sales · retroactive');
    expect(table.stdout).toContain('sales to 2025-08 (2 of 3 months); projection: run rate');
    expect(table.stdout).toMatch(/\ntotal \(\d+\)/);

    const json = await runCli([
      'rebates',
      'preview',
      '--period',
      '2025-Q3',
      '--format',
      'json',
      ...data(),
    ]);
    const [preview] = JSON.parse(json.stdout) as RebatePreview[];
    expect(preview!.items.length).toBe(preview!.total);
    expect(preview!.items.length).toBeGreaterThan(20);
    expect(preview!.totals.currentRebate).toBe(
      preview!.items.reduce((s, l) => s + l.current.amount, 0),
    );
    const d = preview!.items[0]!;
    expect(d.projectedSales).toBe(Math.round((d.salesToDate * 3) / 2));

    const csv = await runCli([
      'rebates',
      'preview',
      '--period',
      '2025-Q3',
      '--program',
      'q-ladder',
      '--format',
      'csv',
      ...data(),
    ]);
    const lines = csv.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^program,period,as_of,dealer_code/);
    expect(lines).toHaveLength(1 + preview!.total);

    const none = await runCli(['rebates', 'preview', '--period', '2025-08', ...data()]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No active rebate program is settled per period like 2025-08/);
  });

  it('settles interim, refuses a final before the quarter ends, and closes a finished quarter', async () => {
    const interim = await runCli([
      'rebates',
      'settle',
      '--program',
      'q-ladder',
      '--period',
      '2025-Q3',
      ...data(),
    ]);
    expect(interim.code, interim.stderr).toBe(0);
    expect(interim.stdout).toMatch(
      /^Settled q-ladder 2025-Q3 \(settlement 1, interim\), sales to 2025-08\./,
    );

    const early = await runCli([
      'rebates',
      'settle',
      '--program',
      'q-ladder',
      '--period',
      '2025-Q3',
      '--final',
      ...data(),
    ]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/A final settlement needs the whole of 2025-Q3/);

    const args = [
      'rebates',
      'settle',
      '--program',
      'q-ladder',
      '--period',
      '2025-Q2',
      '--final',
      ...data(),
    ];
    const final = await runCli(args);
    expect(final.code, final.stderr).toBe(0);
    expect(final.stdout).toMatch(/settlement 1, final: the period is now closed/);
    const again = await runCli(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/2025-Q2 of rebate program q-ladder is closed/);

    const list = await runCli(['rebates', 'programs', ...data()]);
    expect(list.stdout).toMatch(/settlements 2 {2}closed: 2025-Q2/);
  });
});
