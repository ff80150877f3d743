import { parseDay } from '../demo/calendar.js';
import type { DemoChannel } from '../demo/channel.js';
import type {
  ChannelMonth,
  DealerAlertInput,
  DealerMonth,
  LicenceFact,
  OpenInvoiceFact,
  StockFact,
} from './types.js';

/** Sales and units of one category or outlet in one month. */
export interface SalesCell {
  sales: number;
  quantity: number;
}

/** What the server's rollups and fact queries would hold for one demo dealer. */
export interface DemoDealerData {
  input: DealerAlertInput;
  /** category → month → sales. */
  categories: Map<string, Map<string, SalesCell>>;
  /** outlet code ('' = no outlet) → month → sales. */
  outlets: Map<string, Map<string, SalesCell>>;
  /** month → complaint topic → count. */
  complaints: Map<string, Map<string, number>>;
}

/**
 * Rollups of a generated demo channel, computed in memory the way `refreshRollups` computes them
 * in SQL (for tests of the alerts engine without a database): per dealer its monthly rollups,
 * sales per category and per outlet, complaints by topic, licences, invoices still open on `day`
 * and its last stock snapshot with the 30 days of sales before it; and the channel's totals.
 */
export function demoAlertData(
  channel: DemoChannel,
  day: string,
): { dealers: DemoDealerData[]; channel: ChannelMonth[] } {
  const products = channel.products;
  const n = channel.dealers.length;
  const monthRows = Array.from(
    { length: n },
    () => new Map<string, Record<string, number | null>>(),
  );
  const row = (d: number, month: string) => {
    const rows = monthRows[d] as Map<string, Record<string, number | null>>;
    let r = rows.get(month);
    if (!r) {
      r = {
        sales_amount: 0,
        sales_quantity: 0,
        order_count: 0,
        order_line_count: 0,
        ordering_outlet_count: 0,
        visit_count: 0,
        invoice_amount: 0,
        payment_amount: 0,
        target_amount: null,
        complaint_count: 0,
        inventory_value: 0,
        inventory_quantity: 0,
        near_expiry_value: 0,
      };
      rows.set(month, r);
    }
    return r;
  };
  const add = (r: Record<string, number | null>, key: string, v: number) => {
    r[key] = (r[key] ?? 0) + v;
  };
  const data: DemoDealerData[] = channel.dealers.map(() => ({
    input: { months: [] },
    categories: new Map(),
    outlets: new Map(),
    complaints: new Map(),
  }));
  const cell = (map: Map<string, Map<string, SalesCell>>, key: string, month: string) => {
    let byMonth = map.get(key);
    if (!byMonth) map.set(key, (byMonth = new Map<string, SalesCell>()));
    let c = byMonth.get(month);
    if (!c) byMonth.set(month, (c = { sales: 0, quantity: 0 }));
    return c;
  };

  const orders = new Set<string>();
  const outletsOrdering = new Map<string, Set<string>>();
  // Sales by SKU per dealer per day, for the 30 days before each snapshot.
  const skuDays = Array.from({ length: n }, () => new Map<string, number>());
  for (const line of channel.orderLines()) {
    const month = line.orderedOn.slice(0, 7);
    const r = row(line.dealerIndex, month);
    add(r, 'sales_amount', line.amount);
    add(r, 'sales_quantity', line.quantity);
    add(r, 'order_line_count', 1);
    const orderKey = `${line.dealerIndex}|${line.orderNo}`;
    if (!orders.has(orderKey)) {
      orders.add(orderKey);
      add(r, 'order_count', 1);
    }
    if (line.outletCode !== null) {
      const key = `${line.dealerIndex}|${month}`;
      let set = outletsOrdering.get(key);
      if (!set) outletsOrdering.set(key, (set = new Set()));
      if (!set.has(line.outletCode)) {
        set.add(line.outletCode);
        add(r, 'ordering_outlet_count', 1);
      }
    }
    const d = data[line.dealerIndex] as DemoDealerData;
    const category = (products[line.productIndex] as { category: string }).category;
    const c = cell(d.categories, category, month);
    c.sales += line.amount;
    c.quantity += line.quantity;
    const o = cell(d.outlets, line.outletCode ?? '', month);
    o.sales += line.amount;
    o.quantity += line.quantity;
    const skuKey = `${line.sku}|${parseDay(line.orderedOn)}`;
    const days = skuDays[line.dealerIndex] as Map<string, number>;
    days.set(skuKey, (days.get(skuKey) ?? 0) + line.quantity);
  }
  for (const t of channel.targets())
    row(t.dealerIndex, t.month.slice(0, 7))['target_amount'] = t.amount;
  for (const v of channel.outletVisits())
    add(row(v.dealerIndex, v.visitedOn.slice(0, 7)), 'visit_count', 1);
  const invoices: Map<string, { dueOn: string; amount: number; paid: number; dealer: number }> =
    new Map();
  for (const i of channel.invoices()) {
    add(row(i.dealerIndex, i.issuedOn.slice(0, 7)), 'invoice_amount', i.amount);
    if (i.issuedOn <= day) {
      invoices.set(i.invoiceNo, {
        dueOn: i.dueOn,
        amount: i.amount,
        paid: 0,
        dealer: i.dealerIndex,
      });
    }
  }
  for (const p of channel.payments()) {
    add(row(p.dealerIndex, p.paidOn.slice(0, 7)), 'payment_amount', p.amount);
    const invoice = invoices.get(p.invoiceNo);
    if (invoice && p.paidOn <= day) invoice.paid += p.amount;
  }
  const open: OpenInvoiceFact[][] = Array.from({ length: n }, () => []);
  for (const [invoiceNo, i] of invoices) {
    if (i.amount - i.paid > 0) {
      (open[i.dealer] as OpenInvoiceFact[]).push({
        invoiceNo,
        dueOn: i.dueOn,
        outstanding: i.amount - i.paid,
      });
    }
  }
  for (const c of channel.complaints()) {
    const month = c.receivedOn.slice(0, 7);
    add(row(c.dealerIndex, month), 'complaint_count', 1);
    const d = data[c.dealerIndex] as DemoDealerData;
    let topics = d.complaints.get(month);
    if (!topics) d.complaints.set(month, (topics = new Map<string, number>()));
    topics.set(c.topic, (topics.get(c.topic) ?? 0) + 1);
  }
  const lastSnapshot: string[] = Array.from({ length: n }, () => '');
  const stockRows: { dealer: number; sku: string; name: string; on: string; q: number }[] = [];
  for (const s of channel.inventorySnapshots()) {
    const product = products[s.productIndex] as (typeof products)[number];
    const r = row(s.dealerIndex, s.snapshotOn.slice(0, 7));
    add(r, 'inventory_quantity', s.quantity);
    add(r, 'inventory_value', s.quantity * product.listPrice);
    if (
      s.expiresOn !== null &&
      (parseDay(s.expiresOn) - parseDay(s.snapshotOn)) * 3 <= product.shelfLifeDays
    ) {
      add(r, 'near_expiry_value', s.quantity * product.listPrice);
    }
    if (s.snapshotOn <= day && s.snapshotOn >= (lastSnapshot[s.dealerIndex] as string)) {
      lastSnapshot[s.dealerIndex] = s.snapshotOn;
    }
    stockRows.push({
      dealer: s.dealerIndex,
      sku: s.sku,
      name: product.name,
      on: s.snapshotOn,
      q: s.quantity,
    });
  }
  const stock: StockFact[][] = Array.from({ length: n }, () => []);
  const merged = new Map<string, StockFact>();
  for (const s of stockRows) {
    if (s.on !== lastSnapshot[s.dealer]) continue;
    const key = `${s.dealer}|${s.sku}`;
    const seen = merged.get(key);
    if (seen) {
      merged.set(key, { ...seen, quantity: seen.quantity + s.q });
      continue;
    }
    const snap = parseDay(s.on);
    let sold = 0;
    const days = skuDays[s.dealer] as Map<string, number>;
    for (let d = snap - 29; d <= snap; d++) sold += days.get(`${s.sku}|${d}`) ?? 0;
    merged.set(key, {
      sku: s.sku,
      name: s.name,
      snapshotOn: s.on,
      quantity: s.q,
      soldQuantity: sold,
    });
  }
  for (const [key, fact] of merged) (stock[Number(key.split('|')[0])] as StockFact[]).push(fact);
  const licences: LicenceFact[][] = Array.from({ length: n }, () => []);
  for (const q of channel.qualifications()) {
    if (q.issuedOn <= day) {
      (licences[q.dealerIndex] as LicenceFact[]).push({
        kind: q.kind,
        number: q.number,
        expiresOn: q.expiresOn,
      });
    }
  }

  const totals = new Map<
    string,
    { sales: number; dealers: number; target: number; targetedSales: number }
  >();
  channel.dealers.forEach((dealer, i) => {
    const rows = monthRows[i] as Map<string, Record<string, number | null>>;
    const months: DealerMonth[] = [...rows.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, values]) => ({ month, values }));
    for (const m of months) {
      const sales = m.values['sales_amount'] ?? 0;
      const t = totals.get(m.month) ?? { sales: 0, dealers: 0, target: 0, targetedSales: 0 };
      t.sales += sales;
      if (sales > 0) t.dealers++;
      const target = m.values['target_amount'] ?? null;
      if (target !== null && target > 0) {
        t.target += target;
        t.targetedSales += sales;
      }
      totals.set(m.month, t);
    }
    const d = data[i] as DemoDealerData;
    d.input = {
      months,
      // Nothing is known before the window: the tenant's data starts with it.
      since:
        dealer.onboardedOn.slice(0, 7) > channel.firstMonth
          ? dealer.onboardedOn.slice(0, 7)
          : channel.firstMonth,
      licences: licences[i],
      openInvoices: open[i],
      stock: stock[i],
    };
  });
  return {
    dealers: data,
    channel: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, t]) => ({ month, ...t })),
  };
}
