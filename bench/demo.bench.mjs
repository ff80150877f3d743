// Benchmark: `tierline demo` at 100,000 dealers (about 10M order lines) on one engine.
//
// Figures and their same-run baselines:
// - order lines/s while the order_line table loads, against a raw COPY of the same number of
//   pre-generated order-line rows into a bare table (no keys, no indexes, no foreign keys);
// - all rows/s over the whole load (regions, master data, every fact table, rollups), against
//   the same raw COPY;
// - peak RSS of the process running the load, against the same load at 1,000 dealers: facts
//   are streamed, so only the master data held in memory (about 1 KB per dealer, plus the
//   garbage collector's headroom) grows with the channel.
// Each measurement runs in its own process (see lib/spawn.mjs), so peak RSS is its own.
import { runInChild } from './lib/spawn.mjs';
import { openBenchStore } from './lib/stores.mjs';
import { timeRawCopy } from './lib/raw-copy.mjs';

const DEALERS = Number(process.env.TIERLINE_BENCH_DEALERS ?? 100_000);
// About 10 order lines per dealer-month: 100,000 dealers × 10 months ≈ 10M order lines.
const MONTHS = Number(process.env.TIERLINE_BENCH_MONTHS ?? 10);
const SMALL_DEALERS = 1_000;
const END_MONTH = '2025-12';
const SEED = 42;
const MIB = 1024 * 1024;

export default async function run({ engine, databaseUrl }) {
  const big = await runInChild(import.meta.url, 'loadTask', {
    engine,
    databaseUrl,
    dealers: DEALERS,
  });
  const orderLines = big.result.counts.order_line;
  const raw = await runInChild(import.meta.url, 'rawCopyTask', {
    engine,
    databaseUrl,
    rows: orderLines,
  });
  const small = await runInChild(import.meta.url, 'loadTask', {
    engine,
    databaseUrl,
    dealers: SMALL_DEALERS,
  });

  const rawRate = {
    name: `raw COPY into a bare table (${fmt(orderLines)} rows)`,
    value: raw.result.rowsPerSecond,
    unit: 'rows/s',
  };
  const totalRows = sum(big.result.counts);
  return {
    name: `demo ${fmt(DEALERS)} dealers × ${MONTHS} months (${engine})`,
    details: {
      counts: big.result.counts,
      loadSeconds: big.result.seconds,
      phaseSeconds: big.result.phaseSeconds,
      rawCopySeconds: raw.result.seconds,
      smallRun: {
        dealers: SMALL_DEALERS,
        seconds: small.result.seconds,
        counts: small.result.counts,
      },
      note:
        engine === 'postgres'
          ? 'Peak RSS is the Node process only; the PostgreSQL server process is not included.'
          : 'Peak RSS includes the embedded PGlite database (WebAssembly heap).',
    },
    figures: [
      {
        name: 'order lines/s (order_line phase)',
        value: orderLines / big.result.phaseSeconds.order_line,
        unit: 'rows/s',
        baseline: rawRate,
      },
      {
        name: `all rows/s (whole load: ${fmt(totalRows)} rows incl. master data and rollups)`,
        value: totalRows / big.result.seconds,
        unit: 'rows/s',
        baseline: rawRate,
      },
      {
        name: `peak RSS at ${fmt(DEALERS)} dealers`,
        value: big.peakRssBytes / MIB,
        unit: 'MiB',
        baseline: {
          name: `peak RSS at ${fmt(SMALL_DEALERS)} dealers`,
          value: small.peakRssBytes / MIB,
          unit: 'MiB',
        },
      },
    ],
  };
}

/** Child task: load the demo channel into a fresh store; counts, seconds and seconds per phase. */
export async function loadTask({ engine, databaseUrl, dealers, months = MONTHS }) {
  const { loadDemo } = await import('../packages/server/dist/index.js');
  if (typeof loadDemo !== 'function') {
    throw new Error(
      'packages/server/dist/index.js exports no loadDemo: run `npm run build` first.',
    );
  }
  const { store, dispose } = await openBenchStore({ engine, databaseUrl });
  const phaseSeconds = {};
  let phase;
  let since = performance.now();
  let lastLog = 0;
  try {
    const result = await loadDemo(store, {
      slug: 'bench',
      dealers,
      months,
      seed: SEED,
      endMonth: END_MONTH,
      onProgress: (p) => {
        const now = performance.now();
        if (p.phase !== phase) {
          if (phase) phaseSeconds[phase] = (now - since) / 1000;
          phase = p.phase;
          since = now;
        }
        if (now - lastLog > 30_000) {
          lastLog = now;
          process.stderr.write(
            `  [${engine} ${fmt(dealers)}] ${p.phase} ${fmt(p.done)}/${fmt(p.total)}\n`,
          );
        }
      },
    });
    phaseSeconds[phase] = (performance.now() - since) / 1000;
    return { counts: result.counts, seconds: result.seconds, phaseSeconds };
  } finally {
    await dispose();
  }
}

/**
 * Child task: the engine's raw speed. `rows` order-line-shaped rows, pre-generated as a pool
 * of 100,000 and cycled (unique order numbers), are COPYed in one transaction through the same
 * store API into a table without keys, indexes or constraints.
 */
export async function rawCopyTask({ engine, databaseUrl, rows }) {
  const { store, dispose } = await openBenchStore({ engine, databaseUrl });
  try {
    const pool = Array.from({ length: 100_000 }, (_, i) => {
      const quantity = 1 + (i % 40);
      const unitPrice = 3_000 + ((i * 37) % 30_000);
      return [
        1,
        `SO-DL${String(i % 100_000).padStart(6, '0')}-2025${String(1 + (i % 12)).padStart(2, '0')}-`,
        1 + (i % 8),
        1 + (i % 100_000),
        1 + (i % 150),
        i % 4 === 0 ? null : 1 + i,
        `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        quantity,
        unitPrice,
        quantity * unitPrice,
      ];
    });
    function* cycle() {
      for (let i = 0; i < rows; i++) {
        const row = pool[i % pool.length].slice();
        row[1] += String(Math.floor(i / pool.length));
        yield row;
      }
    }
    const columns = [
      'tenant_id',
      'order_no',
      'line_no',
      'dealer_id',
      'product_id',
      'outlet_id',
      'ordered_on',
      'quantity',
      'unit_price',
      'amount',
    ];
    return await timeRawCopy(store, columns, cycle());
  } finally {
    await dispose();
  }
}

function sum(counts) {
  return Object.values(counts).reduce((s, n) => s + n, 0);
}

function fmt(n) {
  return new Intl.NumberFormat('en-US').format(n);
}
