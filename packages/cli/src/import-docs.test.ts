import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IMPORT_KINDS } from '@tierline/server';

/**
 * docs/imports.md lists every import kind with its key and fields exactly as kinds.ts defines
 * them. When kinds.ts changes, this fails and shows the section to paste into the doc.
 */
const doc = readFileSync(
  fileURLToPath(new URL('../../../docs/imports.md', import.meta.url)),
  'utf8',
);

type Spec = (typeof IMPORT_KINDS)[keyof typeof IMPORT_KINDS];
type Field = Spec['fields'][number];

const TYPE: Record<Field['type'], string> = {
  text: 'text',
  int: 'whole number',
  decimal: 'number',
  money: 'amount',
  date: 'date',
  month: 'month',
  enum: 'choice',
  tags: 'tags',
};

/** The doc's section of a kind, as generated from its spec. */
function expectedSection(spec: Spec): string {
  const code = (s: string) => `\`${s}\``;
  const lines = [
    `### ${code(spec.kind)} — ${spec.label.zh} ${spec.label.en.toLowerCase()}`,
    '',
    `Key: ${spec.key.map(code).join(' + ')}.${spec.dealerField ? ' Feeds the monthly rollups of the dealer it names.' : ''}`,
    '',
    '| field | 中文列名 | type | required | notes | also accepted |',
    '|---|---|---|---|---|---|',
  ];
  for (const f of spec.fields) {
    const extras: string[] = [];
    if (f.min !== undefined && f.type !== 'money') extras.push(`≥ ${f.min}`);
    if (f.max !== undefined) extras.push(`≤ ${f.max}`);
    if (f.type === 'money' && f.min === 0) extras.push('not negative');
    if (f.type === 'text' && !f.ref && f.maxLength) extras.push(`≤ ${f.maxLength} characters`);
    const note = f.note.replace(/\|/g, '\\|') + (extras.length ? ` (${extras.join(', ')})` : '');
    const aliases = f.aliases
      .filter((a) => a !== f.field && a !== f.zh)
      .map(code)
      .join(', ');
    const type = f.ref ? `code of a ${f.ref}` : TYPE[f.type];
    lines.push(
      `| ${code(f.field)} | ${f.zh} | ${type} | ${f.required ? 'yes' : 'no'} | ${note} | ${aliases} |`,
    );
  }
  return lines.join('\n');
}

function docSection(kind: string): string {
  const start = doc.indexOf(`### \`${kind}\``);
  if (start < 0) return '';
  const end = doc.indexOf('\n\n#', start);
  return doc.slice(start, end < 0 ? undefined : end).trimEnd();
}

describe('docs/imports.md', () => {
  for (const spec of Object.values(IMPORT_KINDS)) {
    it(`documents ${spec.kind} as kinds.ts defines it`, () => {
      expect(docSection(spec.kind)).toBe(expectedSection(spec));
    });
  }
});
