import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { openStore } from '@tierline/server';
import { cliEnv, runCli, startServe, stop, type RunResult } from './test-cli.js';

/**
 * The worked example of docs/import-adventureworks.md, run as written: the same commands with
 * the same saved mappings (docs/examples/adventureworks/) on the real AdventureWorks files in
 * ../shared/data/adventureworks/. On PGlite in a temporary folder, or on PostgreSQL in a fresh
 * schema when TEST_DATABASE_URL is set.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const AW =
  process.env['TIERLINE_AW_DATA'] ??
  fileURLToPath(new URL('../../../../shared/data/adventureworks/', import.meta.url));
const EX = join(root, 'docs/examples/adventureworks');
const DOC = join(root, 'docs/import-adventureworks.md');
const pgUrl = process.env['TEST_DATABASE_URL'];

// The data sits beside the project (../shared/data) or where TIERLINE_AW_DATA says; a clone
// without it skips the example (and says so) rather than failing.
const haveData = existsSync(join(AW, 'FactResellerSales.csv'));
if (!haveData) {
  process.stderr.write(`AdventureWorks example skipped: no data in ${AW} (set TIERLINE_AW_DATA)\n`);
}
const run = haveData ? describe : describe.skip;

/** Split a documented command into arguments ("quoted words" stay whole) with $AW and $EX set. */
function argv(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) =>
    (m[1] ?? m[2]!).replace('$AW', AW).replace('$EX', EX),
  );
}

/** The commands as docs/import-adventureworks.md prints them, after `tierline `. */
const STEPS = {
  tenant:
    'tenant create aw --name "Adventure Works Cycles" --currency USD --locale en-US --time-zone America/Los_Angeles --no-china-regions',
  admin: 'user create --tenant aw --role admin --login admin@aw.example',
  territories:
    'import regions $AW/DimSalesTerritory.csv --tenant aw --mapping $EX/territories.json',
  cities: 'import regions $AW/DimGeography.csv --tenant aw --mapping $EX/cities.json',
  dealers: 'import dealers $AW/DimReseller.csv --tenant aw --mapping $EX/dealers.json',
  products: 'import products $AW/DimProduct.csv --tenant aw --mapping $EX/products.json',
  salesDryRun:
    'import order_lines $AW/FactResellerSales.csv --tenant aw --mapping $EX/order-lines.json --dry-run',
  sales: 'import order_lines $AW/FactResellerSales.csv --tenant aw --mapping $EX/order-lines.json',
  rebuild: 'rollups rebuild --tenant aw',
  manager: 'user create --tenant aw --role channel_manager --login nw@aw.example --region T1',
} as const;

let env: Record<string, string> = {};
let dir: string | undefined;
let schema: string | undefined;
let schemaUrl: string | undefined;
const timings: string[] = [];

async function tierline(step: keyof typeof STEPS): Promise<RunResult> {
  const started = performance.now();
  const result = await runCli(argv(STEPS[step]), env);
  timings.push(`${step} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (result.code !== 0)
    throw new Error(`${STEPS[step]} exited ${result.code}:\n${result.stdout}${result.stderr}`);
  return result;
}

/** Every monthly rollup row of the tenant, as text, in key order. */
async function rollupSnapshot(): Promise<{ months: string; categories: string; sales: number }> {
  const store = await openStore(schemaUrl ? { databaseUrl: pgUrl!, schema } : { dataDir: dir! });
  try {
    const tenant = sql`(select id from tenant where slug = 'aw')`;
    const months = await sql<{ t: string }>`
      select string_agg(m::text, E'\n' order by m.dealer_id, m.month) as t
      from dealer_month m where m.tenant_id = ${tenant}`.execute(store.db);
    const categories = await sql<{ t: string }>`
      select string_agg(c::text, E'\n' order by c.dealer_id, c.category, c.month) as t
      from dealer_category_month c where c.tenant_id = ${tenant}`.execute(store.db);
    const sales = await sql<{ n: number }>`
      select sum(sales_amount) as n from dealer_month where tenant_id = ${tenant}`.execute(
      store.db,
    );
    return {
      months: months.rows[0]!.t,
      categories: categories.rows[0]!.t,
      sales: sales.rows[0]!.n,
    };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  if (pgUrl) {
    schema = `aw_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const url = new URL(pgUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    schemaUrl = url.toString();
    env = { DATABASE_URL: schemaUrl };
  } else {
    dir = mkdtempSync(join(tmpdir(), 'tierline-aw-'));
    env = { TIERLINE_DATA_DIR: dir };
  }
});

afterAll(async () => {
  if (timings.length > 0) console.log(`AdventureWorks example: ${timings.join(', ')}`);
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (schema) {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
});

run('the AdventureWorks worked example (docs/import-adventureworks.md)', () => {
  it('has the data and prints every command the test runs', () => {
    expect(haveData, `the AdventureWorks files are not in ${AW}`).toBe(true);
    const doc = readFileSync(DOC, 'utf8');
    for (const command of Object.values(STEPS)) expect(doc).toContain(`tierline ${command}`);
    expect(doc).toContain('node docs/examples/adventureworks/check.mjs');
  });

  it('creates the tenant in USD and its admin', async () => {
    expect((await tierline('tenant')).stdout).toContain(
      'Created tenant aw (Adventure Works Cycles, USD, 0 regions).',
    );
    const admin = await tierline('admin');
    expect(admin.stdout).toContain('Created admin "admin@aw.example" in tenant aw.');
    expect(admin.stdout).toMatch(/^Password \(shown once\): \S{12,}$/m);
  });

  it('imports the 11 sales territories and the 655 cities below them', async () => {
    expect((await tierline('territories')).stdout).toMatch(
      /^Imported \(regions, DimSalesTerritory\.csv, batch \d+\)\.\n {2}rows 11 {3}valid 11 {3}invalid 0\n {2}inserted 11 {3}updated 0 {3}unchanged 0\n/,
    );
    expect((await tierline('cities')).stdout).toContain(
      '  rows 655   valid 655   invalid 0\n  inserted 655   updated 0   unchanged 0\n',
    );
  });

  it('imports the 701 resellers (no header, |) as dealers', async () => {
    const dealers = await tierline('dealers');
    expect(dealers.stdout).toContain(
      '  rows 701   valid 701   invalid 0\n  inserted 701   updated 0   unchanged 0\n',
    );
    // Re-importing the same file changes nothing and says so.
    const again = await tierline('dealers');
    expect(again.stdout).toMatch(/^Nothing changed: every row already held these values/);
    expect(again.stdout).toContain('inserted 0   updated 0   unchanged 701');
    expect(again.stdout).toMatch(
      /the same file \(SHA-256 [0-9a-f]{12}…\) was imported as batch \d+/,
    );
  });

  it('imports the 606 product rows, one SKU per ProductKey', async () => {
    expect((await tierline('products')).stdout).toContain(
      '  rows 606   valid 606   invalid 0\n  inserted 606   updated 0   unchanged 0\n',
    );
  });

  it('imports the 60,855 order lines (header, ,) after a clean dry run', async () => {
    const dry = await tierline('salesDryRun');
    expect(dry.stdout).toMatch(/^Dry run: the file is valid; nothing was written/);
    expect(dry.stdout).toContain('rows 60,855   valid 60,855   invalid 0');
    const sales = await tierline('sales');
    expect(sales.stdout).toContain(
      '  rows 60,855   valid 60,855   invalid 0\n  inserted 60,855   updated 0   unchanged 0\n',
    );
    // 4-decimal USD rounded half away from zero to cents, line by line: 80,450,596.11, which is
    // 0.8723 below the exact total of 80,450,596.9823 (see the doc).
    expect((await rollupSnapshot()).sales).toBe(8_045_059_611);
  });

  it('a second import of the sales file changes nothing and says so', async () => {
    const again = await tierline('sales');
    expect(again.stdout).toMatch(/^Nothing changed: every row already held these values/);
    expect(again.stdout).toContain('inserted 0   updated 0   unchanged 60,855');
    expect(again.stdout).toMatch(/was imported as batch \d+/);
  });

  it('keeps the rollups equal to a rebuild from the facts', async () => {
    const incremental = await rollupSnapshot();
    expect((await tierline('rebuild')).stdout).toMatch(/^Rebuilt the rollups of aw in/);
    const rebuilt = await rollupSnapshot();
    expect(rebuilt.months.split('\n')).toHaveLength(3779);
    expect(rebuilt).toEqual(incremental);
  });

  it('reports the counts of the doc with the check script', async () => {
    const started = performance.now();
    const check = await new Promise<RunResult>((resolve, reject) => {
      const child = spawn(process.execPath, [join(EX, 'check.mjs')], { env: cliEnv(env) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    timings.push(`check ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(check.code, check.stderr).toBe(0);
    const value = (key: string) => new RegExp(`^ {2}${key} +(.+)$`, 'm').exec(check.stdout)?.[1];
    expect(value('dealers')).toBe('701');
    expect(value('dealers_with_sales')).toBe('635');
    expect(value('products_sold')).toBe('334');
    expect(value('order_lines')).toBe('60855');
    expect(value('orders')).toBe('3796');
    expect(value('dates')).toBe('2010-12-29 .. 2013-11-29');
    expect(value('quantity')).toBe('214378');
    expect(value('sales')).toBe('80,450,596.11');
    expect(value('rollup_sales')).toBe('80,450,596.11');
    expect(check.stdout).toMatch(/T1 {3}Northwest +92 dealers +12,435,076\.03/);
  });

  it('serves the dealers to a channel manager of one territory', async () => {
    const manager = await tierline('manager');
    expect(manager.stdout).toContain('Created channel_manager "nw@aw.example" for Northwest');
    const password = /^Password \(shown once\): (\S+)$/m.exec(manager.stdout)![1]!;
    const { child, url } = await startServe(['--tenant', 'aw', '--no-demo', '--port', '0'], env);
    try {
      const signIn = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          tenant: 'aw',
          login: 'nw@aw.example',
          password,
        }),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const page = (await (
        await fetch(`${url}/api/v1/dealers?sort=name&limit=3`, { headers: { cookie } })
      ).json()) as {
        total: number;
        dataTo: string;
        items: { code: string; name: string; region: { path: string[] }; sales12m: number }[];
      };
      expect(page.total).toBe(92);
      expect(page.dataTo).toBe('2013-11');
      expect(page.items.map((d) => d.name)).toEqual([
        'A Bike Store',
        'A Cycle Shop',
        'All Cycle Shop',
      ]);
      expect(page.items[2]).toMatchObject({
        code: '325',
        region: { path: ['Northwest', 'Bothell'] },
        sales12m: 141_428,
      });
    } finally {
      await stop(child);
    }
  });

  it("does what the table of needs says today's mapping options do", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-mappings-'));
    try {
      const mapping = (file: string, change: (m: Record<string, any>) => void) => {
        const m = JSON.parse(readFileSync(join(EX, file), 'utf8')) as Record<string, any>;
        change(m);
        writeFileSync(join(dir, file), JSON.stringify(m));
        return join(dir, file);
      };
      // Territory codes from a template, and the placeholder "NA" filtered out.
      const territories = mapping('territories.json', (m) => {
        m['fields'].code = { template: 'T{1}' };
        m['where'] = [{ column: 4, notIn: ['NA'] }];
      });
      const t = await runCli(
        argv(
          `import regions $AW/DimSalesTerritory.csv --tenant aw --dry-run --mapping ${territories}`,
        ),
        env,
      );
      expect(t.stdout).toContain('  rows 11   valid 10   invalid 0   skipped 1\n');
      // YearOpened where FirstOrderYear is empty: no constant year needed.
      const dealers = mapping('dealers.json', (m) => {
        m['fields'].onboarded_on = { column: 10, fallback: 20, dateFormat: 'yyyy' };
      });
      const d = await runCli(
        argv(`import dealers $AW/DimReseller.csv --tenant aw --dry-run --mapping ${dealers}`),
        env,
      );
      expect(d.stdout).toContain('  rows 701   valid 701   invalid 0\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
