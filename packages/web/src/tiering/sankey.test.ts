import type { MigrationMatrix, TierDefinition } from '@tierline/contract';
import { describe, expect, it } from 'vitest';
import { sankeyData, type SankeyLabels } from './sankey';

const tiers: TierDefinition[] = [
  { code: 'strategic', name: '战略', color: '#7B2FBE' },
  { code: 'core', name: '核心', color: '#1677FF' },
  { code: 'basic', name: '基础', color: '#8C8C8C' },
];

const labels: SankeyLabels = {
  node: (name, period) => `${name} (${period})`,
  entered: '新进入',
  left: '退出',
};

const matrix: MigrationMatrix = {
  tiers: ['strategic', 'core', 'basic'],
  counts: [
    [5, 2, 0],
    [1, 40, 3],
    [0, 0, 0],
  ],
  entered: [0, 4, 0],
  left: [0, 0, 0],
  up: 1,
  down: 5,
  same: 45,
};

describe('sankeyData', () => {
  const data = sankeyData(tiers, matrix, '2025-03', '2025-06', labels);

  it('names each tier once per side, so that no node links to itself', () => {
    for (const link of data.links) expect(link.source).not.toBe(link.target);
    expect(data.links).toContainEqual({
      source: '核心 (2025-03)',
      target: '核心 (2025-06)',
      value: 40,
    });
    expect(data.links).toContainEqual({
      source: '战略 (2025-03)',
      target: '核心 (2025-06)',
      value: 2,
    });
  });

  it('leaves out empty links and nodes with no link, and keeps the tiers in order', () => {
    expect(data.links.every((l) => l.value > 0)).toBe(true);
    expect(data.nodes.map((n) => n.name)).toEqual([
      '战略 (2025-03)',
      '核心 (2025-03)',
      '新进入 (2025-06)',
      '战略 (2025-06)',
      '核心 (2025-06)',
      '基础 (2025-06)',
    ]);
    // Every link ends on a node.
    const names = new Set(data.nodes.map((n) => n.name));
    for (const link of data.links) {
      expect(names.has(link.source) && names.has(link.target)).toBe(true);
    }
  });

  it('colours nodes by tier, with entered and left in grey, on their side', () => {
    const node = (name: string) => data.nodes.find((n) => n.name === name);
    expect(node('战略 (2025-03)')).toMatchObject({ depth: 0, itemStyle: { color: '#7B2FBE' } });
    expect(node('基础 (2025-06)')).toMatchObject({ depth: 1, tier: 'basic' });
    expect(node('新进入 (2025-06)')).toMatchObject({ depth: 0, tier: null });
    expect(data.links).toContainEqual({
      source: '新进入 (2025-06)',
      target: '核心 (2025-06)',
      value: 4,
    });
  });

  it('flows dealers that left into a node of their own', () => {
    const gone = sankeyData(tiers, { ...matrix, left: [0, 0, 7] }, '2025-03', '2025-06', labels);
    expect(gone.links).toContainEqual({
      source: '基础 (2025-03)',
      target: '退出 (2025-03)',
      value: 7,
    });
    expect(gone.nodes.find((n) => n.name === '退出 (2025-03)')?.depth).toBe(1);
  });

  it('keeps the two sides apart even for the same period', () => {
    const same = sankeyData(tiers, matrix, '2025-06', '2025-06', labels);
    for (const link of same.links) expect(link.source).not.toBe(link.target);
  });

  it('has nothing to draw when nobody is in both periods', () => {
    const empty = sankeyData(
      tiers,
      {
        ...matrix,
        counts: [
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
        ],
        entered: [0, 0, 0],
      },
      '2025-03',
      '2025-06',
      labels,
    );
    expect(empty).toEqual({ nodes: [], links: [] });
  });
});
