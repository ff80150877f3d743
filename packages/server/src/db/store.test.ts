import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { migrateToLatest } from './migrate.js';
import * as channelModel from './migrations/2026_11_28_090000_create_channel_model.js';
import * as identity from './migrations/2026_11_28_130000_create_identity.js';
import * as importBatch from './migrations/2026_11_28_150000_create_import_batch.js';
import * as importMapping from './migrations/2026_11_28_160000_create_import_mapping.js';
import * as tiering from './migrations/2026_11_28_170000_create_tiering.js';
import * as ledger from './migrations/2026_11_28_180000_create_ledger.js';
import * as benefits from './migrations/2026_11_28_190000_create_benefits_and_allocations.js';
import * as rebates from './migrations/2026_11_28_190100_create_rebates.js';
import * as funds from './migrations/2026_11_28_190200_create_market_funds.js';
import * as alerts from './migrations/2026_11_28_190300_create_alerts.js';
import * as notifications from './migrations/2026_11_28_190400_create_notifications.js';
import { makeChannel, makeDealer } from '../test/factories.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});
afterAll(async () => {
  await store.destroy();
});

const TABLES = [
  'tenant',
  'region',
  'dealer',
  'product',
  'outlet',
  'order_line',
  'invoice',
  'payment',
  'sales_target',
  'inventory_snapshot',
  'outlet_visit',
  'complaint',
  'compliance_event',
  'qualification',
  'campaign',
  'campaign_execution',
  'custom_measure',
  'dealer_month',
  'dealer_category_month',
  'app_user',
  'user_region',
  'user_session',
  'api_token',
  'audit_event',
  'import_batch',
  'import_mapping',
  'tier_policy',
  'assessment_run',
  'tier_decision',
  'tier_override',
  'dealer_tier',
  'ledger_log',
  'ledger_signer',
  'ledger_entry',
  'ledger_hash',
  'ledger_checkpoint',
  'assessment_input',
  'benefit',
  'benefit_value',
  'budget_allocation',
  'budget_allocation_line',
  'rebate_program',
  'rebate_settlement',
  'mdf_fund',
  'mdf_request',
  'mdf_claim',
  'mdf_proof',
  'notification_channel',
  'notification_delivery',
  'alert_rule',
  'alert',
  'alert_event',
  'dealer_health',
];

async function tableNames(): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_name not like 'kysely%'
    order by table_name`.execute(store.db);
  return result.rows.map((r) => r.table_name);
}

describe('migrations', () => {
  it(`create every table of the channel model and of identity (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, async () => {
    expect(await tableNames()).toEqual([...TABLES].sort());
  });

  it('lead every primary key with tenant_id, except the tenant table itself', async () => {
    const result = await sql<{ table_name: string; column_name: string }>`
      select tc.table_name, kcu.column_name
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu
        on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema()
        and kcu.ordinal_position = 1 and tc.table_name not like 'kysely%'`.execute(store.db);
    for (const row of result.rows) {
      expect(row.column_name, row.table_name).toBe(
        row.table_name === 'tenant' ? 'id' : 'tenant_id',
      );
    }
    expect(result.rows).toHaveLength(TABLES.length);
  });

  it('run down and up again, and a second migrate does nothing', async () => {
    await notifications.down(store.db);
    await alerts.down(store.db);
    await funds.down(store.db);
    await rebates.down(store.db);
    await benefits.down(store.db);
    await ledger.down(store.db);
    await tiering.down(store.db);
    await importMapping.down(store.db);
    await importBatch.down(store.db);
    await identity.down(store.db);
    await channelModel.down(store.db);
    expect(await tableNames()).toEqual([]);
    await channelModel.up(store.db);
    await identity.up(store.db);
    await importBatch.up(store.db);
    await importMapping.up(store.db);
    await tiering.up(store.db);
    await ledger.up(store.db);
    await benefits.up(store.db);
    await rebates.up(store.db);
    await funds.up(store.db);
    await alerts.up(store.db);
    await notifications.up(store.db);
    expect(await tableNames()).toEqual([...TABLES].sort());
    expect(await migrateToLatest(store.db)).toEqual([]);
  });

  it('enforce the model: a level-2 dealer needs a parent, statuses are closed', async () => {
    const channel = await makeChannel(store.db);
    await expect(
      makeDealer(store.db, channel.tenantId, { region_id: channel.regions.th, chain_level: 2 }),
    ).rejects.toThrow();
    await expect(
      makeDealer(store.db, channel.tenantId, {
        region_id: channel.regions.th,
        status: 'closed' as 'active',
      }),
    ).rejects.toThrow();
  });
});

describe('transactions under concurrent requests', () => {
  it("never run another request's statement inside an open transaction", async () => {
    const channel = await makeChannel(store.db);
    let releaseTx!: () => void;
    const held = new Promise<void>((resolve) => (releaseTx = resolve));
    let txStarted!: () => void;
    const started = new Promise<void>((resolve) => (txStarted = resolve));

    const failing = store.db.transaction().execute(async (trx) => {
      await makeDealer(trx, channel.tenantId, { code: 'IN-TX', region_id: channel.regions.th });
      txStarted();
      await held;
      throw new Error('roll back');
    });
    await started;
    // An unrelated write while the transaction is open; it must survive the rollback.
    const unrelated = makeDealer(store.db, channel.tenantId, {
      code: 'OUTSIDE',
      region_id: channel.regions.th,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseTx();
    await expect(failing).rejects.toThrow('roll back');
    await unrelated;
    const codes = await store.db
      .selectFrom('dealer')
      .select('code')
      .where('tenant_id', '=', channel.tenantId)
      .execute();
    expect(codes.map((c) => c.code)).toEqual(['OUTSIDE']);
  });

  it('keep COPY inside the bulk transaction: a failure leaves nothing behind', async () => {
    const channel = await makeChannel(store.db);
    await expect(
      store.bulk((session) =>
        session.db.transaction().execute(async (trx) => {
          await makeDealer(trx, channel.tenantId, { code: 'BULK', region_id: channel.regions.th });
          await session.copy(
            'region',
            ['tenant_id', 'code', 'name', 'level'],
            [[channel.tenantId, '440199', '新区, "测试"', 'county']],
          );
          throw new Error('abort bulk');
        }),
      ),
    ).rejects.toThrow('abort bulk');
    const left = await store.db
      .selectFrom('region')
      .select('code')
      .where('tenant_id', '=', channel.tenantId)
      .where('code', '=', '440199')
      .execute();
    expect(left).toEqual([]);
    const copied = await store.bulk((session) =>
      session.copy(
        'region',
        ['tenant_id', 'code', 'name', 'level'],
        [[channel.tenantId, '440199', '新区, "测试"', 'county']],
      ),
    );
    expect(copied).toBe(1);
    const row = await store.db
      .selectFrom('region')
      .select('name')
      .where('tenant_id', '=', channel.tenantId)
      .where('code', '=', '440199')
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('新区, "测试"');
  });
});
