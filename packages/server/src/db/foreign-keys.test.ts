import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE } from './tenant-scope.js';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { makeChannel, makeDealer, type TestChannel } from '../test/factories.js';
import {
  danglingReferences,
  foreignKeysOf,
  maySkipTriggers,
  withoutRowTriggers,
} from './foreign-keys.js';

let store: TestStore;
let channel: TestChannel;
let dealerId: number;

beforeAll(async () => {
  store = await createTestStore();
  channel = await makeChannel(store.db);
  dealerId = await makeDealer(store.db, channel.tenantId, { region_id: channel.regions.th });
});
afterAll(async () => {
  await store.destroy();
});

/** An order line of the channel's dealer, or of the dealer given. */
function line(orderNo: string, dealer = dealerId) {
  return {
    tenant_id: channel.tenantId,
    order_no: orderNo,
    line_no: 1,
    dealer_id: dealer,
    product_id: channel.productIds[0] as number,
    outlet_id: null,
    ordered_on: '2026-10-01',
    quantity: 1,
    unit_price: 100,
    amount: 100,
  };
}

/** Roll back whatever `fn` wrote. */
async function inRolledBack(fn: (trx: TestStore['db']) => Promise<void>): Promise<void> {
  const rollback = new Error('rollback');
  await expect(
    store.db.transaction().execute(async (trx) => {
      await fn(trx);
      throw rollback;
    }),
  ).rejects.toBe(rollback);
}

describe('foreign keys checked per set', () => {
  it('reads the keys of a table from the catalogue', async () => {
    const keys = await foreignKeysOf(store.db, 'order_line');
    expect(keys.map((k) => [k.parent, k.columns, k.parentColumns])).toEqual(
      expect.arrayContaining([
        ['tenant', ['tenant_id'], ['id']],
        ['dealer', ['tenant_id', 'dealer_id'], ['tenant_id', 'id']],
        ['product', ['tenant_id', 'product_id'], ['tenant_id', 'id']],
        ['outlet', ['tenant_id', 'outlet_id'], ['tenant_id', 'id']],
      ]),
    );
    expect(keys).toHaveLength(4);
  });

  it('lets only a table that no key points at skip its triggers', async () => {
    // The test role is a superuser on both engines.
    expect(await maySkipTriggers(store.db, 'order_line')).toBe(true);
    expect(await maySkipTriggers(store.db, 'dealer')).toBe(false);
    // The request role may not: an import run as it keeps the per-row checks.
    await inRolledBack(async (trx) => {
      await sql`select set_config('role', ${APP_ROLE}, true)`.execute(trx);
      expect(await maySkipTriggers(trx, 'order_line')).toBe(false);
    });
  });

  it('finds the rows written without triggers that reference a missing row', async () => {
    await inRolledBack(async (trx) => {
      await withoutRowTriggers(trx, async () => {
        await trx
          .insertInto('order_line')
          .values([line('FK-OK'), line('FK-BAD-1', 987_654_321), line('FK-BAD-2', 987_654_321)])
          .execute();
      });
      expect(await danglingReferences(trx, 'order_line', channel.tenantId)).toEqual([
        {
          table: 'order_line',
          key: 'order_line_tenant_id_dealer_id_fkey',
          parent: 'dealer',
          rows: 2,
        },
      ]);
    });
    expect(await danglingReferences(store.db, 'order_line', channel.tenantId)).toEqual([]);
  });

  it('turns the triggers back on afterwards, also when the work fails', async () => {
    await inRolledBack(async (trx) => {
      await withoutRowTriggers(trx, async () => {
        await trx.insertInto('order_line').values(line('FK-ON-1')).execute();
      });
      const role = await sql<{
        r: string;
      }>`select current_setting('session_replication_role') as r`.execute(trx);
      expect(role.rows[0]?.r).toBe('origin');
      await expect(
        trx.insertInto('order_line').values(line('FK-ON-2', 987_654_321)).execute(),
      ).rejects.toThrow(/foreign key/);
    });
    await inRolledBack(async (trx) => {
      const failure = new Error('generator failed');
      await expect(
        withoutRowTriggers(trx, async () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      const role = await sql<{
        r: string;
      }>`select current_setting('session_replication_role') as r`.execute(trx);
      expect(role.rows[0]?.r).toBe('origin');
    });
  });
});
