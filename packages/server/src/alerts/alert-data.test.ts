import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { makeChannel, makeDealer, type TestChannel } from '../test/factories.js';
import { loadOpenInvoices } from './alert-data.repository.js';

/**
 * What `collection_overdue` reads: invoices still open on a day, with payments that name their
 * invoice applied to it and the others applied to the dealer's oldest open invoices first.
 */
const engine = process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite';
let store: TestStore;
let a: TestChannel;
let b: TestChannel;
let d1: number;
let d2: number;
let other: number;

async function invoice(
  tenantId: number,
  dealerId: number,
  no: string,
  due: string,
  amount: number,
) {
  await sql`insert into invoice (tenant_id, invoice_no, dealer_id, issued_on, due_on, amount)
    values (${tenantId}, ${no}, ${dealerId}, ${due}::date - 30, ${due}::date, ${amount})`.execute(
    store.db,
  );
}
async function payment(
  tenantId: number,
  dealerId: number,
  no: string,
  invoiceNo: string | null,
  paidOn: string,
  amount: number,
) {
  await sql`insert into payment (tenant_id, payment_no, dealer_id, invoice_no, paid_on, amount)
    values (${tenantId}, ${no}, ${dealerId}, ${invoiceNo}, ${paidOn}::date, ${amount})`.execute(
    store.db,
  );
}

beforeAll(async () => {
  store = await createTestStore();
  a = await makeChannel(store.db);
  b = await makeChannel(store.db);
  d1 = await makeDealer(store.db, a.tenantId, { code: 'D1', region_id: a.regions.th });
  d2 = await makeDealer(store.db, a.tenantId, { code: 'D2', region_id: a.regions.th });
  other = await makeDealer(store.db, b.tenantId, { code: 'D1', region_id: b.regions.th });
  // D1: three invoices; one payment names INV-2, two name nothing (or an unknown invoice).
  await invoice(a.tenantId, d1, 'INV-1', '2026-03-31', 100_000);
  await invoice(a.tenantId, d1, 'INV-2', '2026-04-30', 50_000);
  await invoice(a.tenantId, d1, 'INV-3', '2026-05-31', 80_000);
  await payment(a.tenantId, d1, 'P-1', 'INV-2', '2026-05-10', 50_000);
  await payment(a.tenantId, d1, 'P-2', null, '2026-05-20', 70_000);
  await payment(a.tenantId, d1, 'P-3', 'NO-SUCH', '2026-06-05', 60_000);
  // D2: a payment naming D1's invoice is D2's unapplied cash, not a payment of INV-1.
  await invoice(a.tenantId, d2, 'INV-9', '2026-04-15', 40_000);
  await payment(a.tenantId, d2, 'P-9', 'INV-1', '2026-05-01', 10_000);
  // Tenant B has a dealer with the same code and a big unapplied payment: never mixed in.
  await invoice(b.tenantId, other, 'INV-1', '2026-03-31', 5_000);
  await payment(b.tenantId, other, 'P-1', null, '2026-04-01', 1_000_000);
});

afterAll(async () => {
  await store?.destroy();
});

describe(`open invoices for collection_overdue (${engine})`, () => {
  it('applies payments that name no invoice of the dealer to its oldest open invoices', async () => {
    const on = async (day: string) => {
      const open = await loadOpenInvoices(store.db, a.tenantId, [d1, d2], day);
      return Object.fromEntries(
        [...open].map(([dealer, list]) => [
          dealer === d1 ? 'D1' : 'D2',
          list.map((i) => `${i.invoiceNo} ${i.outstanding}`),
        ]),
      );
    };
    // Before any payment: everything due is open.
    expect(await on('2026-04-30')).toEqual({ D1: ['INV-1 100000'], D2: ['INV-9 40000'] });
    // 2026-05-25: INV-2 paid by name; ¥700 of unapplied cash pays most of INV-1.
    expect(await on('2026-05-25')).toEqual({
      D1: ['INV-1 30000'],
      D2: ['INV-9 30000'],
    });
    // 2026-06-30: ¥1,300 unapplied: INV-1 (¥1,000) paid, INV-3 (due 05-31) has ¥500 left.
    expect(await on('2026-06-30')).toEqual({ D1: ['INV-3 50000'], D2: ['INV-9 30000'] });
  });

  it('reads only the tenant asked for', async () => {
    const open = await loadOpenInvoices(store.db, b.tenantId, [other, d1], '2026-06-30');
    expect([...open.keys()]).toEqual([]);
    const mine = await loadOpenInvoices(store.db, a.tenantId, [other], '2026-06-30');
    expect([...mine.keys()]).toEqual([]);
  });
});
