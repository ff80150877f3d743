import type { Kysely } from 'kysely';
import { DomainError, parsePeriod, type AllocationPlan, type Period } from '@tierline/core';
import {
  AllocationConfig,
  type CreateAllocation,
  type AllocationDetail,
  type AllocationLinePage,
  type AllocationPreview,
  type AllocationPurpose,
  type AllocationStatus,
  type AllocationSummary,
  type TierDefinition,
} from '@tierline/contract';
import type { z } from 'zod';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { latestPublishedBefore, type RunRow } from '../tiering/assessment.repository.js';
import { getPolicyById } from '../tiering/policy.repository.js';
import { creditFundsFromAllocation } from '../funds/fund.service.js';
import { allocationCandidates, STREAK_LOOKBACK } from './allocation-input.repository.js';
import { coversTiers, defaultConfig, methodOf, planAllocation } from './allocation-config.js';
import {
  compareLines,
  getAllocation,
  insertAllocation,
  latestPublished,
  listAllocations,
  listLines,
  moveAllocation,
  publishedFor,
  scopedTotals,
  toSummary,
  type AllocationRow,
  type LineFilter,
} from './allocation.repository.js';
import { recordPublishedAllocation } from './allocation.records.js';

/** A create request as the route's schema parsed it (defaults filled). */
export type AllocationRequest = z.output<typeof CreateAllocation>;

interface Prepared {
  period: Period;
  run: RunRow;
  tiers: TierDefinition[];
  config: AllocationConfig;
  configSource: AllocationPreview['configSource'];
  plan: AllocationPlan;
  inputs: ReturnType<typeof planAllocation>['inputs'];
  claimDeadline: string | null;
}

function checkDeadline(request: AllocationRequest, period: Period): string | null {
  if (request.purpose === 'market_fund') {
    if (request.claimDeadline === undefined) {
      throw new DomainError(
        'validation_failed',
        'claimDeadline: A market fund allocation needs the last day dealers may claim (claimDeadline, YYYY-MM-DD).',
        { field: 'claimDeadline' },
      );
    }
    if (request.claimDeadline < `${period.from}-01`) {
      throw new DomainError(
        'validation_failed',
        `claimDeadline: The claim deadline ${request.claimDeadline} is before the period ${period.key} starts; choose a day on or after ${period.from}-01.`,
        { field: 'claimDeadline', value: request.claimDeadline },
      );
    }
    return request.claimDeadline;
  }
  if (request.claimDeadline !== undefined) {
    throw new DomainError(
      'validation_failed',
      'claimDeadline: Only a market fund allocation (purpose market_fund) has a claim deadline; leave it out.',
      { field: 'claimDeadline' },
    );
  }
  return null;
}

/**
 * Everything a draft needs, written nowhere: the period, the latest published assessment that
 * ends before it (whose tiers, standings and scores the split reads), the configuration (the
 * request's; else the last published allocation's of the purpose when it lists the same tiers;
 * else the default), the dealers' inputs, and core's plan.
 */
async function prepare(
  db: Kysely<Database>,
  tenantId: number,
  request: AllocationRequest,
): Promise<Prepared> {
  const period = parsePeriod(request.period);
  const claimDeadline = checkDeadline(request, period);
  const run = await latestPublishedBefore(db, tenantId, period.from);
  if (!run) {
    throw new DomainError(
      'validation_failed',
      `period: No assessment is published for a period that ends before ${period.key} starts (${period.from}); publish the assessment the allocation should follow first.`,
      { field: 'period', value: period.key, reason: 'no_published_run' },
    );
  }
  const tiers = (await getPolicyById(db, tenantId, run.policy_id)).document.tiers;
  const codes = tiers.map((t) => t.code);
  let config: AllocationConfig;
  let configSource: Prepared['configSource'];
  if (request.config) {
    config = request.config;
    configSource = 'request';
  } else {
    const last = await latestPublished(db, tenantId, request.purpose);
    const lastConfig = last ? AllocationConfig.safeParse(last.config) : undefined;
    if (lastConfig?.success && coversTiers(lastConfig.data, codes)) {
      config = lastConfig.data;
      configSource = 'last_published';
    } else {
      config = defaultConfig(codes);
      configSource = 'default';
    }
  }
  const missed = config.adjustments?.missedTarget;
  const candidates = await allocationCandidates(
    db,
    tenantId,
    { id: run.id, periodFrom: run.period_from, periodTo: run.period_to },
    period,
    missed ? Math.max(STREAK_LOOKBACK, missed.periods) : 0,
  );
  const { plan, inputs } = planAllocation(request.pool, config, candidates, codes);
  return { period, run, tiers, config, configSource, plan, inputs, claimDeadline };
}

function runRef(run: RunRow) {
  return {
    id: run.id,
    period: run.period,
    policy: { id: run.policy_id, name: run.policy_name, version: run.policy_version },
  };
}

/** The plan of an allocation request, computed and not saved (the console's live preview). */
export async function previewAllocation(
  db: Kysely<Database>,
  tenantId: number,
  request: AllocationRequest,
): Promise<AllocationPreview> {
  const p = await prepare(db, tenantId, request);
  return {
    period: p.period.key,
    purpose: request.purpose,
    pool: p.plan.pool,
    allocated: p.plan.allocated,
    unallocated: p.plan.unallocated,
    dealerCount: p.plan.lines.length,
    run: runRef(p.run),
    config: p.config,
    configSource: p.configSource,
    method: methodOf(p.config),
    tiers: p.plan.tiers,
    tierDefinitions: p.tiers,
    notes: p.plan.notes,
  };
}

/** Compute and save a draft allocation with its lines and an audit event; returns its id. */
export async function createAllocation(
  db: Kysely<Database>,
  tenantId: number,
  request: AllocationRequest,
  origin: AuditOrigin,
): Promise<number> {
  const p = await prepare(db, tenantId, request);
  const id = await insertAllocation(
    db,
    tenantId,
    {
      period: p.period.key,
      periodFrom: p.period.from,
      periodTo: p.period.to,
      purpose: request.purpose,
      name: request.name ?? '',
      pool: p.plan.pool,
      allocated: p.plan.allocated,
      unallocated: p.plan.unallocated,
      runId: p.run.id,
      config: p.config,
      tiers: p.plan.tiers,
      notes: p.plan.notes,
      claimDeadline: p.claimDeadline,
      createdBy: origin.actor.name,
    },
    p.plan.lines.map((l) => ({ ...l, ...p.inputs.get(l.dealerId)! })),
  );
  await recordAudit(db, tenantId, origin, {
    action: 'allocation.computed',
    entityType: 'budget_allocation',
    entityId: id,
    after: {
      period: p.period.key,
      purpose: request.purpose,
      pool: p.plan.pool,
      allocated: p.plan.allocated,
      dealers: p.plan.lines.length,
      runId: p.run.id,
      configSource: p.configSource,
    },
  });
  return id;
}

/** Allocations as the caller may see them: counts and sums over its own dealers. */
export async function listAllocationSummaries(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  filter: {
    period?: string | undefined;
    purpose?: string | undefined;
    status?: string | undefined;
  },
): Promise<AllocationSummary[]> {
  const rows = await listAllocations(db, tenantId, filter);
  const totals = await scopedTotals(
    db,
    tenantId,
    scope,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toSummary(r, totals.get(r.id)!));
}

/** The previous published allocation of the same purpose, ending before this one's period. */
function previousOf(db: Kysely<Database>, tenantId: number, row: AllocationRow) {
  return latestPublished(db, tenantId, row.purpose, row.period_from);
}

/**
 * One allocation: summary, configuration, method, tier totals and notes (whole-tenant callers
 * only: they are figures over every dealer), and what changed since the previous published
 * allocation of the purpose, over the dealers the caller sees.
 */
export async function allocationDetail(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  id: number,
): Promise<AllocationDetail> {
  const row = await getAllocation(db, tenantId, id);
  const visible = (await scopedTotals(db, tenantId, scope, [id])).get(id)!;
  const previous = await previousOf(db, tenantId, row);
  const whole = scope.kind === 'tenant';
  const tiers = (await getPolicyById(db, tenantId, row.policy_id)).document.tiers;
  const config = AllocationConfig.parse(row.config);
  let comparison: AllocationDetail['comparison'] = {
    previous: null,
    tiers: null,
    newDealers: visible.count,
    goneDealers: 0,
    tierChanges: 0,
    gone: [],
  };
  if (previous) {
    const c = await compareLines(db, tenantId, scope, id, previous.id);
    const order = [...row.tiers.map((t) => t.tier), ...c.perTier.keys()];
    comparison = {
      previous: {
        id: previous.id,
        period: previous.period,
        pool: previous.pool,
        allocated: previous.allocated,
      },
      tiers: whole
        ? [...new Set(order)].map((tier) => {
            const t = c.perTier.get(tier) ?? {
              amount: 0,
              count: 0,
              previousAmount: 0,
              previousCount: 0,
            };
            return {
              tier,
              amount: t.amount,
              previousAmount: t.previousAmount,
              delta: t.amount - t.previousAmount,
              dealerCount: t.count,
              previousDealerCount: t.previousCount,
            };
          })
        : null,
      newDealers: c.newDealers,
      goneDealers: c.goneDealers,
      tierChanges: c.tierChanges,
      gone: c.gone,
    };
  }
  return {
    ...toSummary(row, visible),
    config,
    method: methodOf(config),
    tiers: whole ? row.tiers : null,
    tierDefinitions: tiers,
    notes: whole ? row.notes : [],
    comparison,
  };
}

/** A page of an allocation's lines inside the caller's scope, with the previous amounts. */
export async function allocationLines(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  id: number,
  filter: LineFilter,
): Promise<AllocationLinePage> {
  const row = await getAllocation(db, tenantId, id);
  const previous = await previousOf(db, tenantId, row);
  return listLines(
    db,
    tenantId,
    scope,
    id,
    row.config.tiers.map((t) => t.tier),
    previous?.id ?? null,
    filter,
  );
}

/** The previous published allocation's id for a row (exports). */
export async function previousAllocationId(
  db: Kysely<Database>,
  tenantId: number,
  row: AllocationRow,
): Promise<number | null> {
  return (await previousOf(db, tenantId, row))?.id ?? null;
}

function notDraft(row: AllocationRow, what: string): DomainError {
  return new DomainError(
    'conflict',
    `Allocation ${row.id} is ${row.status}; only a draft can be ${what}.`,
    { allocationId: row.id, status: row.status },
  );
}

/**
 * Publish a draft, atomically: its status, the ledger records (the allocation, then one per
 * dealer), for a market fund the dealers' funds, and the audit event, in the caller's
 * transaction. A published allocation is final: a second one for the same period and purpose
 * is refused, and so is a draft computed from an assessment that is no longer the latest.
 */
export async function publishAllocation(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  origin: AuditOrigin,
): Promise<AllocationDetail> {
  const row = await getAllocation(db, tenantId, id);
  if (row.status !== 'draft') throw notDraft(row, 'published');
  const existing = await publishedFor(db, tenantId, row.period, row.purpose);
  if (existing) {
    throw new DomainError(
      'conflict',
      `${row.period} already has a published ${purposeText(row.purpose)} allocation (id ${existing.id}); a published allocation is final, so this draft cannot be published. Discard it.`,
      { allocationId: row.id, publishedId: existing.id, reason: 'period_published' },
    );
  }
  const latest = await latestPublishedBefore(db, tenantId, row.period_from);
  if ((latest?.id ?? null) !== row.run_id) {
    throw new DomainError(
      'conflict',
      `Allocation ${row.id} used the tiers of assessment run ${row.run_id}, but ${latest ? `run ${latest.id} (${latest.period})` : 'no run'} is now the latest published before ${row.period}; compute the allocation again.`,
      { allocationId: row.id, reason: 'stale_draft' },
    );
  }
  if (!(await moveAllocation(db, tenantId, id, 'draft', 'published', origin.actor.name))) {
    throw new DomainError('conflict', `Allocation ${id} changed meanwhile; reload it.`, {
      allocationId: id,
    });
  }
  await recordPublishedAllocation(db, tenantId, id);
  const credited =
    row.purpose === 'market_fund' ? await creditFundsFromAllocation(db, tenantId, id) : 0;
  await recordAudit(db, tenantId, origin, {
    action: 'allocation.published',
    entityType: 'budget_allocation',
    entityId: id,
    before: { status: 'draft' },
    after: {
      status: 'published',
      period: row.period,
      purpose: row.purpose,
      pool: row.pool,
      allocated: row.allocated,
      ...(row.purpose === 'market_fund' ? { fundsCredited: credited } : {}),
    },
  });
  return allocationDetail(db, tenantId, { kind: 'tenant' }, id);
}

function purposeText(purpose: AllocationPurpose): string {
  return purpose === 'market_fund' ? 'market fund' : 'general';
}

/** Discard a draft; its lines stay readable, marked discarded. */
export async function discardAllocation(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  origin: AuditOrigin,
): Promise<AllocationDetail> {
  const row = await getAllocation(db, tenantId, id);
  if (row.status !== 'draft') throw notDraft(row, 'discarded');
  if (!(await moveAllocation(db, tenantId, id, 'draft', 'discarded'))) {
    throw new DomainError('conflict', `Allocation ${id} changed meanwhile; reload it.`, {
      allocationId: id,
    });
  }
  await recordAudit(db, tenantId, origin, {
    action: 'allocation.discarded',
    entityType: 'budget_allocation',
    entityId: id,
    before: { status: 'draft' as AllocationStatus },
    after: { status: 'discarded' as AllocationStatus },
  });
  return allocationDetail(db, tenantId, { kind: 'tenant' }, id);
}
