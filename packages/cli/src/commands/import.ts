import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { ImportKind, ImportMapping, type ImportResult } from '@tierline/contract';
import {
  exportTable,
  getTenantBySlug,
  importTemplate,
  refreshRollups,
  runImport,
  type Cell,
} from '@tierline/server';
import { addStoreOptions, openStoreFromOptions, type StoreOptions } from '../store-options.js';
import { EXIT, fail, UsageError } from '../errors.js';
import { cliOrigin } from '../cli-origin.js';

const number = new Intl.NumberFormat('en');

interface ImportOptions extends StoreOptions {
  tenant: string;
  mapping?: string;
  encoding?: string;
  sheet?: string;
  delimiter?: string;
  header: boolean;
  dryRun: boolean;
  acceptValid: boolean;
  report?: string;
}

async function readMapping(kind: ImportKind, opts: ImportOptions): Promise<ImportMapping> {
  let raw: Record<string, unknown> = { kind };
  if (opts.mapping) {
    let text: string;
    try {
      text = await readFile(opts.mapping, 'utf8');
    } catch {
      throw new UsageError(`Cannot read the mapping file ${opts.mapping}.`);
    }
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${opts.mapping} is not valid JSON: ${(error as Error).message}`);
    }
    if (raw['kind'] !== undefined && raw['kind'] !== kind) {
      throw new UsageError(
        `${opts.mapping} is a mapping for ${JSON.stringify(raw['kind'])}, not ${kind}.`,
      );
    }
    raw = { ...raw, kind };
  }
  if (opts.encoding) raw['encoding'] = opts.encoding;
  if (opts.sheet) raw['sheet'] = opts.sheet;
  if (opts.delimiter) raw['delimiter'] = opts.delimiter === 'tab' ? '\t' : opts.delimiter;
  if (!opts.header) raw['header'] = false;
  const parsed = ImportMapping.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `${opts.mapping ?? 'the options'}: ${issue?.path.join('.') || 'mapping'}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  return parsed.data;
}

function summary(result: ImportResult, dryRun: boolean): string {
  const verdict: Record<ImportResult['outcome'], string> = {
    applied: 'Imported',
    partially_applied: 'Imported the valid rows',
    rejected: dryRun ? 'Dry run: the file would be rejected' : 'Rejected: nothing was written',
    validated: 'Dry run: the file is valid; nothing was written',
    unchanged: 'Nothing changed: every row already held these values',
  };
  const lines = [
    `${verdict[result.outcome]} (${result.kind}, ${result.fileName}${result.batchId === null ? '' : `, batch ${result.batchId}`}).`,
    `  rows ${number.format(result.rows)}   valid ${number.format(result.valid)}   invalid ${number.format(result.invalid)}${result.skipped > 0 ? `   skipped ${number.format(result.skipped)}` : ''}`,
  ];
  if (!dryRun && result.outcome !== 'rejected') {
    lines.push(
      `  inserted ${number.format(result.inserted)}   updated ${number.format(result.updated)}   unchanged ${number.format(result.unchanged)}`,
    );
  }
  if (result.sameAsBatch !== null && result.batchId !== result.sameAsBatch) {
    lines.push(
      `  the same file (SHA-256 ${result.sha256.slice(0, 12)}…) was imported as batch ${result.sameAsBatch}`,
    );
  }
  lines.push(
    `  ${result.seconds.toFixed(1)} s, ${number.format(Math.round(result.rows / Math.max(result.seconds, 0.001)))} rows/s`,
  );
  return lines.join('\n') + '\n';
}

function issueLines(result: ImportResult, limit: number): string {
  const lines = result.issues.slice(0, limit).map((i) => {
    const where = [
      i.row === null ? null : `row ${i.row}`,
      i.column === null ? null : i.column.startsWith('column ') ? i.column : `column ${i.column}`,
      i.field === null || i.field === i.column ? null : `(${i.field})`,
    ]
      .filter((x) => x !== null)
      .join(' ');
    const value = i.value === null ? '' : ` "${i.value}"`;
    return `  ${result.fileName}: ${where}${value}: ${i.reason}`;
  });
  if (result.issueCount > limit) {
    lines.push(
      `  … and ${number.format(result.issueCount - limit)} more (see them with --report issues.csv; a report lists the first 1,000)`,
    );
  }
  return lines.join('\n') + '\n';
}

async function writeReport(path: string, result: ImportResult): Promise<void> {
  const format = extname(path).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv';
  async function* rows(): AsyncGenerator<Cell[]> {
    for (const i of result.issues)
      yield [result.fileName, i.row, i.column, i.field, i.value, i.reason];
  }
  await pipeline(
    exportTable(format, 'issues', ['file', 'row', 'column', 'field', 'value', 'reason'], rows()),
    createWriteStream(path),
  );
}

export function importCommand(): Command {
  return addStoreOptions(
    new Command('import')
      .description(
        'Import a CSV or XLSX file of one kind: validate every row, then write all or nothing',
      )
      .argument('<kind>', `what the file holds: ${ImportKind.options.join(', ')}`)
      .argument('<file>', 'a CSV (UTF-8, UTF-16 or GBK/GB18030; , tab | or ;) or XLSX file')
      .option(
        '--tenant <slug>',
        'tenant to import into (env TIERLINE_TENANT)',
        process.env['TIERLINE_TENANT'] ?? 'demo',
      )
      .option('--mapping <file.json>', 'a saved column mapping (see docs/imports.md)')
      .option(
        '--encoding <name>',
        'utf-8, utf-16le, utf-16be, gbk or gb18030 (detected when absent)',
      )
      .addOption(
        new Option('--delimiter <char>', 'CSV delimiter (detected when absent)').choices([
          ',',
          'tab',
          '|',
          ';',
        ]),
      )
      .option('--sheet <name>', 'XLSX sheet (the first when absent)')
      .option('--no-header', 'the file has no header row (the mapping gives column positions)')
      .option('--dry-run', 'validate and report; write nothing', false)
      .option(
        '--accept-valid',
        'write the valid rows and report the others (default: all or nothing)',
        false,
      )
      .option('--report <file>', 'write the issues (the first 1,000) to this CSV or XLSX file'),
  ).action(async (kindArg: string, file: string, opts: ImportOptions) => {
    try {
      const kind = ImportKind.safeParse(kindArg);
      if (!kind.success) {
        throw new UsageError(
          `Unknown kind "${kindArg}"; use one of ${ImportKind.options.join(', ')}.`,
        );
      }
      const mapping = await readMapping(kind.data, opts);
      let size: number;
      try {
        size = (await stat(file)).size;
      } catch {
        throw new UsageError(`Cannot read ${file}: no such file.`);
      }
      const store = await openStoreFromOptions(opts);
      let result: ImportResult;
      const tty = process.stderr.isTTY;
      try {
        const tenant = await getTenantBySlug(store.db, opts.tenant);
        let last = 0;
        result = await runImport(store, {
          tenantId: tenant.id,
          mapping,
          fileName: basename(file),
          input: createReadStream(file),
          dryRun: opts.dryRun,
          acceptValid: opts.acceptValid,
          origin: cliOrigin(),
          source: 'file',
          onProgress: (rows) => {
            const now = Date.now();
            if (now - last < 500) return;
            last = now;
            const line = `import: ${number.format(rows)} rows read (${(size / 1048576).toFixed(1)} MiB file)`;
            process.stderr.write(tty ? `\r${line}` : `${line}\n`);
          },
        });
        if (tty) process.stderr.write('\r\x1b[K');
      } finally {
        await store.close();
      }
      process.stdout.write(summary(result, opts.dryRun));
      if (result.issueCount > 0) process.stdout.write(issueLines(result, 20));
      if (opts.report) {
        await writeReport(opts.report, result);
        process.stdout.write(`Issues written to ${opts.report}.\n`);
      }
      process.exitCode = result.outcome === 'rejected' ? EXIT.failed : EXIT.ok;
    } catch (error) {
      fail(error);
    }
  });
}

export function templateCommand(): Command {
  return new Command('template')
    .description('Write the XLSX import template of a kind: header row, example row, notes sheet')
    .argument('<kind>', `one of ${ImportKind.options.join(', ')}`)
    .option('-o, --out <file>', 'where to write it (default: <kind>-template.xlsx)')
    .action(async (kindArg: string, opts: { out?: string }) => {
      try {
        const kind = ImportKind.safeParse(kindArg);
        if (!kind.success) {
          throw new UsageError(
            `Unknown kind "${kindArg}"; use one of ${ImportKind.options.join(', ')}.`,
          );
        }
        const out = opts.out ?? `${kind.data}-template.xlsx`;
        await writeFile(out, await importTemplate(kind.data));
        process.stdout.write(`Wrote ${out}.\n`);
      } catch (error) {
        fail(error);
      }
    });
}

export function rollupsCommand(): Command {
  return new Command('rollups').description('Monthly rollups').addCommand(
    addStoreOptions(
      new Command('rebuild')
        .description(
          "Recompute a tenant's monthly rollups from its facts (imports keep them current)",
        )
        .option(
          '--tenant <slug>',
          'tenant (env TIERLINE_TENANT)',
          process.env['TIERLINE_TENANT'] ?? 'demo',
        ),
    ).action(async (opts: StoreOptions & { tenant: string }) => {
      try {
        const store = await openStoreFromOptions(opts);
        try {
          const started = performance.now();
          const tenant = await getTenantBySlug(store.db, opts.tenant);
          await store.db.transaction().execute((trx) => refreshRollups(trx, tenant.id));
          process.stdout.write(
            `Rebuilt the rollups of ${opts.tenant} in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
          );
        } finally {
          await store.close();
        }
      } catch (error) {
        fail(error);
      }
    }),
  );
}
