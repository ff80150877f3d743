/**
 * Splitting a whole number of minor units by weights, with floors and caps, exactly: the
 * engine under budget allocation (tiers across the pool, dealers across a tier). Formulas and a
 * worked example: docs/resources.md.
 */

/** One recipient of {@link fillByWeight}. Amounts in minor units. */
export interface FillItem {
  /** Relative weight, ≥ 0 (an integer: callers scale decimals to a common denominator). */
  readonly weight: bigint;
  /** Least amount the item gets, ≥ 0. */
  readonly floor: bigint;
  /** Most amount the item gets (≥ floor), or null for no cap. */
  readonly cap: bigint | null;
  /** Tie-break for rounding: among equal remainders the smaller `order` gets the unit first. */
  readonly order: number;
}

/**
 * Why an item got its amount: `share` its proportional share (rounded), `capped` held at its
 * cap, `floored` raised to its floor (or held there because its weight is 0).
 */
export type FillOutcome = 'share' | 'capped' | 'floored';

/** The result of {@link fillByWeight}; `amounts` and `outcomes` follow the items' order. */
export interface FillResult {
  amounts: bigint[];
  outcomes: FillOutcome[];
  /** What nobody could take: > 0 only when every item with a weight is at its cap. */
  leftover: bigint;
}

/**
 * Splits `amount` across items in proportion to their weights, each between its floor and its
 * cap, and rounds by largest remainder so that the parts add up to exactly `amount` (less
 * `leftover` when every weighted item is capped).
 *
 * The exact shares are `clamp(λ·weight, floor, cap)` for the one λ ≥ 0 that makes them add up,
 * found by iterative redistribution: split what is left among the free items; if the parts
 * above their caps exceed (in total) the shortfalls below floors, fix those items at their caps,
 * otherwise fix the short ones at their floors; repeat until no free item is out of bounds.
 * What a cap leaves over thus goes to the other items in proportion to their weights. Items
 * with weight 0 get exactly their floor. Rounding: each free item gets ⌊exact share⌋, then the
 * units still missing go one each to the largest fractional parts, ties to the smaller `order`.
 * Capped and floored amounts are whole already, so rounding never breaks a cap or a floor.
 *
 * Requires Σ floors ≤ amount and floor ≤ cap for every item (callers validate).
 */
export function fillByWeight(amount: bigint, items: readonly FillItem[]): FillResult {
  const outcomes: (FillOutcome | 'free')[] = items.map((it) =>
    it.weight > 0n ? 'free' : 'floored',
  );
  const amounts = items.map((it) => it.floor);
  let fixed = items.reduce((s, it) => (it.weight > 0n ? s : s + it.floor), 0n);
  let free = indexesOf(outcomes, 'free');
  while (free.length > 0 && fixBounds(amount - fixed, items, free, outcomes, amounts)) {
    fixed = 0n;
    items.forEach((_, i) => {
      if (outcomes[i] !== 'free') fixed += amounts[i]!;
    });
    free = indexesOf(outcomes, 'free');
  }
  const rest = amount - fixed;
  if (free.length === 0) {
    return { amounts, outcomes: outcomes as FillOutcome[], leftover: rest };
  }
  const total = free.reduce((s, i) => s + items[i]!.weight, 0n);
  const quotients = free.map((i) => (rest * items[i]!.weight) / total);
  const remainders = free.map((i) => (rest * items[i]!.weight) % total);
  const shared = quotients.reduce((s, q) => s + q, 0n);
  const rounded = distributeRemainders(
    quotients,
    remainders,
    free.map((i) => items[i]!.order),
    rest - shared,
  );
  free.forEach((i, k) => {
    amounts[i] = rounded[k]!;
    outcomes[i] = 'share';
  });
  return { amounts, outcomes: outcomes as FillOutcome[], leftover: 0n };
}

/**
 * One round of redistribution: splits `rest` across the free items by weight and fixes the
 * side that is out of bounds by more (caps, floors, or both when equal). Returns whether it
 * fixed anything.
 */
function fixBounds(
  rest: bigint,
  items: readonly FillItem[],
  free: readonly number[],
  outcomes: (FillOutcome | 'free')[],
  amounts: bigint[],
): boolean {
  const total = free.reduce((s, i) => s + items[i]!.weight, 0n);
  // Exact shares are rest·w/total; compare rest·w with bound·total to stay in integers.
  let excess = 0n;
  let shortfall = 0n;
  for (const i of free) {
    const { weight, floor, cap } = items[i]!;
    const share = rest * weight;
    if (cap !== null && share > cap * total) excess += share - cap * total;
    else if (share < floor * total) shortfall += floor * total - share;
  }
  if (excess === 0n && shortfall === 0n) return false;
  for (const i of free) {
    const { weight, floor, cap } = items[i]!;
    const share = rest * weight;
    if (excess >= shortfall && cap !== null && share > cap * total) {
      outcomes[i] = 'capped';
      amounts[i] = cap;
    } else if (shortfall >= excess && share < floor * total) {
      outcomes[i] = 'floored';
      amounts[i] = floor;
    }
  }
  return true;
}

/**
 * Largest remainder (Hamilton) rounding: adds one unit to each of the `units` parts with the
 * largest remainders (remainders share one denominator), ties to the smaller `order`. Returns
 * the new parts; `units` must not exceed the number of positive remainders.
 */
export function distributeRemainders(
  quotients: readonly bigint[],
  remainders: readonly bigint[],
  order: readonly number[],
  units: bigint,
): bigint[] {
  const out = [...quotients];
  if (units <= 0n) return out;
  const ranked = quotients.map((_, k) => k);
  ranked.sort((a, b) => {
    const ra = remainders[a]!;
    const rb = remainders[b]!;
    if (ra !== rb) return ra > rb ? -1 : 1;
    return order[a]! - order[b]!;
  });
  for (let k = 0; k < Number(units); k++) out[ranked[k]!]! += 1n;
  return out;
}

function indexesOf<T>(values: readonly T[], value: T): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    if (v === value) out.push(i);
  });
  return out;
}
