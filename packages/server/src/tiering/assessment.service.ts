import type { Kysely } from 'kysely';
import {
  assessValues,
  DomainError,
  metricValues,
  framesNeeded,
  parsePeriod,
  type AssessmentResult,
  type Period,
  type RecordedInputs,
  type ResolvedPolicy,
} from '@tierline/core';
import type { CreateOverride, DecisionDetail, RunDetail, TierPolicy } from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { getPolicyById, getPolicyVersion, listPolicyVersions } from './policy.repository.js';
import { requireValidPolicy } from './policy.service.js';
import { loadMeasureFrames } from './measure.repository.js';
import { saveInputs } from './assessment-input.repository.js';
import { recordOverride, recordPublishedRun } from '../ledger/records.js';
import {
  applyPublishedRun,
  decodeContributions,
  decodeGap,
  findDecision,
  findRunFor,
  getRun,
  latestPublishedBefore,
  loadOverrides,
  loadPreviousStates,
  overrideAuthors,
  publishedFrom,
  replaceDecisions,
  toDecision,
  toRunSummary,
  type DecisionRow,
  type RunRow,
} from './assessment.repository.js';

/** Check that a policy assesses periods of this kind and covers it. */
export function periodForPolicy(policy: TierPolicy, key: string): Period {
  const period = parsePeriod(key);
  if (period.cycle !== policy.cycle) {
    throw new DomainError(
      'validation_failed',
      `Policy "${policy.name}" is assessed ${policy.cycle}; ${key} is a ${period.cycle} period. Use a ${policy.cycle} period, e.g. ${example(policy.cycle)}.`,
      { field: 'period', value: key },
    );
  }
  return period;
}

function example(cycle: TierPolicy['cycle']): string {
  return { monthly: '2026-10', quarterly: '2026-Q3', semiannual: '2026-H1', annual: '2026' }[cycle];
}

/**
 * Run the engine for one period: read the measures, the previous published states and the
 * overrides, and assess. Nothing is written.
 */
export async function computeAssessment(
  db: Kysely<Database>,
  tenantId: number,
  resolved: ResolvedPolicy,
  period: Period,
  runId: number | null,
  previous?: Awaited<ReturnType<typeof loadPreviousStates>>,
): Promise<AssessmentResult> {
  return (await computeRecorded(db, tenantId, resolved, period, runId, previous)).result;
}

/** {@link computeAssessment}, with the inputs it decided from (recorded with a run). */
async function computeRecorded(
  db: Kysely<Database>,
  tenantId: number,
  resolved: ResolvedPolicy,
  period: Period,
  runId: number | null,
  previous?: Awaited<ReturnType<typeof loadPreviousStates>>,
): Promise<{ result: AssessmentResult; inputs: RecordedInputs }> {
  const data = await db
    .selectFrom('dealer_month')
    .select((eb) => eb.fn.max('month').as('last'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const last = data?.last ? String(data.last).slice(0, 7) : null;
  if (last === null || last < period.to) {
    throw new DomainError(
      'validation_failed',
      last === null
        ? `There is no data to assess yet: import orders, invoices and payments first.`
        : `${period.key} is not complete yet: the latest month with data is ${last}. Assess a period that ends by then.`,
      { field: 'period', value: period.key, latestMonth: last },
    );
  }
  const requests = framesNeeded(resolved, period);
  const { dealerIds, frames } = await loadMeasureFrames(db, tenantId, requests);
  if (dealerIds.length === 0) {
    throw new DomainError(
      'validation_failed',
      `No dealer can be assessed for ${period.key}: none is active and onboarded by then.`,
      { field: 'period', value: period.key },
    );
  }
  const input = {
    policy: resolved,
    period,
    dealerIds,
    frames,
    previous: previous ?? (await loadPreviousStates(db, tenantId, period.from)),
    overrides: await loadOverrides(db, tenantId, runId, period.to),
  };
  const inputs: RecordedInputs = {
    period,
    dealerIds,
    values: metricValues(input),
    previous: input.previous,
    overrides: input.overrides,
  };
  return { result: assessValues({ ...inputs, policy: resolved }), inputs };
}

/**
 * Compute a draft assessment for a policy version and period, or recompute the existing
 * draft of that pair (keeping its overrides): idempotent per (policy version, period). An
 * approved or published run is returned unchanged.
 */
export async function createRun(
  db: Kysely<Database>,
  tenantId: number,
  request: { period: string; policy: string; version?: number | undefined },
  origin: AuditOrigin,
): Promise<RunDetail> {
  const version = await effectiveVersion(db, tenantId, request);
  const { resolved } = requireValidPolicy(version.document);
  const period = periodForPolicy(version.document, request.period);
  const existing = await findRunFor(db, tenantId, version.id, period.key);
  if (existing && (existing.status === 'approved' || existing.status === 'published')) {
    return runDetail(db, tenantId, existing.id);
  }
  return computeRun(db, tenantId, version.id, resolved, period, existing, origin);
}

/** Whether a policy document applies to a period (its effective dates cover the period). */
export function covers(policy: TierPolicy, period: Period): boolean {
  return (
    period.from >= policy.effectiveFrom &&
    (policy.effectiveTo === null || period.to <= policy.effectiveTo)
  );
}

/**
 * The policy version an assessment uses: the one asked for, which must be in effect for the
 * period, or else the newest version in effect for it — so that re-assessing an old period
 * uses the rules of that time, not a later version's.
 */
async function effectiveVersion(
  db: Kysely<Database>,
  tenantId: number,
  request: { period: string; policy: string; version?: number | undefined },
) {
  const latest = await getPolicyVersion(db, tenantId, request.policy, request.version);
  const period = periodForPolicy(latest.document, request.period);
  if (covers(latest.document, period)) return latest;
  const dates = (p: TierPolicy) => `${p.effectiveFrom} to ${p.effectiveTo ?? 'open'}`;
  if (request.version === undefined) {
    for (const v of await listPolicyVersions(db, tenantId, request.policy)) {
      const candidate = await getPolicyVersion(db, tenantId, request.policy, v.version);
      if (candidate.document.cycle === period.cycle && covers(candidate.document, period)) {
        return candidate;
      }
    }
  }
  throw new DomainError(
    'validation_failed',
    request.version === undefined
      ? `No version of policy "${request.policy}" is in effect for ${period.key} (the latest, v${latest.version}, runs ${dates(latest.document)}). Save a version effective for it, or simulate instead.`
      : `Policy "${request.policy}" v${latest.version} runs ${dates(latest.document)}, not ${period.key}.`,
    { field: 'period', value: period.key },
  );
}

async function computeRun(
  db: Kysely<Database>,
  tenantId: number,
  policyId: number,
  resolved: ResolvedPolicy,
  period: Period,
  existing: RunRow | undefined,
  origin: AuditOrigin,
): Promise<RunDetail> {
  const previousRun = await latestPublishedBefore(db, tenantId, period.from);
  const { result, inputs } = await computeRecorded(
    db,
    tenantId,
    resolved,
    period,
    existing?.id ?? null,
  );
  const changed = result.decisions.filter(
    (d) => d.previousTier !== null && d.previousTier !== d.tier,
  ).length;
  const overrides = result.decisions.filter((d) => d.override !== null).length;
  const values = {
    status: 'draft' as const,
    dealer_count: result.decisions.length,
    counts: JSON.stringify(result.counts),
    changed,
    overrides,
    metrics: JSON.stringify(result.metrics.map(roundMetric)),
    tier_min_scores: JSON.stringify(result.tierMinScores),
    review: result.review,
    previous_run_id: previousRun?.id ?? null,
  };
  let runId: number;
  if (existing) {
    runId = existing.id;
    await db
      .updateTable('assessment_run')
      .set({ ...values, approved_by: null, approved_at: null })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .execute();
  } else {
    const row = await db
      .insertInto('assessment_run')
      .values({
        tenant_id: tenantId,
        policy_id: policyId,
        period: period.key,
        period_from: `${period.from}-01`,
        period_to: `${period.to}-01`,
        created_by: origin.actor.name,
        created_by_user: origin.actor.kind === 'user' ? origin.actor.id : null,
        ...values,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    runId = row.id;
  }
  const authors = await overrideAuthors(
    db,
    tenantId,
    result.decisions.filter((d) => d.override).map((d) => d.dealerId),
  );
  await replaceDecisions(db, tenantId, runId, result, authors);
  await saveInputs(db, tenantId, runId, inputs);
  await recordAudit(db, tenantId, origin, {
    action: existing ? 'assessment.recomputed' : 'assessment.computed',
    entityType: 'assessment_run',
    entityId: runId,
    after: { period: period.key, policyId, counts: result.counts, changed, overrides },
  });
  return runDetail(db, tenantId, runId);
}

function roundMetric(m: AssessmentResult['metrics'][number]) {
  const r = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(8)) : null);
  return {
    ...m,
    weight: r(m.weight) ?? 0,
    stats: {
      count: m.stats.count,
      min: r(m.stats.min),
      max: r(m.stats.max),
      mean: r(m.stats.mean),
      sd: r(m.stats.sd),
    },
  };
}

/** A run with its policy's tiers and the metrics it scored. */
export async function runDetail(
  db: Kysely<Database>,
  tenantId: number,
  runId: number,
): Promise<RunDetail> {
  const run = await getRun(db, tenantId, runId);
  const policy = await getPolicyById(db, tenantId, run.policy_id);
  return {
    ...toRunSummary(run),
    tiers: policy.document.tiers,
    metrics: run.metrics,
    tierMinScores: run.tier_min_scores,
    review: run.review,
    previousRunId: run.previous_run_id,
  };
}

/** A draft that no longer starts from the latest published state must be recomputed. */
async function assertCurrent(db: Kysely<Database>, tenantId: number, run: RunRow): Promise<void> {
  const latest = await latestPublishedBefore(db, tenantId, run.period_from);
  if ((latest?.id ?? null) !== run.previous_run_id) {
    throw new DomainError(
      'conflict',
      `Run ${run.id} was computed before ${latest ? `${latest.period} was published` : 'the runs it started from were withdrawn'}; recompute it (POST /assessments again) before approving or publishing.`,
      { runId: run.id, reason: 'stale_draft' },
    );
  }
}

/**
 * Set an override on a draft run's decision, with its required reason, and recompute the draft
 * so the decision and the counts show it. A new override replaces the dealer's earlier ones.
 */
export async function overrideDecision(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  runId: number,
  body: CreateOverride,
  origin: AuditOrigin,
): Promise<DecisionDetail> {
  const run = await getRun(db, tenantId, runId);
  if (run.status !== 'draft') {
    throw new DomainError(
      'conflict',
      `Run ${runId} is ${run.status}; only a draft takes overrides.`,
      { status: run.status },
    );
  }
  const decision = await findDecision(db, tenantId, scope, runId, body.dealerId);
  if (!decision)
    throw new DomainError('not_found', `Dealer ${body.dealerId} has no decision in run ${runId}.`);
  const version = await getPolicyById(db, tenantId, run.policy_id);
  const tiers = version.document.tiers.map((t) => t.code);
  if (!tiers.includes(body.tier)) {
    throw new DomainError(
      'validation_failed',
      `"${body.tier}" is not a tier of policy ${version.name}; use one of ${tiers.join(', ')}.`,
      { field: 'tier' },
    );
  }
  if (body.kind === 'until' && !body.until) {
    throw new DomainError(
      'validation_failed',
      'An "until" override needs the last month it applies (until).',
      { field: 'until' },
    );
  }
  await db
    .updateTable('tier_override')
    .set({ revoked_at: new Date(), revoked_by: origin.actor.name })
    .where('tenant_id', '=', tenantId)
    .where('dealer_id', '=', body.dealerId)
    .where('revoked_at', 'is', null)
    .execute();
  const created = await db
    .insertInto('tier_override')
    .values({
      tenant_id: tenantId,
      dealer_id: body.dealerId,
      kind: body.kind,
      tier: body.tier,
      reason: body.reason,
      until_month: body.until,
      run_id: body.kind === 'once' ? runId : null,
      created_by: origin.actor.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordOverride(db, tenantId, {
    id: created.id,
    dealerId: body.dealerId,
    dealerCode: decision.dealer_code,
    runId,
    period: run.period,
    kind: body.kind,
    tier: body.tier,
    reason: body.reason,
    until: body.until ?? null,
  });
  await recordAudit(db, tenantId, origin, {
    action: 'assessment.override_set',
    entityType: 'dealer',
    entityId: body.dealerId,
    before: { tier: decision.tier },
    after: { runId, kind: body.kind, tier: body.tier, reason: body.reason, until: body.until },
  });
  const { resolved } = requireValidPolicy(version.document);
  await computeRun(db, tenantId, run.policy_id, resolved, parsePeriod(run.period), run, origin);
  return decisionDetail(db, tenantId, scope, runId, body.dealerId);
}

/** Approve a draft: a second person, not the one who computed it (maker-checker). */
export async function approveRun(
  db: Kysely<Database>,
  tenantId: number,
  runId: number,
  origin: AuditOrigin,
): Promise<RunDetail> {
  const run = await getRun(db, tenantId, runId);
  if (run.status !== 'draft') {
    throw new DomainError(
      'conflict',
      `Run ${runId} is ${run.status}; only a draft can be approved.`,
      { status: run.status },
    );
  }
  if (
    run.created_by_user !== null &&
    origin.actor.kind === 'user' &&
    origin.actor.id === run.created_by_user
  ) {
    throw new DomainError(
      'forbidden',
      `You computed run ${runId}; a second person must approve it (maker-checker).`,
      { runId, reason: 'maker_checker' },
    );
  }
  // Whoever changed the draft by an override is a maker too.
  const overridden = await db
    .selectFrom('tier_decision')
    .select('dealer_id')
    .where('tenant_id', '=', tenantId)
    .where('run_id', '=', runId)
    .where('override_by', '=', origin.actor.name)
    .limit(1)
    .executeTakeFirst();
  if (overridden) {
    throw new DomainError(
      'forbidden',
      `You overrode a decision in run ${runId}; a second person must approve it (maker-checker).`,
      { runId, reason: 'maker_checker' },
    );
  }
  await assertCurrent(db, tenantId, run);
  await moveRun(db, tenantId, run, 'approved', origin, {
    approved_by: origin.actor.name,
    approved_at: new Date(),
  });
  return runDetail(db, tenantId, runId);
}

/**
 * Move a run from its status to the next (only if no one moved it meanwhile), with the
 * columns that go with it, and record the step in the audit trail.
 */
async function moveRun(
  db: Kysely<Database>,
  tenantId: number,
  run: RunRow,
  status: 'approved' | 'published' | 'discarded',
  origin: AuditOrigin,
  columns: {
    approved_by?: string;
    approved_at?: Date;
    published_by?: string;
    published_at?: Date;
  } = {},
  after: Record<string, unknown> = {},
): Promise<void> {
  const moved = await db
    .updateTable('assessment_run')
    .set({ status, ...columns })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', run.id)
    .where('status', '=', run.status)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) {
    throw new DomainError('conflict', `Run ${run.id} changed meanwhile; reload it.`, {
      runId: run.id,
    });
  }
  await recordAudit(db, tenantId, origin, {
    action: `assessment.${status}`,
    entityType: 'assessment_run',
    entityId: run.id,
    before: { status: run.status },
    after: { status, ...after },
  });
}

/**
 * Publish an approved run, atomically: the run, every dealer's current tier and the audit event
 * in one transaction. Refused when another run of the period is published, when a later
 * period is already published, or when the run no longer starts from the latest state.
 */
export async function publishRun(
  db: Kysely<Database>,
  tenantId: number,
  runId: number,
  origin: AuditOrigin,
): Promise<RunDetail> {
  const run = await getRun(db, tenantId, runId);
  if (run.status !== 'approved') {
    throw new DomainError(
      'conflict',
      run.status === 'draft'
        ? `Run ${runId} is a draft; a second person must approve it first.`
        : `Run ${runId} is ${run.status}.`,
      { status: run.status },
    );
  }
  const later = await publishedFrom(db, tenantId, run.period_from);
  if (later) {
    throw new DomainError(
      'conflict',
      later.period === run.period
        ? `${run.period} is already published (run ${later.id}); two runs of one period cannot both be published.`
        : `${later.period} is already published (run ${later.id}); a period before it cannot be published now.`,
      {
        publishedRunId: later.id,
        reason: later.period === run.period ? 'period_published' : 'later_period_published',
      },
    );
  }
  await assertCurrent(db, tenantId, run);
  await moveRun(
    db,
    tenantId,
    run,
    'published',
    origin,
    { published_by: origin.actor.name, published_at: new Date() },
    { period: run.period, counts: run.counts, changed: run.changed },
  );
  await applyPublishedRun(db, tenantId, runId);
  await recordPublishedRun(db, tenantId, runId);
  return runDetail(db, tenantId, runId);
}

/** Discard a draft or approved run; its decisions stay readable, marked discarded. */
export async function discardRun(
  db: Kysely<Database>,
  tenantId: number,
  runId: number,
  origin: AuditOrigin,
): Promise<RunDetail> {
  const run = await getRun(db, tenantId, runId);
  if (run.status === 'published' || run.status === 'discarded') {
    throw new DomainError('conflict', `Run ${runId} is ${run.status} and cannot be discarded.`, {
      status: run.status,
    });
  }
  await moveRun(db, tenantId, run, 'discarded', origin);
  return runDetail(db, tenantId, runId);
}

/** One decision with its explanation; not found outside the caller's scope. */
export async function decisionDetail(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  runId: number,
  dealerId: number,
): Promise<DecisionDetail> {
  const row = await findDecision(db, tenantId, scope, runId, dealerId);
  if (!row)
    throw new DomainError('not_found', `Dealer ${dealerId} has no decision in run ${runId}.`, {
      runId,
      dealerId,
    });
  return explainRow(db, tenantId, row);
}

export async function explainRow(
  db: Kysely<Database>,
  tenantId: number,
  row: DecisionRow,
): Promise<DecisionDetail> {
  const run = await getRun(db, tenantId, row.run_id);
  const policy = await getPolicyById(db, tenantId, run.policy_id);
  const contributions = decodeContributions(row.contributions, run.metrics);
  return {
    ...toDecision(row),
    contributions,
    gap: decodeGap(row.gap, run.metrics, contributions),
    hold: row.hold,
    periodsBelow: row.periods_below,
    periodsAtBottom: row.periods_at_bottom,
    metrics: run.metrics,
    tiers: policy.document.tiers,
  };
}
