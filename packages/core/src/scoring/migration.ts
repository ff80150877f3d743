/**
 * Tier migration between two moments (two periods, or current tiers and a simulation):
 * `counts[i][j]` dealers went from tier i to tier j (tiers best first). Dealers only in
 * `after` are counted in `entered`, dealers only in `before` in `left`.
 */
export interface MigrationMatrix {
  tiers: string[];
  counts: number[][];
  entered: number[];
  left: number[];
  /** Dealers that moved up, moved down, stayed. */
  up: number;
  down: number;
  same: number;
}

/** Build the migration matrix of `before` → `after` (dealer id → tier code). */
export function migrationMatrix(
  tiers: readonly string[],
  before: ReadonlyMap<number, string>,
  after: ReadonlyMap<number, string>,
): MigrationMatrix {
  const index = new Map(tiers.map((t, i) => [t, i]));
  const counts = tiers.map(() => tiers.map(() => 0));
  const entered = tiers.map(() => 0);
  const left = tiers.map(() => 0);
  let up = 0;
  let down = 0;
  let same = 0;
  for (const [dealer, tier] of after) {
    const j = index.get(tier);
    if (j === undefined) continue;
    const previous = before.get(dealer);
    const i = previous === undefined ? undefined : index.get(previous);
    if (i === undefined) {
      entered[j]! += 1;
      continue;
    }
    counts[i]![j]! += 1;
    if (j < i) up++;
    else if (j > i) down++;
    else same++;
  }
  for (const [dealer, tier] of before) {
    const i = index.get(tier);
    if (i !== undefined && !after.has(dealer)) left[i]! += 1;
  }
  return { tiers: [...tiers], counts, entered, left, up, down, same };
}
