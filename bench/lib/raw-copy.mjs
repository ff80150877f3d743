import { sql } from 'kysely';

/** Order-line columns as a bare table holds them: ids, no keys, indexes or constraints. */
const COLUMNS = [
  ['tenant_id', 'bigint'],
  ['order_no', 'text'],
  ['line_no', 'integer'],
  ['dealer_id', 'bigint'],
  ['product_id', 'bigint'],
  ['outlet_id', 'bigint'],
  ['ordered_on', 'date'],
  ['quantity', 'integer'],
  ['unit_price', 'bigint'],
  ['amount', 'bigint'],
];

/**
 * The engine's raw speed, the baseline of the load benchmarks: `rows` (arrays in the order of
 * `columns`, a subset of the order-line columns above) COPYed in one transaction through the
 * store's own COPY into a table without keys, indexes or constraints.
 */
export async function timeRawCopy(store, columns, rows) {
  const types = new Map(COLUMNS);
  await sql
    .raw(`create table bench_raw_copy (${columns.map((c) => `${c} ${types.get(c)}`).join(', ')})`)
    .execute(store.db);
  const started = performance.now();
  const copied = await store.bulk((session) =>
    session.db.transaction().execute(() => session.copy('bench_raw_copy', columns, rows)),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rows: copied, seconds, rowsPerSecond: copied / seconds };
}
