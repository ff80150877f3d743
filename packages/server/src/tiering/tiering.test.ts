import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { defaultPolicy } from '@tierline/core';
import type {
  DealerTier,
  DecisionDetail,
  DecisionPage,
  ErrorBody,
  PolicyValidation,
  PolicyVersion,
  RunDetail,
  Simulation,
  TierOverview,
} from '@tierline/contract';
import { buildApp } from '../app.js';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { sessionHeaders } from '../test/factories.js';
import { loadDemo } from '../demo/demo.service.js';

let store: TestStore;
let app: FastifyInstance;
const A = { tenantId: 0 };
const B = { tenantId: 0 };
type Who = 'admin' | 'manager' | 'analyst' | 'dealer';
const as: Record<'A' | 'B', Record<Who, Record<string, string>>> = {
  A: {} as never,
  B: {} as never,
};
let ownDealerA = 0;
/** Dealers an assessment of 2025-06 covers in A: not terminated, onboarded by then. */
let assessedA = 0;

async function headersOf(tenantId: number): Promise<Record<Who, Record<string, string>>> {
  const users = await store.db
    .selectFrom('app_user')
    .select(['id', 'login', 'dealer_id'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const out = {} as Record<Who, Record<string, string>>;
  for (const u of users) out[u.login as Who] = await sessionHeaders(store.db, tenantId, u.id);
  return out;
}

beforeAll(async () => {
  store = await createTestStore();
  // A: a year of published monthly assessments (the demo seeds them). B: eight months, none.
  A.tenantId = (
    await loadDemo(store, { dealers: 60, months: 18, seed: 3, endMonth: '2025-06', slug: 'tier-a' })
  ).tenantId;
  B.tenantId = (
    await loadDemo(store, { dealers: 30, months: 8, seed: 4, endMonth: '2025-06', slug: 'tier-b' })
  ).tenantId;
  as.A = await headersOf(A.tenantId);
  as.B = await headersOf(B.tenantId);
  const own = await store.db
    .selectFrom('app_user')
    .select('dealer_id')
    .where('tenant_id', '=', A.tenantId)
    .where('login', '=', 'dealer')
    .executeTakeFirstOrThrow();
  ownDealerA = own.dealer_id!;
  const assessed = await sql<{ n: number }>`
    select count(*)::int as n from dealer where tenant_id = ${A.tenantId}
      and status <> 'terminated' and onboarded_on <= '2025-06-30'`.execute(store.db);
  assessedA = assessed.rows[0]!.n;
  app = await buildApp({
    db: store.db,
    engine: store.engine,
    store,
    defaultTenant: 'tier-a',
    version: 'test',
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.destroy();
});

const get = (url: string, headers: Record<string, string>) =>
  app.inject({ method: 'GET', url, headers });
const post = (url: string, headers: Record<string, string>, payload: unknown = {}) =>
  app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });

describe('the demo tenant starts with a year of explained, published decisions', () => {
  it('shows the current distribution over every dealer and 12 published periods', async () => {
    const res = await get('/api/v1/tiers/overview', as.A.admin);
    expect(res.statusCode).toBe(200);
    const overview = res.json<TierOverview>();
    expect(overview.period).toBe('2025-06');
    expect(overview.periods).toHaveLength(12);
    expect(overview.tiers.map((t) => t.name)).toEqual(['战略', '核心', '潜力', '基础']);
    expect(assessedA).toBeGreaterThan(50);
    expect(Object.values(overview.counts).reduce((a, b) => a + b, 0)).toBe(assessedA);
  });

  it('explains a dealer’s tier: contributions add up to the score, and the gap to the next tier', async () => {
    const res = await get(`/api/v1/dealers/${ownDealerA}/tier`, as.A.admin);
    expect(res.statusCode).toBe(200);
    const tier = res.json<DealerTier>();
    const current = tier.current!;
    const points = current.contributions.reduce((s, c) => s + c.points, 0);
    expect(points).toBeCloseTo(current.score, 3);
    expect(current.contributions.map((c) => c.metric)).toEqual(current.metrics.map((m) => m.key));
    expect(tier.history.length).toBeGreaterThan(0);
    expect(tier.history.at(-1)!.period).toBe('2025-06');
    if (current.tier !== 'strategic') {
      expect(current.gap).not.toBeNull();
      expect(current.gap!.pointsNeeded).toBeGreaterThanOrEqual(0);
    }
  });

  it('shows a dealer user its own tier in the portal, and nothing else', async () => {
    const own = await get('/api/v1/portal/tier', as.A.dealer);
    expect(own.statusCode).toBe(200);
    expect(own.json<DealerTier>().dealer.id).toBe(ownDealerA);
    expect((await get(`/api/v1/dealers/${ownDealerA}/tier`, as.A.dealer)).statusCode).toBe(403);
    expect((await get('/api/v1/tiers/overview', as.A.dealer)).statusCode).toBe(403);
  });

  it('hides every tiering record from another tenant', async () => {
    const runs = await get('/api/v1/assessments', as.A.admin);
    const runId = runs.json<{ items: RunDetail[] }>().items[0]!.id;
    for (const url of [
      `/api/v1/assessments/${runId}`,
      `/api/v1/assessments/${runId}/decisions`,
      `/api/v1/assessments/${runId}/decisions/${ownDealerA}`,
      `/api/v1/dealers/${ownDealerA}/tier`,
      '/api/v1/policies/default',
    ]) {
      const res = await get(url, as.B.admin);
      expect(res.statusCode, url).toBe(404);
    }
    expect(
      (await get('/api/v1/assessments', as.B.admin)).json<{ items: unknown[] }>().items,
    ).toEqual([]);
    expect(
      (await get('/api/v1/tiers/overview', as.B.admin)).json<TierOverview>().period,
    ).toBeNull();
  });

  it('shows a channel manager only its own dealers’ decisions', async () => {
    const runId = (await get('/api/v1/assessments', as.A.admin)).json<{ items: RunDetail[] }>()
      .items[0]!.id;
    const all = (
      await get(`/api/v1/assessments/${runId}/decisions?limit=500`, as.A.admin)
    ).json<DecisionPage>();
    const mine = (
      await get(`/api/v1/assessments/${runId}/decisions?limit=500`, as.A.manager)
    ).json<DecisionPage>();
    expect(all.total).toBe(assessedA);
    expect(mine.total).toBeLessThan(all.total);
    const run = (await get(`/api/v1/assessments/${runId}`, as.A.manager)).json<RunDetail>();
    expect(run.dealerCount).toBe(mine.total);
    const visible = new Set(mine.items.map((d) => d.dealer.id));
    const hidden = all.items.find((d) => !visible.has(d.dealer.id))!;
    expect(
      (await get(`/api/v1/assessments/${runId}/decisions/${hidden.dealer.id}`, as.A.manager))
        .statusCode,
    ).toBe(404);
    expect((await get(`/api/v1/dealers/${hidden.dealer.id}/tier`, as.A.manager)).statusCode).toBe(
      404,
    );
  });

  it('refuses to change the decisions of a published run, even from SQL', async () => {
    await expect(
      sql`update tier_decision set tier = 'strategic' where tenant_id = ${A.tenantId}`.execute(
        store.db,
      ),
    ).rejects.toThrow(/published assessment run cannot be changed/);
  });
});

describe('policies', () => {
  it('refuses an invalid policy with the path and reason of every problem', async () => {
    const doc = defaultPolicy('2025-01') as unknown as Record<string, unknown>;
    const bad = {
      ...doc,
      assignment: { method: 'thresholds', minScores: { strategic: 40, core: 55, potential: 30 } },
      tiers: [],
    };
    const res = await post('/api/v1/policies', as.B.admin, { document: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details).toMatchObject({
      issues: [{ path: 'tiers', message: expect.any(String) }],
    });
    const checked = await post('/api/v1/policies/validate', as.B.analyst, {
      document: {
        ...doc,
        assignment: { method: 'thresholds', minScores: { strategic: 40, core: 55, potential: 30 } },
      },
    });
    expect(checked.json<PolicyValidation>()).toMatchObject({
      valid: false,
      issues: [
        { path: 'assignment.minScores.core', message: expect.stringMatching(/out of order/) },
      ],
    });
  });

  it('versions a policy on every save and compares versions', async () => {
    const doc = defaultPolicy('2025-01');
    const v1 = (
      await post('/api/v1/policies', as.B.admin, { document: doc, note: 'first' })
    ).json<PolicyVersion>();
    const edited = {
      ...doc,
      assignment: { method: 'thresholds', minScores: { strategic: 72, core: 52, potential: 40 } },
    };
    const v2 = await post('/api/v1/policies', as.B.admin, {
      document: edited,
      note: 'stricter top tier',
    });
    expect(v2.statusCode).toBe(201);
    expect(v2.json<PolicyVersion>().version).toBe(v1.version + 1);
    const diff = await get(
      `/api/v1/policies/default/compare?from=${v1.version}&to=${v1.version + 1}`,
      as.B.analyst,
    );
    expect(diff.json()).toMatchObject({
      changes: [{ path: 'assignment.minScores.strategic', before: 66, after: 72 }],
    });
    expect((await post('/api/v1/policies', as.B.analyst, { document: doc })).statusCode).toBe(403);
  });
});

describe('assessment workflow: draft, overrides, maker-checker, atomic publish', () => {
  let may: RunDetail;

  it('computes a draft idempotently per policy version and period', async () => {
    const first = await post('/api/v1/assessments', as.B.manager, {
      period: '2025-05',
      policy: 'default',
      version: 1,
    });
    expect(first.statusCode, first.body).toBe(201);
    may = first.json<RunDetail>();
    expect(may).toMatchObject({ status: 'draft', period: '2025-05', createdBy: 'manager' });
    const again = await post('/api/v1/assessments', as.B.manager, {
      period: '2025-05',
      policy: 'default',
      version: 1,
    });
    expect(again.json<RunDetail>().id).toBe(may.id);
    expect(again.json<RunDetail>().counts).toEqual(may.counts);
  });

  it('refuses periods that do not fit the policy or have no data yet', async () => {
    const quarter = await post('/api/v1/assessments', as.B.manager, {
      period: '2025-Q2',
      policy: 'default',
    });
    expect(quarter.statusCode).toBe(400);
    expect(quarter.json<ErrorBody>().error.message).toMatch(/assessed monthly/);
    const future = await post('/api/v1/assessments', as.B.manager, {
      period: '2025-07',
      policy: 'default',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json<ErrorBody>().error.message).toMatch(/latest month with data is 2025-06/);
  });

  it('takes an override with a reason on a draft, and shows it in the decision', async () => {
    const page = (
      await get(`/api/v1/assessments/${may.id}/decisions?limit=100`, as.B.manager)
    ).json<DecisionPage>();
    const target = page.items.find((d) => d.tier !== 'strategic')!;
    const short = await post(`/api/v1/assessments/${may.id}/overrides`, as.B.manager, {
      dealerId: target.dealer.id,
      kind: 'once',
      tier: 'strategic',
      reason: 'kpi',
    });
    expect(short.statusCode).toBe(400);
    const res = await post(`/api/v1/assessments/${may.id}/overrides`, as.B.manager, {
      dealerId: target.dealer.id,
      kind: 'once',
      tier: 'strategic',
      reason: '新开大客户，试点战略合作',
    });
    expect(res.statusCode, res.body).toBe(200);
    const decision = res.json<DecisionDetail>();
    expect(decision).toMatchObject({
      tier: 'strategic',
      override: { kind: 'once', reason: '新开大客户，试点战略合作', by: 'manager' },
    });
    expect(decision.reasons).toContain('override_set');
    const run = (await get(`/api/v1/assessments/${may.id}`, as.B.admin)).json<RunDetail>();
    expect(run.overrides).toBe(1);
  });

  it('needs a second person to approve', async () => {
    const june = (
      await post('/api/v1/assessments', as.B.admin, {
        period: '2025-06',
        policy: 'default',
        version: 1,
      })
    ).json<RunDetail>();
    const self = await post(`/api/v1/assessments/${june.id}/approve`, as.B.admin);
    expect(self.statusCode).toBe(403);
    expect(self.json<ErrorBody>().error.message).toMatch(/second person/);
    expect((await post(`/api/v1/assessments/${may.id}/approve`, as.B.manager)).statusCode).toBe(
      403,
    );
    expect((await post(`/api/v1/assessments/${may.id}/publish`, as.B.admin)).statusCode).toBe(409);
    const approved = await post(`/api/v1/assessments/${may.id}/approve`, as.B.admin);
    expect(approved.json<RunDetail>()).toMatchObject({ status: 'approved', approvedBy: 'admin' });
  });

  it('publishes atomically: tiers take effect, and a stale later draft must be recomputed', async () => {
    const june = (await get('/api/v1/assessments?period=2025-06', as.B.admin)).json<{
      items: RunDetail[];
    }>().items[0]!;
    const published = await post(`/api/v1/assessments/${may.id}/publish`, as.B.admin);
    expect(published.json<RunDetail>()).toMatchObject({
      status: 'published',
      publishedBy: 'admin',
    });
    const overview = (await get('/api/v1/tiers/overview', as.B.admin)).json<TierOverview>();
    expect(overview.period).toBe('2025-05');
    expect(overview.counts).toEqual(published.json<RunDetail>().counts);
    // June was computed before May was published: it starts from the wrong state.
    const stale = await post(`/api/v1/assessments/${june.id}/discard`, as.B.admin);
    expect(stale.json<RunDetail>().status).toBe('discarded');
    const fresh = await post('/api/v1/assessments', as.B.manager, {
      period: '2025-06',
      policy: 'default',
      version: 2,
    });
    const juneV2 = fresh.json<RunDetail>();
    expect(juneV2.previousRunId).toBe(may.id);
    const decisions = (
      await get(`/api/v1/assessments/${juneV2.id}/decisions?limit=100`, as.B.admin)
    ).json<DecisionPage>();
    expect(decisions.items.every((d) => d.previousTier !== null)).toBe(true);
  });

  it('never publishes two runs of one period', async () => {
    const other = (
      await post('/api/v1/assessments', as.B.manager, {
        period: '2025-05',
        policy: 'default',
        version: 2,
      })
    ).json<RunDetail>();
    expect(other.id).not.toBe(may.id);
    await post(`/api/v1/assessments/${other.id}/approve`, as.B.admin);
    const res = await post(`/api/v1/assessments/${other.id}/publish`, as.B.admin);
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.message).toMatch(/already published/);
  });

  it('counts whoever overrode a decision as a maker: they cannot approve the run', async () => {
    const april = (
      await post('/api/v1/assessments', as.B.manager, { period: '2025-04', policy: 'default' })
    ).json<RunDetail>();
    const page = (
      await get(`/api/v1/assessments/${april.id}/decisions?limit=1`, as.B.admin)
    ).json<DecisionPage>();
    const set = await post(`/api/v1/assessments/${april.id}/overrides`, as.B.admin, {
      dealerId: page.items[0]!.dealer.id,
      kind: 'once',
      tier: 'basic',
      reason: '调查中的窜货投诉',
    });
    expect(set.statusCode, set.body).toBe(200);
    const approve = await post(`/api/v1/assessments/${april.id}/approve`, as.B.admin);
    expect(approve.statusCode).toBe(403);
    expect(approve.json<ErrorBody>().error.message).toMatch(/You overrode a decision/);
  });

  it('exports a run’s decisions with every metric, only the caller’s dealers', async () => {
    const csv = await get(`/api/v1/assessments/${may.id}/export?format=csv`, as.B.admin);
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(
      /^rank,dealer_code,dealer_name,score,.*collection_rate,collection_rate_points/,
    );
    expect(lines).toHaveLength(1 + 30);
    const managers = await get(`/api/v1/assessments/${may.id}/export?format=csv`, as.B.manager);
    expect(managers.body.trim().split('\n').length).toBeLessThan(lines.length);
  });
});

describe('simulations', () => {
  it('backtests the default policy over 12 months without writing anything', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from tier_decision`.execute(
      store.db,
    );
    const res = await post('/api/v1/simulations', as.A.analyst, {
      policy: { name: 'default' },
      from: '2024-07',
      to: '2025-06',
    });
    expect(res.statusCode, res.body).toBe(200);
    const sim = res.json<Simulation>();
    expect(sim.periods.map((p) => p.period)).toHaveLength(12);
    expect(sim.dealerCount).toBe(assessedA);
    const matrixTotal =
      sim.matrix.counts.flat().reduce((a, b) => a + b, 0) +
      sim.matrix.entered.reduce((a, b) => a + b, 0);
    expect(matrixTotal).toBe(assessedA);
    // The published history was made by the same policy from the same start: no one moves.
    expect(sim.matrix.up + sim.matrix.down).toBe(0);
    const after = await sql<{ n: number }>`select count(*)::int as n from tier_decision`.execute(
      store.db,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('runs an unsaved draft with quotas and shows who would move', async () => {
    const draft = {
      ...defaultPolicy('2024-07'),
      assignment: {
        method: 'quotas',
        percents: { strategic: 10, core: 30, potential: 40, basic: 20 },
      },
      lifecycle: {
        ...defaultPolicy('2024-07').lifecycle,
        maxStepUp: null,
        maxStepDown: 3,
        demotion: 'automatic',
      },
      gates: {},
    };
    const res = await post('/api/v1/simulations', as.A.analyst, {
      policy: { document: draft },
      from: '2025-06',
      to: '2025-06',
    });
    expect(res.statusCode, res.body).toBe(200);
    const sim = res.json<Simulation>();
    // round(10 % · n), round(40 % · n) − round(10 % · n), … : the declared shares, summing to n.
    const n = assessedA;
    const cut = [0.1, 0.4, 0.8].map((c) => Math.round(c * n));
    expect(sim.periods[0]!.counts).toEqual({
      strategic: cut[0],
      core: cut[1]! - cut[0]!,
      potential: cut[2]! - cut[1]!,
      basic: n - cut[2]!,
    });
    expect(sim.movers.length).toBe(sim.matrix.up + sim.matrix.down);
    expect(
      (
        await post('/api/v1/simulations', as.A.manager, {
          policy: { name: 'default' },
          from: '2025-06',
          to: '2025-06',
        })
      ).statusCode,
    ).toBe(403);
  });
});
