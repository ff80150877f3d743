// Benchmark harness: `node --expose-gc bench/run.mjs [filter]` (or `npm run bench`, which
// builds first). Runs every bench/*.bench.mjs whose file name contains `filter`, once per
// engine, each in its own Node process, and writes bench/results/latest.{json,md}.
//
// Engines: PGlite always; PostgreSQL at TIERLINE_BENCH_DATABASE_URL, or else at
// postgres://postgres@127.0.0.1:5432/test when it answers. TIERLINE_BENCH_ENGINES=pglite (or
// postgres) restricts the run. See bench/README.md.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { runInChild } from './lib/spawn.mjs';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';

if (process.argv[2] === '--report') {
  // Rewrite latest.md from latest.json (after editing or merging results by hand).
  const report = JSON.parse(await readFile(`${RESULTS_DIR}latest.json`, 'utf8'));
  await writeFile(`${RESULTS_DIR}latest.md`, markdown(report));
  process.exit(0);
}

const filter = process.argv[2] ?? '';
const files = (await readdir(BENCH_DIR))
  .filter((f) => f.endsWith('.bench.mjs') && f.includes(filter))
  .sort();
if (files.length === 0) {
  process.stderr.write(`No benchmark in bench/ matches "${filter}".\n`);
  process.exit(2);
}

const engines = await chooseEngines();
const started = new Date();
const results = [];
for (const file of files) {
  for (const { engine, databaseUrl } of engines) {
    process.stderr.write(`bench: ${file} on ${engine}...\n`);
    const url = pathToFileURL(`${BENCH_DIR}${file}`).href;
    try {
      const run = await runInChild(url, 'default', { engine, databaseUrl });
      results.push({
        file,
        engine,
        seconds: run.seconds,
        peakRssBytes: run.peakRssBytes,
        ...run.result,
      });
      for (const f of run.result.figures) process.stderr.write(`  ${describe(f)}\n`);
    } catch (error) {
      results.push({ file, engine, error: error.message });
      process.stderr.write(`  failed: ${error.message}\n`);
    }
  }
}

// A filtered run replaces the rows of what it ran and keeps the other benchmarks' last results
// (each result carries its own date), so that latest.md always covers every benchmark.
const previous = await readFile(`${RESULTS_DIR}latest.json`, 'utf8')
  .then((text) => JSON.parse(text).results ?? [])
  .catch(() => []);
for (const r of results) r.date = started.toISOString();
const ran = new Set(results.map((r) => `${r.file}|${r.engine}`));
const kept = previous.filter((r) => !ran.has(`${r.file}|${r.engine}`));
results.unshift(...kept);

const report = {
  date: started.toISOString(),
  finished: new Date().toISOString(),
  machine: {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
  },
  engines: engines.map((e) => e.engine),
  results,
};
await mkdir(RESULTS_DIR, { recursive: true });
await writeFile(`${RESULTS_DIR}latest.json`, JSON.stringify(report, null, 2) + '\n');
await writeFile(`${RESULTS_DIR}latest.md`, markdown(report));
process.stderr.write(`bench: wrote bench/results/latest.json and latest.md\n`);
process.exit(results.some((r) => r.error) ? 1 : 0);

async function chooseEngines() {
  const only = process.env.TIERLINE_BENCH_ENGINES?.split(',').map((s) => s.trim());
  const wanted = (engine) => !only || only.includes(engine);
  const out = wanted('pglite') ? [{ engine: 'pglite' }] : [];
  if (!wanted('postgres')) return out;
  const explicit = process.env.TIERLINE_BENCH_DATABASE_URL;
  const url = explicit ?? DEFAULT_PG;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    out.push({ engine: 'postgres', databaseUrl: url });
  } catch (error) {
    if (explicit) {
      process.stderr.write(
        `bench: TIERLINE_BENCH_DATABASE_URL is not reachable: ${error.message}\n`,
      );
      process.exit(2);
    }
    process.stderr.write(`bench: no PostgreSQL at ${DEFAULT_PG}; PGlite only.\n`);
  } finally {
    await client.end().catch(() => undefined);
  }
  return out;
}

function number(value) {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return new Intl.NumberFormat('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
}

function describe(f) {
  return f.baseline
    ? `${f.name}: ${number(f.value)} ${f.unit} (baseline ${f.baseline.name}: ${number(f.baseline.value)} ${f.baseline.unit}, ratio ${ratio(f)})`
    : `${f.name}: ${number(f.value)} ${f.unit}`;
}

function ratio(f) {
  return f.baseline?.value ? `${(f.value / f.baseline.value).toFixed(2)}×` : '—';
}

function markdown(r) {
  const rows = r.results.flatMap((res) =>
    res.error
      ? [
          `| ${res.file} (${res.engine}) | failed: ${res.error.split('\n')[0].replaceAll('|', '\\|')} | | | | | |`,
        ]
      : res.figures.map(
          (f) =>
            `| ${res.name} | ${f.name} | ${number(f.value)} | ${f.unit} | ${f.baseline?.name ?? '—'} | ${f.baseline ? `${number(f.baseline.value)} ${f.baseline.unit}` : '—'} | ${ratio(f)} |`,
        ),
  );
  const gib = (r.machine.totalMemoryBytes / 1024 ** 3).toFixed(1);
  return [
    '# Benchmark results',
    '',
    `Run ${r.date} → ${r.finished} on Node ${r.machine.node}, ${r.machine.platform}, ` +
      `${r.machine.cpus} × ${r.machine.cpuModel}, ${gib} GiB RAM. Engines: ${r.engines.join(', ')}.`,
    '',
    'Each figure sits beside its baseline, measured in the same run on the same engine; ratio = value ÷ baseline.',
    '',
    '| benchmark | figure | value | unit | baseline | baseline value | ratio |',
    '| --- | --- | ---: | --- | --- | ---: | ---: |',
    ...rows,
    '',
    ...r.results
      .filter((res) => res.details)
      .flatMap((res) => [
        `## ${res.name}${res.date ? ` (measured ${res.date})` : ''}`,
        '',
        '```json',
        JSON.stringify(res.details, null, 2),
        '```',
        '',
      ]),
  ].join('\n');
}
