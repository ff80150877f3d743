import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DealerFundBalance, FundBalance } from '@tierline/contract';
import { runCli } from './test-cli.js';

let dir: string;
const data = () => ['--data-dir', join(dir, 'data')];
let dealerCode = '';

/** A date some days from today (UTC); far enough from today for any tenant time zone. */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tierline-funds-'));
  const demo = await runCli([
    'demo',
    '--dealers',
    '20',
    '--months',
    '3',
    '--end-month',
    '2025-08',
    ...data(),
  ]);
  expect(demo.code, demo.stderr).toBe(0);
  const users = await runCli(['user', 'list', ...data()]);
  // login, role, status, scope (the dealer user's dealer code), display name
  const dealerUser = users.stdout.split('\n').find((line) => line.startsWith('dealer\t'));
  dealerCode = dealerUser?.split('\t')[3] ?? '';
  expect(dealerCode).not.toBe('');
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierline funds', () => {
  it('says there are no funds yet', async () => {
    const empty = await runCli(['funds', 'balances', ...data()]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('No market development funds yet');
  });

  it('grants a fund in exact major units and lists it in every format', async () => {
    const code = dealerCode;
    const granted = await runCli([
      'funds',
      'grant',
      '--dealer',
      code,
      '--period',
      '2026-Q1',
      '--amount',
      '12,345.67',
      '--deadline',
      inDays(60),
      ...data(),
    ]);
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.stdout).toMatch(
      new RegExp(
        `^Granted fund \\d+ to ${code} .*: 12,345\\.67 for 2026-Q1, claims by ${inDays(60)}\\. Available now: 12,345\\.67\\.`,
      ),
    );

    const table = await runCli(['funds', 'balances', ...data()]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(
      /dealer\s+name\s+next deadline\s+funds\s+allocated\s+pending\s+approved\s+paid\s+available/,
    );
    expect(table.stdout).toMatch(/total \(1\).*12,345\.67\s+0\.00\s+0\.00\s+0\.00\s+12,345\.67/);

    const json = await runCli(['funds', 'balances', '--format', 'json', ...data()]);
    const parsed = JSON.parse(json.stdout) as { items: DealerFundBalance[]; totals: FundBalance };
    expect(parsed.items).toHaveLength(1);
    expect(parsed.items[0]).toMatchObject({
      dealer: { code },
      allocated: 1_234_567,
      available: 1_234_567,
    });
    expect(parsed.totals).toEqual({
      allocated: 1_234_567,
      pending: 0,
      approved: 0,
      paid: 0,
      available: 1_234_567,
    });

    const csv = await runCli(['funds', 'balances', '--format', 'csv', ...data()]);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'dealer_code,dealer_name,funds,allocated,pending,approved,paid,available,next_deadline',
    );
    expect(lines[1]).toMatch(
      new RegExp(`^${code},.*,1,12345\\.67,0,0,0,12345\\.67,${inDays(60)}$`),
    );

    const requests = await runCli(['funds', 'requests', ...data()]);
    expect(requests.stdout).toContain('No fund requests.');
    const claims = await runCli(['funds', 'claims', '--status', 'submitted', ...data()]);
    expect(claims.stdout).toContain('No fund claims.');
  });

  it('refuses bad input with a clear message, writing nothing', async () => {
    const code = dealerCode;
    const cases: [string[], number, RegExp][] = [
      [['--amount', '10.123'], 2, /--amount has 3 decimals; the tenant's currency has 2/],
      [['--amount', '-5'], 2, /--amount must be an amount in major units/],
      [['--deadline', '31/12/2026'], 2, /--deadline must be a date as YYYY-MM-DD/],
      [['--deadline', '2020-01-01'], 1, /claim deadline 2020-01-01 has passed/],
      [['--dealer', 'NO-SUCH'], 1, /No dealer has the code "NO-SUCH"/],
    ];
    for (const [override, exit, message] of cases) {
      const args: Record<string, string> = {
        '--dealer': code,
        '--period': '2026-Q2',
        '--amount': '100',
        '--deadline': inDays(30),
      };
      for (let i = 0; i < override.length; i += 2) args[override[i]!] = override[i + 1]!;
      const run = await runCli(['funds', 'grant', ...Object.entries(args).flat(), ...data()]);
      expect(run.code, run.stderr).toBe(exit);
      expect(run.stderr).toMatch(message);
    }
    const json = await runCli(['funds', 'balances', '--format', 'json', ...data()]);
    expect((JSON.parse(json.stdout) as { totals: FundBalance }).totals.allocated).toBe(1_234_567);
    const status = await runCli(['funds', 'requests', '--status', 'waiting', ...data()]);
    expect(status.code).toBe(2);
  });
});
