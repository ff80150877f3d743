import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
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
    expect(first.stdout).toMatch(/Applied 1 migration/);
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
      expect(tenant.status).toBe(404);
    } finally {
      await stop(child);
    }
    expect(child.exitCode).toBe(0);
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
      expect(migrated.stdout).toMatch(/Applied 1 migration/);
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
