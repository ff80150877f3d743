// Benchmark: `tierline import order_lines` of a 1,000,000-line CSV on one engine.
//
// Figures and their same-run baselines:
// - order lines/s through the whole import (read and decode the file, parse and check every
//   cell, stage, check duplicate keys and unknown codes, upsert with the table's keys, indexes
//   and foreign keys, refresh the rollups of every dealer touched, record the batch), against a
//   raw COPY of the same rows, already typed and with ids instead of codes, into a bare table
//   (no keys, no indexes, no constraints) through the same store: the issue's target is ≥ 0.5×;
// - peak RSS of the process running the 1M-line import, against the same import of 100,000
//   lines: the file is streamed, so memory should stay flat as the file grows.
// Each measurement runs in its own process (lib/spawn.mjs), so its peak RSS is its own.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInChild } from './lib/spawn.mjs';
import { openBenchStore } from './lib/stores.mjs';
import { timeRawCopy } from './lib/raw-copy.mjs';

const ROWS = Number(process.env.TIERLINE_BENCH_IMPORT_ROWS ?? 1_000_000);
const SMALL_ROWS = Math.max(1, Math.floor(ROWS / 10));
const DEALERS = 1_000;
const MIB = 1024 * 1024;

export default async function run({ engine, databaseUrl }) {
  // Other work on the machine slows both figures and their baselines, not always alike: the
  // load is recorded beside them.
  const loadBefore = loadavg();
  const big = await runInChild(import.meta.url, 'importTask', { engine, databaseUrl, rows: ROWS });
  const raw = await runInChild(import.meta.url, 'rawCopyTask', { engine, databaseUrl, rows: ROWS });
  const small = await runInChild(import.meta.url, 'importTask', {
    engine,
    databaseUrl,
    rows: SMALL_ROWS,
  });
  return {
    name: `import ${fmt(ROWS)} order lines from CSV (${engine})`,
    details: {
      file: big.result.file,
      import: big.result.result,
      rawCopySeconds: raw.result.seconds,
      smallRun: { rows: SMALL_ROWS, seconds: small.result.seconds },
      loadAverage: { before: loadBefore.map(round2), after: loadavg().map(round2) },
      note:
        engine === 'postgres'
          ? 'Peak RSS is the Node process only; the PostgreSQL server process is not included.'
          : 'Peak RSS includes the embedded PGlite database (WebAssembly heap).',
    },
    figures: [
      {
        name: 'order lines/s (whole import, with validation and rollups)',
        value: ROWS / big.result.seconds,
        unit: 'rows/s',
        baseline: {
          name: `raw COPY into a bare table (${fmt(ROWS)} rows)`,
          value: raw.result.rowsPerSecond,
          unit: 'rows/s',
        },
      },
      {
        name: `peak RSS importing ${fmt(ROWS)} lines`,
        value: big.peakRssBytes / MIB,
        unit: 'MiB',
        baseline: {
          name: `peak RSS importing ${fmt(SMALL_ROWS)} lines`,
          value: small.peakRssBytes / MIB,
          unit: 'MiB',
        },
      },
    ],
  };
}

const dealerCode = (i) => `DL${String(1 + (i % DEALERS)).padStart(6, '0')}`;
const sku = (i, skus) => skus[i % skus.length];

function line(i, skus) {
  const quantity = 1 + (i % 40);
  const unitPrice = 3_000 + ((i * 37) % 30_000);
  const month = 1 + (i % 12);
  const day = 1 + (i % 28);
  return [
    `IMP${String(Math.floor(i / 4)).padStart(8, '0')}`,
    1 + (i % 4),
    dealerCode(i),
    sku(i, skus),
    `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    quantity,
    (unitPrice / 100).toFixed(2),
    ((quantity * unitPrice) / 100).toFixed(2),
  ];
}

/** A store with the demo's master data (1,000 dealers, 150 products) and no order lines. */
async function prepared(engine, databaseUrl) {
  const { loadDemo } = await import('../packages/server/dist/index.js');
  const { sql } = await import('kysely');
  const bench = await openBenchStore({ engine, databaseUrl });
  const { tenantId } = await loadDemo(bench.store, {
    slug: 'bench-import',
    dealers: DEALERS,
    months: 1,
    seed: 7,
    endMonth: '2025-12',
  });
  const skus = (
    await sql`select sku from product where tenant_id = ${tenantId} order by sku`.execute(
      bench.store.db,
    )
  ).rows.map((r) => r.sku);
  return { ...bench, tenantId, skus };
}

/** Child task: write the CSV, then import it; seconds of the import alone. */
export async function importTask({ engine, databaseUrl, rows }) {
  const { runImport } = await import('../packages/server/dist/index.js');
  const dir = await mkdtemp(join(tmpdir(), 'tierline-import-bench-'));
  const file = join(dir, 'order_lines.csv');
  const { store, dispose, tenantId, skus } = await prepared(engine, databaseUrl);
  try {
    const out = createWriteStream(file);
    out.write('order_no,line_no,dealer_code,sku,ordered_on,quantity,unit_price,amount\n');
    for (let i = 0; i < rows; i++) {
      if (!out.write(line(i, skus).join(',') + '\n')) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const bytes = out.bytesWritten;
    const started = performance.now();
    const result = await runImport(store, {
      tenantId,
      mapping: { kind: 'order_lines', header: true, fields: {} },
      fileName: 'order_lines.csv',
      input: createReadStream(file),
      origin: { actor: { kind: 'cli', id: null, name: 'bench' }, ip: null, userAgent: null },
      source: 'file',
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.outcome !== 'applied' || result.inserted !== rows) {
      throw new Error(`import did not apply every row: ${JSON.stringify(result).slice(0, 500)}`);
    }
    const summary = { ...result, issues: undefined };
    return { seconds, file: { rows, megabytes: bytes / MIB }, result: summary };
  } finally {
    await dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Child task: the same rows, typed and with ids, COPYed into a bare table. */
export async function rawCopyTask({ engine, databaseUrl, rows }) {
  const { store, dispose, skus } = await prepared(engine, databaseUrl);
  try {
    function* typed() {
      for (let i = 0; i < rows; i++) {
        const [orderNo, lineNo, , , orderedOn, quantity, unitPrice, amount] = line(i, skus);
        yield [
          1,
          orderNo,
          lineNo,
          1 + (i % DEALERS),
          1 + (i % skus.length),
          orderedOn,
          quantity,
          Math.round(Number(unitPrice) * 100),
          Math.round(Number(amount) * 100),
        ];
      }
    }
    const columns = [
      'tenant_id',
      'order_no',
      'line_no',
      'dealer_id',
      'product_id',
      'ordered_on',
      'quantity',
      'unit_price',
      'amount',
    ];
    return await timeRawCopy(store, columns, typed());
  } finally {
    await dispose();
  }
}

function round2(n) {
  return Math.round(n * 100) / 100;
}

function fmt(n) {
  return new Intl.NumberFormat('en-US').format(n);
}
