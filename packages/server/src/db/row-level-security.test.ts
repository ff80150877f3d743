import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { ImportMapping } from '@tierline/contract';
import { recordAudit } from '../audit/audit.repository.js';
import { insertBatch } from '../imports/import-batch.repository.js';
import { saveMapping } from '../imports/import-mapping.repository.js';
import { createSession } from '../auth/session.repository.js';
import { loadDemo } from '../demo/demo.service.js';
import { defaultPolicy } from '@tierline/core';
import { createPolicyVersion } from '../tiering/policy.service.js';
import {
  approveRun,
  createRun,
  overrideDecision,
  publishRun,
} from '../tiering/assessment.service.js';
import { createTestStore, unique, type TestStore } from '../test/test-store.js';
import { insertToken } from '../tokens/token.repository.js';
import type { Database } from './database.js';
import { APP_ROLE, withTenant } from './tenant-scope.js';
import { ensureCheckpoint } from '../ledger/ledger.service.js';
import { createBenefit, saveBenefitValues } from '../resources/benefit.service.js';
import { createAllocation } from '../resources/allocation.service.js';
import { getPolicyVersion } from '../tiering/policy.repository.js';
import { createProgram as createRebateProgram } from '../rebates/rebate-program.service.js';
import { decideRequest, grantFund, submitClaim, submitRequest } from '../funds/fund.service.js';
import { settleRebates } from '../rebates/rebate-settlement.service.js';
import { insertChannel } from '../notifications/notification.repository.js';
import { enqueueAlertNotices } from '../notifications/notification.service.js';
import { saveRule as saveAlertRule } from '../alerts/alert-rule.service.js';
import { evaluateAlerts } from '../alerts/alert-evaluation.service.js';

/**
 * The second wall of tenant isolation: whatever SQL a request runs inside `withTenant`, even
 * with no tenant filter at all, row-level security shows and accepts only that tenant's rows.
 * Tables are enumerated from the catalogue, so a new table is covered the day it is created.
 */

let store: TestStore;
let A: number;
let B: number;
/** Every base table of the schema with a tenant_id column. */
let tables: string[];
/** Those the app role may read at all. */
let readable: string[];

/** Signing keys: the app role has no privilege on them whatever the tenant. */
const UNREADABLE = new Set(['ledger_signer']);
/**
 * Tables the app role may only append to (no update or delete, some not even insert): a change
 * to them is refused by privilege before row-level security is asked.
 */
const APPEND_ONLY = new Set([
  'audit_event',
  'ledger_entry',
  'ledger_hash',
  'ledger_checkpoint',
  'ledger_log',
  'ledger_signer',
  'mdf_proof',
  'alert_rule',
  'alert_event',
]);
/** Tables the app role may not insert into (the server's own connection writes them). */
const NO_INSERT = new Set(['ledger_checkpoint', 'ledger_log', 'ledger_signer']);

const engine = process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite';
const SYSTEM = {
  actor: { kind: 'system' as const, id: null, name: 'rls test' },
  ip: null,
  userAgent: null,
};

async function tenantTables(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and c.column_name = 'tenant_id'
      and t.table_type = 'BASE TABLE'
    order by c.table_name`.execute(db);
  return rows.map((r) => r.table_name);
}

/** Rows per tenant of a table, counted as the owner (who bypasses row-level security). */
async function ownerCounts(table: string): Promise<Map<number, number>> {
  const { rows } = await sql<{ tenant_id: number; n: number }>`
    select tenant_id, count(*)::int as n from ${sql.table(table)} group by tenant_id`.execute(
    store.db,
  );
  return new Map(rows.map((r) => [r.tenant_id, r.n]));
}

/** Run `fn` as the app role for `tenantId` and roll everything back. */
async function inTenantRolledBack(
  tenantId: number,
  fn: (trx: Kysely<Database>) => Promise<void>,
): Promise<void> {
  const rollback = new Error('rollback');
  await expect(
    withTenant(store.db, tenantId, async (trx) => {
      await fn(trx);
      throw rollback;
    }),
  ).rejects.toBe(rollback);
}

/** A row of `table` that tenant A sees, re-labelled as tenant B's, inserted as tenant A. */
function insertCopyFor(table: string, tenantId: number) {
  const t = sql.table(table);
  return sql`
    insert into ${t}
    select * from jsonb_populate_record(null::${t},
      (select to_jsonb(x) || jsonb_build_object('tenant_id', ${tenantId}::bigint)
       from ${t} x limit 1))`;
}

beforeAll(async () => {
  store = await createTestStore();
  const options = { dealers: 20, months: 3, endMonth: '2025-06' } as const;
  A = (await loadDemo(store, { ...options, seed: 3, slug: unique('rls-a') })).tenantId;
  B = (await loadDemo(store, { ...options, seed: 4, slug: unique('rls-b') })).tenantId;
  // What the demo does not fill: custom measures, sessions, API tokens, import batches, saved
  // import mappings, and (three months are too few for the demo's year of assessments) a
  // policy, a published run with dealer tiers, and a draft with an override.
  for (const tenantId of [A, B]) {
    const db = store.db;
    const dealer = await db
      .selectFrom('dealer')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('custom_measure')
      .values({
        tenant_id: tenantId,
        external_id: unique('m'),
        dealer_id: dealer.id,
        measure: 'shelf_share',
        measured_on: '2025-06-01',
        value: 0.4,
      })
      .execute();
    const user = await db
      .selectFrom('app_user')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await createSession(db, tenantId, user.id, { ip: null, userAgent: null }, new Date());
    await insertToken(db, tenantId, {
      name: unique('token'),
      scope: 'read',
      createdBy: 'test',
      expiresAt: null,
    });
    await recordAudit(db, tenantId, SYSTEM, {
      action: 'test.fixture',
      entityType: 'tenant',
      entityId: tenantId,
    });
    const mapping = ImportMapping.parse({ kind: 'payments' });
    await saveMapping(db, tenantId, unique('mapping'), mapping, 'test', true);
    await insertBatch(db, tenantId, {
      result: {
        kind: 'payments',
        fileName: 'fixture.csv',
        sha256: '0'.repeat(64),
        outcome: 'unchanged',
        rows: 0,
        valid: 0,
        invalid: 0,
        skipped: 0,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        issues: [],
        issueCount: 0,
        sameAsBatch: null,
      },
      source: 'file',
      sizeBytes: 0,
      mapping,
      idempotencyKey: null,
      origin: SYSTEM,
      startedAt: new Date(),
      finishedAt: new Date(),
    });
    const policy = await createPolicyVersion(db, tenantId, defaultPolicy('2025-04'), '', SYSTEM);
    const may = await createRun(db, tenantId, { period: '2025-05', policy: policy.name }, SYSTEM);
    await approveRun(db, tenantId, may.id, SYSTEM);
    await publishRun(db, tenantId, may.id, SYSTEM);
    const june = await createRun(db, tenantId, { period: '2025-06', policy: policy.name }, SYSTEM);
    const assessed = await db
      .selectFrom('tier_decision')
      .select('dealer_id')
      .where('tenant_id', '=', tenantId)
      .where('run_id', '=', june.id)
      .orderBy('dealer_id')
      .executeTakeFirstOrThrow();
    await overrideDecision(
      db,
      tenantId,
      { kind: 'tenant' },
      june.id,
      {
        dealerId: assessed.dealer_id,
        kind: 'once',
        tier: 'core',
        reason: 'row-level security fixture',
        until: null,
      },
      SYSTEM,
    );
  }
  // A ladder rebate program with an interim settlement of each tenant's dealers.
  for (const tenantId of [A, B]) {
    const ladder = [{ from: 0, to: null, rateBasisPoints: 200 }];
    await createRebateProgram(
      store.db,
      tenantId,
      {
        code: 'rls-rebate',
        name: 'RLS fixture',
        periodKind: 'monthly',
        basis: 'sales',
        method: 'retroactive',
        ladders: { default: ladder, tiers: {} },
        active: true,
      },
      SYSTEM,
    );
    await settleRebates(
      store.db,
      tenantId,
      { program: 'rls-rebate', period: '2025-06', final: false },
      SYSTEM,
    );
  }
  // A benefit with a value for the default policy, and a draft budget allocation (a draft: the
  // lines of a published one refuse every change by a trigger, before the policy is asked).
  for (const tenantId of [A, B]) {
    const benefit = {
      code: 'rls_rebate',
      name: 'RLS',
      kind: 'rebate_rate',
      unit: 'basis_points',
    } as const;
    await createBenefit(store.db, tenantId, benefit, SYSTEM);
    const { version } = await getPolicyVersion(store.db, tenantId, 'default');
    const values = { rls_rebate: { strategic: 300 } };
    await saveBenefitValues(store.db, tenantId, { policy: 'default', version, values }, SYSTEM);
    const draft = {
      period: '2025-06',
      pool: 1_000_000,
      purpose: 'general',
      dryRun: false,
    } as const;
    await createAllocation(store.db, tenantId, draft, SYSTEM);
  }
  // Market development funds: a grant, a request approved, a claim with a proof file.
  for (const tenantId of [A, B]) {
    const all = { kind: 'tenant' } as const;
    const { id: dealerId } = await store.db
      .selectFrom('dealer')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const grant = {
      dealerId,
      period: '2025-Q2',
      amount: 100_000,
      claimDeadline: '2999-12-31',
      note: '',
    };
    await grantFund(store.db, tenantId, all, grant, SYSTEM);
    const ask = {
      title: 'RLS',
      description: '',
      amount: 1_000,
      activityFrom: '2025-06-01',
      activityTo: '2025-06-02',
    };
    const mdf = await submitRequest(store.db, tenantId, all, dealerId, ask, SYSTEM);
    await decideRequest(store.db, tenantId, all, mdf.id, { decision: 'approve' }, SYSTEM);
    const proof = {
      fileName: 'rls.pdf',
      contentType: 'application/pdf',
      contentBase64: Buffer.from('%PDF-1.4 rls').toString('base64'),
    };
    await submitClaim(
      store.db,
      tenantId,
      all,
      mdf.id,
      { amount: 1_000, note: '', proofs: [proof] },
      SYSTEM,
    );
  }
  // A notification channel and one delivery in its outbox.
  for (const tenantId of [A, B]) {
    const dealer = await store.db
      .selectFrom('dealer')
      .select(['id', 'code', 'name'])
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await insertChannel(
      store.db,
      tenantId,
      {
        name: 'rls',
        kind: 'webhook',
        config: { url: 'https://hooks.example.com/rls' },
        secret: 'rls-secret',
        minSeverity: 'info',
        events: ['opened'],
        regionCodes: null,
        enabled: true,
      },
      'rls test',
    );
    const alert = {
      id: 1,
      rule: 'rls',
      ruleName: 'RLS',
      severity: 'warning' as const,
      status: 'open' as const,
      dealer: { ...dealer, region: null },
      owner: null,
      title: 'RLS',
      summary: '',
      openedAt: '2025-06-30T00:00:00.000Z',
    };
    await enqueueAlertNotices(store.db, tenantId, [{ event: 'opened', alert }]);
  }
  // An alert rule that holds for every dealer with sales, evaluated: alerts, their history and
  // the dealers' health.
  for (const tenantId of [A, B]) {
    const rule = {
      code: 'rls_any_sales',
      name: 'RLS',
      kind: 'threshold',
      severity: 'info',
      params: { measure: 'sales_amount', op: '>=', value: 0, periods: 1 },
    };
    await saveAlertRule(store.db, tenantId, rule, '', SYSTEM, { kind: 'create' });
    await evaluateAlerts(store.db, tenantId, { asOf: '2025-06', origin: SYSTEM, trigger: 'cli' });
  }
  // The ledger signs a checkpoint of each log (serve does so after each write).
  for (const tenantId of [A, B]) await ensureCheckpoint(store.db, tenantId);
  tables = await tenantTables(store.db);
  readable = tables.filter((t) => !UNREADABLE.has(t));
});

afterAll(async () => {
  await store?.destroy();
});

describe(`row-level security (${engine})`, () => {
  it('finds the tables to check, with rows of both tenants in each', async () => {
    expect(tables).toEqual(expect.arrayContaining(['dealer', 'app_user', 'audit_event']));
    expect(tables.length).toBeGreaterThanOrEqual(23);
    // The catalogue agrees, partitioned tables included.
    const { rows } = await sql<{ relname: string }>`
      select c.relname from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
      where n.nspname = current_schema() and c.relkind in ('r', 'p')
      order by c.relname`.execute(store.db);
    expect(rows.map((r) => r.relname)).toEqual(tables);
    const empty: string[] = [];
    for (const table of tables) {
      const counts = await ownerCounts(table);
      if (!counts.get(A) || !counts.get(B)) empty.push(table);
    }
    expect(empty, 'tables without rows of both tenants: give them some in beforeAll').toEqual([]);
  });

  it('is enabled on every table with a tenant, with exactly the tenant_isolation policy', async () => {
    const { rows: classes } = await sql<{ relname: string; relrowsecurity: boolean }>`
      select c.relname, c.relrowsecurity from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p')`.execute(store.db);
    const { rows: policies } = await sql<{
      tablename: string;
      policyname: string;
      permissive: string;
      roles: string[];
      cmd: string;
      qual: string | null;
      with_check: string | null;
    }>`
      select tablename, policyname, permissive, roles::text[] as roles, cmd, qual, with_check
      from pg_policies where schemaname = current_schema()`.execute(store.db);
    for (const table of [...tables, 'tenant']) {
      const column = table === 'tenant' ? 'id' : 'tenant_id';
      expect(classes.find((c) => c.relname === table)?.relrowsecurity, table).toBe(true);
      const own = policies.filter((p) => p.tablename === table);
      expect(own, table).toEqual([
        {
          tablename: table,
          policyname: 'tenant_isolation',
          permissive: 'PERMISSIVE',
          roles: [APP_ROLE],
          cmd: 'ALL',
          qual: `(${column} = tierline_current_tenant())`,
          with_check: `(${column} = tierline_current_tenant())`,
        },
      ]);
    }
  });

  it('binds a role that can neither bypass it nor owns the tables', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
      select rolsuper, rolbypassrls from pg_roles where rolname = ${APP_ROLE}`.execute(store.db);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    const { rows: owned } = await sql<{ relname: string }>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and pg_get_userbyid(c.relowner) = ${APP_ROLE}`.execute(
      store.db,
    );
    expect(owned).toEqual([]);
  });

  it('gives the app role no other table, view or materialized view to read or write', async () => {
    const { rows } = await sql<{ relname: string; relkind: string }>`
      select c.relname, c.relkind from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm', 'f')
        and c.relname <> 'tenant'
        and has_table_privilege(${APP_ROLE}, c.oid,
          'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
        and not (c.relkind in ('r', 'p') and c.relname = any(${tables}::text[]))
      order by c.relname`.execute(store.db);
    expect(rows).toEqual([]);
  });

  it('shows tenant A only its own rows in every table, to queries that filter nothing', async () => {
    const problems: string[] = [];
    // Counted first: PGlite has one connection, which the transaction below holds.
    const owner = new Map<string, Map<number, number>>();
    for (const table of tables) owner.set(table, await ownerCounts(table));
    for (const tenantId of [A, B]) {
      await withTenant(
        store.db,
        tenantId,
        async (trx) => {
          for (const table of readable) {
            const expected = owner.get(table)?.get(tenantId);
            const { rows } = await sql<{ total: number; mine: number }>`
              select count(*)::int as total,
                count(*) filter (where tenant_id = ${tenantId})::int as mine
              from ${sql.table(table)}`.execute(trx);
            const [row] = rows;
            if (row?.total !== expected || row?.mine !== expected) {
              problems.push(
                `${table} as ${tenantId}: ${JSON.stringify(row)}, owner sees ${expected}`,
              );
            }
          }
        },
        { readOnly: true },
      );
    }
    expect(problems).toEqual([]);
  });

  it('returns only tenant A rows from select * on dealer, app_user, audit_event and tenant', async () => {
    const expected = new Map<string, number | undefined>();
    for (const table of ['dealer', 'app_user', 'audit_event']) {
      expected.set(table, (await ownerCounts(table)).get(A));
    }
    await withTenant(store.db, A, async (trx) => {
      for (const table of ['dealer', 'app_user', 'audit_event']) {
        const { rows } = await sql<{
          tenant_id: number;
        }>`select * from ${sql.table(table)}`.execute(trx);
        expect(rows.length, table).toBe(expected.get(table));
        expect(new Set(rows.map((r) => r.tenant_id)), table).toEqual(new Set([A]));
      }
      const { rows: tenants } = await sql<{ id: number }>`select * from tenant`.execute(trx);
      expect(tenants.map((t) => t.id)).toEqual([A]);
      const { rows: joined } = await sql<{ n: number }>`
        select count(*)::int as n from dealer d join tenant t on t.id = d.tenant_id
        where t.id = ${B}`.execute(trx);
      expect(joined).toEqual([{ n: 0 }]);
    });
  });

  it("refuses a row with another tenant's id in every table (WITH CHECK)", async () => {
    const problems: string[] = [];
    for (const table of tables) {
      try {
        await withTenant(store.db, A, (trx) => insertCopyFor(table, B).execute(trx));
        problems.push(`${table}: inserted a row of tenant B`);
      } catch (error) {
        const denied = NO_INSERT.has(table) ? /permission denied/ : /row-level security/;
        if (!denied.test((error as Error).message)) {
          problems.push(`${table}: ${(error as Error).message}`);
        }
      }
    }
    try {
      await withTenant(store.db, A, (trx) =>
        sql`insert into tenant (slug, name) values (${unique('rls-new')}, 'new')`.execute(trx),
      );
      problems.push('tenant: inserted a new tenant');
    } catch (error) {
      if (!/row-level security/.test((error as Error).message)) {
        problems.push(`tenant: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
    // The same statement with tenant A's own id passes the policy (it fails, if at all, on a
    // key that exists already): the refusal above is the policy's.
    await inTenantRolledBack(A, async (trx) => {
      await sql`
        insert into dealer
        select * from jsonb_populate_record(null::dealer,
          (select to_jsonb(x) || jsonb_build_object('id', x.id + 1000000, 'code', x.code || '-copy')
           from dealer x limit 1))`.execute(trx);
    });
  });

  it("neither moves rows to another tenant nor touches another tenant's rows", async () => {
    const before = new Map<string, number | undefined>();
    for (const table of tables) before.set(table, (await ownerCounts(table)).get(B));
    const problems: string[] = [];
    for (const table of tables) {
      const t = sql.table(table);
      // Published decisions and their inputs refuse every change by a trigger, before the
      // policy is asked.
      const denied = APPEND_ONLY.has(table)
        ? /permission denied/
        : table === 'tier_decision' || table === 'assessment_input'
          ? /row-level security|published assessment run cannot be changed/
          : /row-level security/;
      try {
        await withTenant(store.db, A, (trx) => sql`update ${t} set tenant_id = ${B}`.execute(trx));
        problems.push(`${table}: moved rows to tenant B`);
      } catch (error) {
        if (!denied.test((error as Error).message)) {
          problems.push(`${table}: ${(error as Error).message}`);
        }
      }
      if (APPEND_ONLY.has(table)) continue;
      await inTenantRolledBack(A, async (trx) => {
        const updated =
          await sql`update ${t} set tenant_id = tenant_id where tenant_id = ${B}`.execute(trx);
        const deleted = await sql`delete from ${t} where tenant_id = ${B}`.execute(trx);
        if (Number(updated.numAffectedRows) !== 0 || Number(deleted.numAffectedRows) !== 0) {
          problems.push(
            `${table}: updated ${updated.numAffectedRows} and deleted ${deleted.numAffectedRows} rows of B`,
          );
        }
      });
    }
    await inTenantRolledBack(A, async (trx) => {
      const renamed = await sql`update tenant set name = 'taken over' where id = ${B}`.execute(trx);
      const deleted = await sql`delete from tenant where id = ${B}`.execute(trx);
      expect(Number(renamed.numAffectedRows)).toBe(0);
      expect(Number(deleted.numAffectedRows)).toBe(0);
    });
    expect(problems).toEqual([]);
    for (const table of tables) {
      expect((await ownerCounts(table)).get(B), table).toBe(before.get(table));
    }
  });

  it('keeps the audit trail append-only for the app role', async () => {
    const before = (await ownerCounts('audit_event')).get(A);
    await withTenant(store.db, A, (trx) =>
      recordAudit(trx, A, SYSTEM, { action: 'test.append', entityType: 'tenant', entityId: A }),
    );
    expect((await ownerCounts('audit_event')).get(A)).toBe((before ?? 0) + 1);
    for (const statement of [
      sql`update audit_event set action = 'rewritten' where tenant_id = ${A}`,
      sql`update audit_event set after = null`,
      sql`delete from audit_event where tenant_id = ${A}`,
      sql`delete from audit_event`,
      sql`truncate audit_event`,
    ]) {
      await expect(withTenant(store.db, A, (trx) => statement.execute(trx))).rejects.toThrow(
        /permission denied/,
      );
    }
    expect((await ownerCounts('audit_event')).get(A)).toBe((before ?? 0) + 1);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from audit_event
      where tenant_id = ${A} and action = 'rewritten'`.execute(store.db);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('keeps the ledger append-only and its signing keys out of reach of the app role', async () => {
    const attempts = [
      sql`select * from ledger_signer`,
      sql`update ledger_entry set record = '{}' where tenant_id = ${A}`,
      sql`delete from ledger_entry where tenant_id = ${A}`,
      sql`update ledger_hash set hash = hash where tenant_id = ${A}`,
      sql`delete from ledger_hash`,
      sql`insert into ledger_checkpoint (tenant_id, size, root, note) values (${A}, 0, '', '')`,
      sql`delete from ledger_checkpoint where tenant_id = ${A}`,
      sql`update ledger_log set verifier_key = 'x' where tenant_id = ${A}`,
      sql`delete from ledger_log where tenant_id = ${A}`,
    ];
    for (const attempt of attempts) {
      await expect(
        withTenant(store.db, A, (trx) => attempt.execute(trx)),
        attempt.compile(store.db).sql,
      ).rejects.toThrow(/permission denied/);
    }
    // Appending advances the size of the caller's own log only.
    await inTenantRolledBack(A, async (trx) => {
      const own = await sql`update ledger_log set size = size where tenant_id = ${A}`.execute(trx);
      const other = await sql`update ledger_log set size = 0 where tenant_id = ${B}`.execute(trx);
      expect(Number(own.numAffectedRows)).toBe(1);
      expect(Number(other.numAffectedRows)).toBe(0);
    });
  });

  it('shows nothing and accepts nothing with the role set but no tenant', async () => {
    await store.db.connection().execute(async (conn) => {
      // The same connection first served a request of tenant A.
      await withTenant(conn, A, (trx) => sql`select 1 from dealer limit 1`.execute(trx));
      for (const setting of [null, '', '999999999']) {
        await conn.transaction().execute(async (trx) => {
          await sql`select set_config('role', ${APP_ROLE}, true)`.execute(trx);
          if (setting !== null) {
            await sql`select set_config('tierline.tenant_id', ${setting}, true)`.execute(trx);
          }
          for (const table of [...readable, 'tenant']) {
            const { rows } = await sql<{ n: number }>`
              select count(*)::int as n from ${sql.table(table)}`.execute(trx);
            expect(rows, `${table} with tierline.tenant_id ${String(setting)}`).toEqual([{ n: 0 }]);
          }
        });
        await expect(
          conn.transaction().execute(async (trx) => {
            await sql`select set_config('role', ${APP_ROLE}, true)`.execute(trx);
            if (setting !== null) {
              await sql`select set_config('tierline.tenant_id', ${setting}, true)`.execute(trx);
            }
            await recordAudit(trx, A, SYSTEM, {
              action: 'test.no_tenant',
              entityType: 'tenant',
              entityId: A,
            });
          }),
        ).rejects.toThrow(/row-level security/);
      }
      // A malformed tenant id fails the query rather than matching anything.
      await expect(
        conn.transaction().execute(async (trx) => {
          await sql`select set_config('role', ${APP_ROLE}, true),
            set_config('tierline.tenant_id', ${`${A} or true`}, true)`.execute(trx);
          await sql`select count(*) from dealer`.execute(trx);
        }),
      ).rejects.toThrow(/invalid input syntax/);
    });
  });

  it('ends the role and the tenant with the transaction', async () => {
    await store.db.connection().execute(async (conn) => {
      await withTenant(conn, A, async (trx) => {
        const { rows } = await sql<{ role: string; tenant: string }>`
          select current_user as role, current_setting('tierline.tenant_id', true) as tenant`.execute(
          trx,
        );
        expect(rows).toEqual([{ role: APP_ROLE, tenant: String(A) }]);
      });
      const { rows } = await sql<{ role: string; tenant: string | null }>`
        select current_user as role, current_setting('tierline.tenant_id', true) as tenant`.execute(
        conn,
      );
      expect(rows[0]?.role).not.toBe(APP_ROLE);
      expect(rows[0]?.tenant ?? '').toBe('');
      // And a failed transaction ends them too.
      await expect(
        withTenant(conn, A, async (trx) => {
          await sql`select 1/0`.execute(trx);
        }),
      ).rejects.toThrow(/division by zero/);
      const after = await sql<{ role: string; tenant: string | null }>`
        select current_user as role, current_setting('tierline.tenant_id', true) as tenant`.execute(
        conn,
      );
      expect(after.rows[0]?.role).not.toBe(APP_ROLE);
      expect(after.rows[0]?.tenant ?? '').toBe('');
    });
  });
});
