import type { MigrationMatrix, TierDefinition } from '@tierline/contract';

export interface SankeyNode {
  name: string;
  /** 0 for the "from" side, 1 for the "to" side. */
  depth: 0 | 1;
  itemStyle: { color: string };
  /** The tier code (or null for the entered / left nodes), for tooltips and tests. */
  tier: string | null;
}

export interface SankeyLink {
  source: string;
  target: string;
  value: number;
}

export interface SankeyData {
  nodes: SankeyNode[];
  links: SankeyLink[];
}

export interface SankeyLabels {
  /** The node of a tier on one side, e.g. "核心 (2025-03)". */
  node: (tierName: string, period: string) => string;
  /** Dealers with no tier in `from` (new, or not assessed then). */
  entered: string;
  /** Dealers with no tier in `to` (gone, or not assessed then). */
  left: string;
}

const outsideColour = '#BFBFBF';

/**
 * The nodes and links of a tier migration Sankey. A Sankey cannot link a node to itself, so
 * every tier has one node per side, named with its period ("核心 (2025-03)" → "核心 (2025-06)").
 * Dealers that entered or left between the periods flow from or to a grey node of their own.
 * Links with no dealer and nodes without a link are left out; nodes keep the tiers' order.
 */
export function sankeyData(
  tiers: readonly TierDefinition[],
  matrix: MigrationMatrix,
  from: string,
  to: string,
  labels: SankeyLabels,
): SankeyData {
  const byCode = new Map(tiers.map((t) => [t.code, t]));
  const tierOfCode = (code: string): TierDefinition =>
    byCode.get(code) ?? { code, name: code, color: outsideColour };
  const left = matrix.tiers.map((code) => labels.node(tierOfCode(code).name, from));
  // Two sides of the same period would name their nodes alike: keep them apart invisibly.
  const apart = from === to ? '\u200b' : '';
  const right = matrix.tiers.map((code) => `${labels.node(tierOfCode(code).name, to)}${apart}`);
  const entered = `${labels.entered} (${to})`;
  const gone = `${labels.left} (${from})`;

  const links: SankeyLink[] = [];
  matrix.counts.forEach((row, i) => {
    row.forEach((value, j) => {
      const source = left[i];
      const target = right[j];
      if (value > 0 && source !== undefined && target !== undefined) {
        links.push({ source, target, value });
      }
    });
  });
  matrix.entered.forEach((value, j) => {
    const target = right[j];
    if (value > 0 && target !== undefined) links.push({ source: entered, target, value });
  });
  matrix.left.forEach((value, i) => {
    const source = left[i];
    if (value > 0 && source !== undefined) links.push({ source, target: gone, value });
  });

  const used = new Set(links.flatMap((l) => [l.source, l.target]));
  const nodes: SankeyNode[] = [];
  const add = (name: string, depth: 0 | 1, tier: string | null, color: string) => {
    if (used.has(name)) nodes.push({ name, depth, tier, itemStyle: { color } });
  };
  matrix.tiers.forEach((code, i) => add(left[i] ?? code, 0, code, tierOfCode(code).color));
  add(entered, 0, null, outsideColour);
  matrix.tiers.forEach((code, j) => add(right[j] ?? code, 1, code, tierOfCode(code).color));
  add(gone, 1, null, outsideColour);
  return { nodes, links };
}
