import type { Kysely } from 'kysely';
import {
  DomainError,
  migrationMatrix,
  parsePeriod,
  periodRange,
  type DealerState,
  type ResolvedPolicy,
} from '@tierline/core';
import type { Simulation, TierPolicy } from '@tierline/contract';
import type { Database } from '../db/database.js';
import { getPolicyVersion } from './policy.repository.js';
import { requireValidPolicy } from './policy.service.js';
import { currentTiers, listRuns, loadPreviousStates } from './assessment.repository.js';
import { computeAssessment, periodForPolicy } from './assessment.service.js';

/** At most this many periods in one simulation (three years of months). */
export const MAX_SIMULATED_PERIODS = 36;

export interface SimulationRequest {
  policy: { name: string; version?: number | undefined } | { document: unknown };
  from: string;
  to: string;
  movers: number;
}

/**
 * What-if and backtest: run a saved policy, or an unsaved draft, over a range of periods
 * without writing anything. Each period starts from the previous simulated one (the first from
 * the tiers published before the range), so lifecycle rules play out as they would have.
 * Returns the counts per period, the migration matrix from the tiers published now to the last
 * simulated period, and the dealers that would move, with why.
 */
export async function simulate(
  db: Kysely<Database>,
  tenantId: number,
  request: SimulationRequest,
  clock: () => number = () => performance.now(),
): Promise<Simulation> {
  const started = clock();
  let policy: TierPolicy;
  let resolved: ResolvedPolicy;
  if ('document' in request.policy) {
    ({ policy, resolved } = requireValidPolicy(request.policy.document));
  } else {
    const version = await getPolicyVersion(
      db,
      tenantId,
      request.policy.name,
      request.policy.version,
    );
    ({ policy, resolved } = requireValidPolicy(version.document));
  }
  const from = periodForPolicy(policy, request.from);
  const to = periodForPolicy(policy, request.to);
  if (to.from < from.from) {
    throw new DomainError(
      'validation_failed',
      `The range ends (${to.key}) before it starts (${from.key}).`,
      { field: 'to' },
    );
  }
  const periods = periodRange(policy.cycle, from, to);
  if (periods.length > MAX_SIMULATED_PERIODS) {
    throw new DomainError(
      'validation_failed',
      `Simulate at most ${MAX_SIMULATED_PERIODS} periods at once; ${from.key}–${to.key} has ${periods.length}.`,
      { field: 'to' },
    );
  }
  const tiers = policy.tiers.map((t) => t.code);
  let state: Map<number, DealerState> = await loadPreviousStates(db, tenantId, from.from);
  let last: Awaited<ReturnType<typeof computeAssessment>> | null = null;
  const out: Simulation['periods'] = [];
  for (const period of periods) {
    const result = await computeAssessment(
      db,
      tenantId,
      resolved,
      parsePeriod(period.key),
      null,
      state,
    );
    const before = new Map([...state].map(([id, s]) => [id, s.tier]));
    const after = new Map(result.decisions.map((d) => [d.dealerId, d.tier]));
    const matrix = migrationMatrix(tiers, before, after);
    out.push({ period: period.key, counts: result.counts, up: matrix.up, down: matrix.down });
    state = new Map(
      result.decisions.map((d) => [
        d.dealerId,
        {
          tier: d.tier,
          standing: d.standing,
          periodsBelow: d.periodsBelow,
          periodsAtBottom: d.periodsAtBottom,
        },
      ]),
    );
    last = result;
  }

  const current = await currentTiers(db, tenantId, { kind: 'tenant' });
  const published = await listRuns(db, tenantId, { status: 'published' });
  const currentMap = new Map(current.map((c) => [c.dealerId, c.tier]));
  const finalMap = new Map((last?.decisions ?? []).map((d) => [d.dealerId, d.tier]));
  const index = new Map(tiers.map((t, i) => [t, i]));
  const moved = (last?.decisions ?? [])
    .filter((d) => currentMap.get(d.dealerId) !== d.tier)
    .map((d) => {
      const was = currentMap.get(d.dealerId);
      const distance =
        was === undefined ? 0 : Math.abs((index.get(was) ?? 0) - (index.get(d.tier) ?? 0));
      return { d, was: was ?? null, distance };
    })
    .sort((a, b) => b.distance - a.distance || b.d.score - a.d.score || a.d.dealerId - b.d.dealerId)
    .slice(0, request.movers);
  const refs = moved.length
    ? await db
        .selectFrom('dealer')
        .select(['id', 'code', 'name'])
        .where('tenant_id', '=', tenantId)
        .where(
          'id',
          'in',
          moved.map((m) => m.d.dealerId),
        )
        .execute()
    : [];
  const refById = new Map(refs.map((r) => [r.id, r]));
  const currentCounts: Record<string, number> = Object.fromEntries(tiers.map((t) => [t, 0]));
  for (const c of current) currentCounts[c.tier] = (currentCounts[c.tier] ?? 0) + 1;

  return {
    policy,
    tiers: policy.tiers,
    periods: out,
    current: { period: published[0]?.period ?? null, counts: currentCounts },
    matrix: migrationMatrix(tiers, currentMap, finalMap),
    movers: moved.map((m) => ({
      dealer: refById.get(m.d.dealerId) ?? { id: m.d.dealerId, code: '', name: '' },
      from: m.was,
      to: m.d.tier,
      previous: m.d.previousTier,
      score: Number(m.d.score.toFixed(2)),
      reasons: m.d.reasons,
    })),
    dealerCount: last?.decisions.length ?? 0,
    elapsedMs: Math.round(clock() - started),
  };
}
