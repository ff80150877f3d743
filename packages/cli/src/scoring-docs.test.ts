import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BASE_MEASURES, BUILT_IN_METRICS, defaultPolicy } from '@tierline/core';
import { policyJsonSchema } from '@tierline/server';

/**
 * docs/scoring.md lists every built-in metric and base measure exactly as core defines them,
 * and docs/policy.md publishes the JSON Schema the server serves. When the code changes, these
 * fail and show the text to paste into the doc.
 */
const read = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url)), 'utf8');

export function metricTable(): string {
  return [
    '| metric | 中文 | unit | better | missing | definition |',
    '|---|---|---|---|---|---|',
    ...BUILT_IN_METRICS.map(
      (m) =>
        `| \`${m.key}\` | ${m.name.zh} | ${m.unit} | ${m.direction} | ${m.missing} | ${m.definition} |`,
    ),
  ].join('\n');
}

export function measureTable(): string {
  return [
    '| base measure | over the period | definition |',
    '|---|---|---|',
    ...BASE_MEASURES.map((m) => `| \`${m.key}\` | ${m.aggregate} | ${m.definition} |`),
  ].join('\n');
}

describe('docs', () => {
  it('scoring.md lists every built-in metric and base measure as the code defines them', () => {
    const doc = read('scoring.md');
    expect(doc).toContain(metricTable());
    expect(doc).toContain(measureTable());
  });

  it('policy.md publishes the JSON Schema of a policy document', () => {
    const doc = read('policy.md');
    const schema = JSON.stringify(policyJsonSchema(), null, 2);
    expect(doc).toContain('```json\n' + schema + '\n```');
    expect(doc).toContain(
      '```json\n' + JSON.stringify(defaultPolicy('2025-07'), null, 2) + '\n```',
    );
  });
});
