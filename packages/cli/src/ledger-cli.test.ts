import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEMO_PASSWORD, openStore } from '@tierline/server';
import { runCli, startServe, stop } from './test-cli.js';

let dir: string;
const data = () => ['--data-dir', join(dir, 'data')];
let vkey = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tierline-ledger-'));
  const demo = await runCli([
    'demo',
    '--dealers',
    '30',
    '--months',
    '13',
    '--end-month',
    '2025-06',
    ...data(),
  ]);
  expect(demo.code, demo.stderr).toBe(0);
  const key = await runCli(['ledger', 'vkey', ...data()]);
  expect(key.code, key.stderr).toBe(0);
  vkey = key.stdout.trim();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierline ledger', () => {
  it('verifies the demo log from its tiles, then checks it extends what it saw', async () => {
    expect(vkey).toMatch(/^localhost\/ledger\/demo\+[0-9a-f]{8}\+/);
    const keyFile = join(dir, 'demo.vkey');
    writeFileSync(keyFile, `${vkey}\n`);
    const state = join(dir, 'state.json');
    const { child, url } = await startServe(['--port', '0', ...data()]);
    try {
      const first = await runCli([
        'ledger',
        'verify',
        '--url',
        `${url}/ledger/demo/`,
        '--vkey',
        `@${keyFile}`,
        '--state',
        state,
      ]);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      expect(first.stdout).toMatch(/✓ Checkpoint of localhost\/ledger\/demo signed by/);
      expect(first.stdout).toMatch(/The log localhost\/ledger\/demo verifies: \d+ entries/);
      expect(first.stdout).toContain('First check of this log');
      const again = await runCli([
        'ledger',
        'verify',
        '--url',
        `${url}/ledger/demo`,
        '--vkey',
        vkey,
        '--state',
        state,
      ]);
      expect(again.code, again.stdout).toBe(0);
      expect(again.stdout).toMatch(/Consistent with the checkpoint seen before \(\d+ entries\)/);

      // A dealer downloads its résumé; it verifies offline, and not once edited.
      const signIn = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'dealer', password: DEMO_PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const resume = await fetch(`${url}/api/v1/portal/resume`, { headers: { cookie } });
      expect(resume.status).toBe(200);
      const file = join(dir, 'resume.json');
      const text = await resume.text();
      writeFileSync(file, text);
      const ok = await runCli(['ledger', 'verify-resume', file, '--vkey', vkey]);
      expect(ok.code, ok.stdout).toBe(0);
      // 12 monthly decisions, 2 allocation lines (general, market fund), 2 rebate settlements.
      expect(ok.stdout).toMatch(/The résumé of \S+ .* verifies: 16 records/);
      const edited = join(dir, 'edited.json');
      writeFileSync(edited, text.replace(/\\"score\\":(\d)/, '\\"score\\":9$1'));
      expect(readFileSync(edited, 'utf8')).not.toBe(text);
      const bad = await runCli(['ledger', 'verify-resume', edited, '--vkey', vkey]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/✗ entry \d+ tier_decision 20\d\d-\d\d: The record is not entry/);
      expect(bad.stdout).toContain('does NOT verify');
    } finally {
      await stop(child);
    }
    const wrongKey = await runCli([
      'ledger',
      'verify-resume',
      join(dir, 'resume.json'),
      '--vkey',
      'nonsense',
    ]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toContain('The checkpoint does not verify');
  }, 120_000);

  it('replays a published decision, and checks the whole log against its rows', async () => {
    const store = await openStore({ dataDir: join(dir, 'data') });
    const entry = await sql<{ idx: number }>`
      select idx from ledger_entry where kind = 'tier_decision' order by idx desc limit 1`.execute(
      store.db,
    );
    await store.close();
    const index = entry.rows[0]!.idx;
    const replay = await runCli(['ledger', 'replay', '--entry', String(index), ...data()]);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/✓ inputs digest/);
    expect(replay.stdout).toMatch(/✓ tier/);
    expect(replay.stdout).toContain('The replayed decision matches the logged one.');

    const intact = await runCli(['ledger', 'check', ...data()]);
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/The log of demo is intact: \d+ entries, \d+ checkpoints\./);

    const tamper = await openStore({ dataDir: join(dir, 'data') });
    await sql`update ledger_entry set record = replace(record, '"rank":', '"rank":1') where idx = ${index}`.execute(
      tamper.db,
    );
    await tamper.close();
    const altered = await runCli(['ledger', 'check', ...data()]);
    expect(altered.code).toBe(1);
    expect(altered.stdout).toContain(
      `Entry ${index}'s record and salt do not open its commitment.`,
    );
    const replayed = await runCli(['ledger', 'replay', '--entry', String(index), ...data()]);
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toMatch(/✗ commitment/);
    const missing = await runCli(['ledger', 'replay', '--entry', '99999999', ...data()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Ledger entry 99999999 does not exist.');
  }, 120_000);
});
