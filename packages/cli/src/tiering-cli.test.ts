import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '@tierline/core';
import { runCli } from './test-cli.js';

let dir: string;
const data = () => ['--data-dir', join(dir, 'data')];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tierline-tiering-'));
  const demo = await runCli([
    'demo',
    '--dealers',
    '40',
    '--months',
    '14',
    '--end-month',
    '2025-06',
    ...data(),
  ]);
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierline policy, assess, simulate, export', () => {
  it('validates a policy file and explains every problem with its path', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(defaultPolicy('2025-01')));
    const ok = await runCli(['policy', 'validate', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/valid\. Weights: sales_amount 25\.0%, target_achievement 15\.0%/);

    const bad = join(dir, 'bad.json');
    const doc = defaultPolicy('2025-01');
    writeFileSync(
      bad,
      JSON.stringify({
        ...doc,
        metrics: [...doc.metrics, { metric: 'happiness' }],
        assignment: { method: 'thresholds', minScores: { strategic: 50, core: 60, potential: 40 } },
      }),
    );
    const refused = await runCli(['policy', 'validate', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('metrics[10].metric: Unknown metric "happiness"');
    expect(refused.stderr).toContain('assignment.minScores.core: Thresholds are out of order');
    expect(refused.stderr).toContain('weights.values.happiness: Metric "happiness" has no weight.');

    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{ "name": ');
    const broken = await runCli(['policy', 'validate', notJson]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json is not valid JSON/);
  });

  it('backtests the default policy over 12 months: the published history, reproduced', async () => {
    const sim = await runCli([
      'simulate',
      '--policy',
      'default',
      '--from',
      '2024-07',
      '--to',
      '2025-06',
      ...data(),
    ]);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stdout).toMatch(/^Simulated default over 12 period\(s\), \d+ dealers/);
    expect(sim.stdout).toMatch(/\n2025-06 /);
    expect(sim.stdout).toMatch(/up 0 {3}down 0 {3}same \d+/);
  });

  it('simulates a draft file and lists who would move', async () => {
    const draft = join(dir, 'quotas.json');
    const doc = defaultPolicy('2024-07');
    writeFileSync(
      draft,
      JSON.stringify({
        ...doc,
        assignment: {
          method: 'quotas',
          percents: { strategic: 25, core: 25, potential: 25, basic: 25 },
        },
        lifecycle: { ...doc.lifecycle, maxStepUp: null, maxStepDown: 3, demotion: 'automatic' },
        gates: {},
      }),
    );
    const sim = await runCli([
      'simulate',
      '--policy',
      draft,
      '--from',
      '2025-06',
      '--to',
      '2025-06',
      ...data(),
    ]);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stdout).toContain('Who would move:');
    expect(sim.stdout).toMatch(/→ (strategic|core|potential|basic)/);
  });

  it('exports the decisions of a period as CSV', async () => {
    const out = join(dir, 'decisions.csv');
    const res = await runCli([
      'export',
      'decisions',
      '--period',
      '2025-06',
      '--out',
      out,
      ...data(),
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/Wrote run \d+ \(published\)/);
    const lines = readFileSync(out, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^rank,dealer_code,dealer_name,score,previous_tier/);
    expect(lines.length).toBeGreaterThan(30);
    const missing = await runCli(['export', 'decisions', '--period', '2023-01', ...data()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No assessment of 2023-01 exists/);
  });

  it('saves a new policy version, assesses with it, and refuses to publish a period twice', async () => {
    const file = join(dir, 'v2.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...defaultPolicy('2024-07'),
        assignment: { method: 'thresholds', minScores: { strategic: 75, core: 55, potential: 40 } },
      }),
    );
    const saved = await runCli(['policy', 'save', file, '--note', 'stricter', ...data()]);
    expect(saved.stdout).toMatch(/Saved policy default version 2/);
    const list = await runCli(['policy', 'list', ...data()]);
    expect(list.stdout).toMatch(/^default {2}v2 {2}monthly/);
    const draft = await runCli(['assess', '--period', '2025-06', ...data()]);
    expect(draft.code, draft.stderr).toBe(0);
    expect(draft.stdout).toMatch(/2025-06 with policy default v2 — draft\./);
    const publish = await runCli(['assess', '--period', '2025-06', '--publish', ...data()]);
    expect(publish.code).toBe(1);
    expect(publish.stderr).toMatch(/2025-06 is already published/);
    const wrong = await runCli(['assess', '--period', '2025-Q2', ...data()]);
    expect(wrong.stderr).toMatch(/assessed monthly; 2025-Q2 is a quarterly period/);
  });
});
