import type { DemoChannel, DemoDealerRef } from '@tierline/core';
import type { CopyValue } from '../db/connection.js';

/** Ids assigned to the master rows, by the generator's indexes. */
export interface DemoIds {
  readonly tenantId: number;
  readonly dealers: Float64Array;
  readonly products: Float64Array;
  readonly outlets: Float64Array;
  readonly campaigns: Float64Array;
}

/** How one fact table is filled from the channel: its columns and its rows as COPY values. */
export interface FactCopy {
  readonly table: string;
  readonly columns: readonly string[];
  /** The rows in dealer order; `onDealer` hears each new dealer index, for progress. */
  rows(
    channel: DemoChannel,
    ids: DemoIds,
    onDealer: (index: number) => void,
  ): Iterable<CopyValue[]>;
}

const nullable = (ids: Float64Array, index: number | null): number | null =>
  index === null ? null : (ids[index] ?? null);

function fact<T extends DemoDealerRef>(
  table: string,
  columns: readonly string[],
  stream: (channel: DemoChannel) => Iterable<T>,
  values: (row: T, ids: DemoIds) => CopyValue[],
): FactCopy {
  return {
    table,
    columns: ['tenant_id', ...columns],
    *rows(channel, ids, onDealer) {
      let dealer = -1;
      for (const row of stream(channel)) {
        if (row.dealerIndex !== dealer) onDealer((dealer = row.dealerIndex));
        const out = values(row, ids);
        out.unshift(ids.tenantId);
        yield out;
      }
    },
  };
}

/** Every fact table of the demo, in load order. Codes become ids through the index maps. */
export const FACT_COPIES: readonly FactCopy[] = [
  fact(
    'order_line',
    [
      'order_no',
      'line_no',
      'dealer_id',
      'product_id',
      'outlet_id',
      'ordered_on',
      'quantity',
      'unit_price',
      'amount',
    ],
    (c) => c.orderLines(),
    (r, ids) => [
      r.orderNo,
      r.lineNo,
      ids.dealers[r.dealerIndex] ?? null,
      ids.products[r.productIndex] ?? null,
      nullable(ids.outlets, r.outletIndex),
      r.orderedOn,
      r.quantity,
      r.unitPrice,
      r.amount,
    ],
  ),
  fact(
    'invoice',
    ['invoice_no', 'dealer_id', 'issued_on', 'due_on', 'amount'],
    (c) => c.invoices(),
    (r, ids) => [r.invoiceNo, ids.dealers[r.dealerIndex] ?? null, r.issuedOn, r.dueOn, r.amount],
  ),
  fact(
    'payment',
    ['payment_no', 'dealer_id', 'invoice_no', 'paid_on', 'amount'],
    (c) => c.payments(),
    (r, ids) => [r.paymentNo, ids.dealers[r.dealerIndex] ?? null, r.invoiceNo, r.paidOn, r.amount],
  ),
  fact(
    'sales_target',
    ['dealer_id', 'month', 'amount'],
    (c) => c.targets(),
    (r, ids) => [ids.dealers[r.dealerIndex] ?? null, r.month, r.amount],
  ),
  fact(
    'inventory_snapshot',
    ['dealer_id', 'product_id', 'snapshot_on', 'batch_no', 'expires_on', 'quantity'],
    (c) => c.inventorySnapshots(),
    (r, ids) => [
      ids.dealers[r.dealerIndex] ?? null,
      ids.products[r.productIndex] ?? null,
      r.snapshotOn,
      r.batchNo,
      r.expiresOn,
      r.quantity,
    ],
  ),
  fact(
    'outlet_visit',
    ['visit_no', 'dealer_id', 'outlet_id', 'visited_on', 'outcome'],
    (c) => c.outletVisits(),
    (r, ids) => [
      r.visitNo,
      ids.dealers[r.dealerIndex] ?? null,
      ids.outlets[r.outletIndex] ?? null,
      r.visitedOn,
      r.outcome,
    ],
  ),
  fact(
    'complaint',
    [
      'complaint_no',
      'dealer_id',
      'outlet_id',
      'product_id',
      'received_on',
      'topic',
      'severity',
      'body',
      'status',
    ],
    (c) => c.complaints(),
    (r, ids) => [
      r.complaintNo,
      ids.dealers[r.dealerIndex] ?? null,
      nullable(ids.outlets, r.outletIndex),
      nullable(ids.products, r.productIndex),
      r.receivedOn,
      r.topic,
      r.severity,
      r.body,
      r.status,
    ],
  ),
  fact(
    'compliance_event',
    ['event_no', 'dealer_id', 'occurred_on', 'kind', 'severity', 'description', 'resolved_on'],
    (c) => c.complianceEvents(),
    (r, ids) => [
      r.eventNo,
      ids.dealers[r.dealerIndex] ?? null,
      r.occurredOn,
      r.kind,
      r.severity,
      r.description,
      r.resolvedOn,
    ],
  ),
  fact(
    'qualification',
    ['dealer_id', 'kind', 'number', 'issued_on', 'expires_on'],
    (c) => c.qualifications(),
    (r, ids) => [ids.dealers[r.dealerIndex] ?? null, r.kind, r.number, r.issuedOn, r.expiresOn],
  ),
  fact(
    'campaign_execution',
    ['execution_no', 'campaign_id', 'dealer_id', 'reported_on', 'tasks_planned', 'tasks_completed'],
    (c) => c.campaignExecutions(),
    (r, ids) => [
      r.executionNo,
      ids.campaigns[r.campaignIndex] ?? null,
      ids.dealers[r.dealerIndex] ?? null,
      r.reportedOn,
      r.tasksPlanned,
      r.tasksCompleted,
    ],
  ),
];
