import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli, startServe, stop } from './test-cli.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tierline-cli-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const pgUrl = process.env['TEST_DATABASE_URL'];

describe('tierline', () => {
  it('prints help for every command and exits 0', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['serve', 'demo', 'migrate']) {
      expect(top.stdout).toContain(command);
      const help = await runCli([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain('--data-dir');
    }
  });

  it('exits 2 with a clear message on wrong usage', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
    const port = await runCli(['serve', '--port', 'abc']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port must be a whole number from 0 to 65535, got "abc"');
  });

  it('migrates an empty data directory, then finds it up to date', async () => {
    const dir = tempDir();
    const first = await runCli(['migrate', '--data-dir', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Applied 11 migration/);
    const second = await runCli(['migrate'], { TIERLINE_DATA_DIR: dir });
    expect(second.stdout).toMatch(/up to date/);
  });

  it('refuses an unwritable data directory with one clear line', async () => {
    const parent = tempDir();
    const file = join(parent, 'not-a-dir');
    writeFileSync(file, 'x');
    chmodSync(file, 0o444);
    const result = await runCli(['migrate', '--data-dir', join(file, 'data')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tierline: The data directory .* cannot be created or written/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a bad DATABASE_URL with one clear line and no password', async () => {
    const result = await runCli(['migrate'], {
      DATABASE_URL: 'postgres://tierline:s3cret@127.0.0.1:1/nowhere',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^tierline: Cannot connect to PostgreSQL at .*Check DATABASE_URL/,
    );
    expect(result.stderr).not.toContain('s3cret');
  });

  it('refuses a port in use with one clear line', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const result = await runCli([
        'serve',
        '--no-demo',
        '--port',
        String(port),
        '--data-dir',
        tempDir(),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('serves the API on a free port and stops on SIGTERM', async () => {
    const { child, url } = await startServe(['--no-demo', '--port', '0', '--data-dir', tempDir()]);
    try {
      const health = (await (await fetch(`${url}/api/health`)).json()) as { engine: string };
      expect(health.engine).toBe('pglite');
      const tenant = await fetch(`${url}/api/v1/tenant`);
      expect(tenant.status).toBe(401);
    } finally {
      await stop(child);
    }
    expect(child.exitCode).toBe(0);
  });

  it('creates a tenant and its users; they sign in', async () => {
    const dir = tempDir();
    const created = await runCli([
      'tenant',
      'create',
      'acme',
      '--name',
      'Acme 食品',
      '--data-dir',
      dir,
    ]);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/Created tenant acme \(Acme 食品, CNY, \d{4} regions\)/);
    const admin = await runCli([
      'user',
      'create',
      '--tenant',
      'acme',
      '--login',
      'Alice@Acme.cn',
      '--role',
      'admin',
      '--data-dir',
      dir,
    ]);
    expect(admin.code).toBe(0);
    const password = /Password \(shown once\): (\S+)/.exec(admin.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const manager = await runCli(
      [
        'user',
        'create',
        '--tenant',
        'acme',
        '--login',
        'wang',
        '--role',
        'channel_manager',
        '--region',
        '440000',
        '--region',
        '330000',
        '--password-stdin',
        '--data-dir',
        dir,
      ],
      {},
      'a long enough password\n',
    );
    expect(manager.stdout).toBe(
      'Created channel_manager "wang" for 浙江省, 广东省 in tenant acme.\n',
    );
    const noDealer = await runCli([
      'user',
      'create',
      '--tenant',
      'acme',
      '--login',
      'shop',
      '--role',
      'dealer',
      '--data-dir',
      dir,
    ]);
    expect(noDealer.code).toBe(1);
    expect(noDealer.stderr).toBe('tierline: A dealer user needs its dealer (dealerCode).\n');
    const short = await runCli(
      [
        'user',
        'create',
        '--tenant',
        'acme',
        '--login',
        'li',
        '--role',
        'analyst',
        '--password-stdin',
        '--data-dir',
        dir,
      ],
      {},
      'short\n',
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 10 characters/);
    const list = await runCli(['user', 'list', '--tenant', 'acme', '--data-dir', dir]);
    expect(
      list.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t').slice(0, 4)),
    ).toEqual([
      ['alice@acme.cn', 'admin', 'active', '-'],
      ['wang', 'channel_manager', 'active', '浙江省,广东省'],
    ]);

    const { child, url } = await startServe(['--port', '0', '--tenant', 'acme', '--data-dir', dir]);
    try {
      const signIn = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'alice@acme.cn', password }),
      });
      expect(signIn.status).toBe(200);
      expect(signIn.headers.get('set-cookie')).toMatch(/tierline_session=.*HttpOnly/);
    } finally {
      await stop(child);
    }
    const reset = await runCli([
      'user',
      'set-password',
      'wang',
      '--tenant',
      'acme',
      '--data-dir',
      dir,
    ]);
    expect(reset.stdout).toMatch(
      /^Password of "wang" set; its sessions ended.\nPassword \(shown once\): \S{16}\n$/,
    );
  });

  it('prints the demo sign-ins, which work', async () => {
    const dir = tempDir();
    const demo = await runCli(['demo', '--dealers', '20', '--months', '3', '--data-dir', dir]);
    expect(demo.stdout).toMatch(/Sign in \(tenant demo, password tierline-demo\):\n {2}admin /);
    const { child, url, output } = await startServe(['--port', '0', '--data-dir', dir]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(output()).toContain(
        'demo sign-in (tenant demo, password tierline-demo): admin (admin), manager (channel_manager), analyst (analyst), dealer (dealer)',
      );
      const signIn = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'dealer', password: 'tierline-demo' }),
      });
      expect(signIn.status).toBe(200);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const portal = await fetch(`${url}/api/v1/portal`, { headers: { cookie } });
      expect(((await portal.json()) as { code: string }).code).toBe('DL000001');
      expect((await fetch(`${url}/api/v1/dealers`, { headers: { cookie } })).status).toBe(403);
    } finally {
      await stop(child);
    }
  });

  it('imports a CSV: dry run, a rejected file with its report, then applied, then unchanged', async () => {
    const dir = tempDir();
    await runCli(['demo', '--dealers', '20', '--months', '1', '--data-dir', dir]);
    const file = join(dir, '回款.csv');
    const report = join(dir, 'issues.csv');
    writeFileSync(
      file,
      '回款单号,经销商编码,回款日期,回款金额\nP1,DL000001,2026-10-05,"1,200.50"\nP2,DL999999,2026-10-06,5\n',
    );
    const dry = await runCli(['import', 'payments', file, '--dry-run', '--data-dir', dir]);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('Dry run: the file would be rejected (payments, 回款.csv).');
    expect(dry.stdout).toContain(
      '回款.csv: row 3 column 经销商编码 (dealer_code) "DL999999": unknown dealer code "DL999999"',
    );
    const rejected = await runCli([
      'import',
      'payments',
      file,
      '--report',
      report,
      '--data-dir',
      dir,
    ]);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(
      /^Rejected: nothing was written \(payments, 回款.csv, batch \d+\)/,
    );
    expect(readFileSync(report, 'utf8')).toContain(
      '回款.csv,3,经销商编码,dealer_code,DL999999,"unknown dealer code ""DL999999"""',
    );

    writeFileSync(
      file,
      '回款单号,经销商编码,回款日期,回款金额\nP1,DL000001,2026-10-05,"1,200.50"\n',
    );
    const applied = await runCli(['import', 'payments', file, '--data-dir', dir]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('inserted 1   updated 0   unchanged 0');
    const again = await runCli(['import', 'payments', file, '--data-dir', dir]);
    expect(again.stdout).toMatch(/Nothing changed: every row already held these values/);
    expect(again.stdout).toMatch(
      /the same file \(SHA-256 [0-9a-f]{12}…\) was imported as batch \d+/,
    );

    const template = join(dir, 'dealers.xlsx');
    expect((await runCli(['template', 'dealers', '-o', template])).stdout).toBe(
      `Wrote ${template}.\n`,
    );
    const fromTemplate = await runCli([
      'import',
      'dealers',
      template,
      '--dry-run',
      '--data-dir',
      dir,
    ]);
    expect(fromTemplate.stdout).toContain('Dry run: the file is valid; nothing was written');
    const rebuilt = await runCli(['rollups', 'rebuild', '--data-dir', dir]);
    expect(rebuilt.stdout).toMatch(/^Rebuilt the rollups of demo in [\d.]+ s\.\n$/);
    const unknownKind = await runCli(['import', 'stuff', file, '--data-dir', dir]);
    expect(unknownKind.code).toBe(2);
    expect(unknownKind.stderr).toMatch(/Unknown kind "stuff"; use one of regions, dealers/);
  });

  it.runIf(pgUrl)('migrates and serves on PostgreSQL', async () => {
    const schema = `cli_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    try {
      const url = new URL(pgUrl!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const migrated = await runCli(['migrate', '--database-url', url.toString()]);
      expect(migrated.stdout).toMatch(/Applied 11 migration/);
      const { child, url: base } = await startServe(['--no-demo', '--port', '0'], {
        DATABASE_URL: url.toString(),
      });
      try {
        const health = (await (await fetch(`${base}/api/health`)).json()) as { engine: string };
        expect(health.engine).toBe('postgres');
      } finally {
        await stop(child);
      }
    } finally {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  });
});
