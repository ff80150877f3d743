// The dealer list at 100,000 dealers: latency of the API queries the console makes, measured
// in-process through app.inject (server work only, no network), beside the latency of
// /api/health (one `select 1`) in the same run as the baseline.
import { performance } from 'node:perf_hooks';
import { buildApp, DEMO_PASSWORD, loadDemo } from '../packages/server/dist/index.js';
import { openBenchStore } from './lib/stores.mjs';

const DEALERS = Number(process.env.TIERLINE_BENCH_LIST_DEALERS ?? 100_000);
const RUNS = 30;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function time(app, url, headers = {}) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const response = await app.inject({ method: 'GET', url, headers });
    samples.push(performance.now() - start);
    if (response.statusCode !== 200)
      throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

export default async function run({ engine, databaseUrl }) {
  const { store, dispose } = await openBenchStore({ engine, databaseUrl });
  try {
    await loadDemo(store, {
      slug: 'bench-list',
      dealers: DEALERS,
      months: 1,
      seed: 1,
      endMonth: '2026-10',
    });
    const app = await buildApp({
      db: store.db,
      engine: store.engine,
      defaultTenant: 'bench-list',
      version: 'bench',
    });
    // Sign in as the demo's users: every request below pays for authentication, its
    // transaction as the row-level-security role and, for the manager, its region scope.
    const signIn = async (login) => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { login, password: DEMO_PASSWORD },
      });
      if (response.statusCode !== 200) throw new Error(`sign-in: ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === 'tierline_session');
      return { cookie: `tierline_session=${cookie.value}` };
    };
    const analyst = await signIn('analyst');
    const manager = await signIn('manager');
    const first = await app.inject({ url: '/api/v1/dealers?limit=50', headers: analyst });
    const { items } = first.json();
    // Walk 100 pages deep by cursor to get a deep cursor.
    let cursor = first.json().nextCursor;
    for (let i = 0; i < 100 && cursor; i++) {
      cursor = (
        await app.inject({ url: `/api/v1/dealers?limit=50&cursor=${cursor}`, headers: analyst })
      ).json().nextCursor;
    }
    const baseline = await time(app, '/api/health');
    const cases = [
      ['first page', '/api/v1/dealers?limit=50'],
      ['page 101 by cursor', `/api/v1/dealers?limit=50&cursor=${cursor}`],
      ['province filter', '/api/v1/dealers?limit=50&region=440000'],
      ['name search', `/api/v1/dealers?limit=50&q=${encodeURIComponent('商贸')}`],
      [
        'status filter, sort by name desc',
        '/api/v1/dealers?limit=50&status=probation,suspended&sort=name&order=desc',
      ],
      ['dealer 360', `/api/v1/dealers/${items[0].id}`],
      ['channel manager (2 provinces), first page', '/api/v1/dealers?limit=50', manager],
    ];
    const figures = [];
    for (const [name, url, headers = analyst] of cases) {
      const t = await time(app, url, headers);
      figures.push({
        name: `${name}, p95 (${DEALERS.toLocaleString('en')} dealers)`,
        value: Number(t.p95.toFixed(1)),
        unit: 'ms',
        baseline: { name: '/api/health p95', value: Number(baseline.p95.toFixed(1)), unit: 'ms' },
      });
      figures.push({
        name: `${name}, p50`,
        value: Number(t.p50.toFixed(1)),
        unit: 'ms',
        baseline: { name: '/api/health p50', value: Number(baseline.p50.toFixed(1)), unit: 'ms' },
      });
    }
    await app.close();
    return { name: `dealer list API (${engine})`, figures };
  } finally {
    await dispose();
  }
}
