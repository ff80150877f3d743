import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { DomainError, validateDemoOptions } from '@tierline/core';
import { loadDemo, type DemoProgress } from '@tierline/server';
import {
  addStoreOptions,
  describeStore,
  openStoreFromOptions,
  type StoreOptions,
} from '../store-options.js';
import { fail, parseInteger, UsageError } from '../errors.js';
import { lastCompleteMonth } from '../last-month.js';

interface DemoOptions extends StoreOptions {
  dealers: number;
  months: number;
  seed: number;
  endMonth?: string;
  slug: string;
  name?: string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const number = new Intl.NumberFormat('en-US');

/**
 * `tierline demo`: load the deterministic demo channel into a new demo tenant. Arguments are
 * checked before the database is opened (exit 2); a failed load rolls back entirely (exit 1).
 */
export function demoCommand(): Command {
  return addStoreOptions(
    new Command('demo')
      .description(
        'Create a demo tenant with a generated dealer channel (deterministic for a seed)',
      )
      .option('--dealers <n>', 'number of dealers', parseInteger('--dealers', 1, 1_000_000), 1200)
      .option('--months <m>', 'months of facts', parseInteger('--months', 1, 120), 36)
      .option(
        '--seed <s>',
        'random seed; the same seed gives the same channel',
        parseInteger('--seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
        42,
      )
      .option('--end-month <YYYY-MM>', 'last month with facts (default: the last complete month)')
      .option('--slug <slug>', 'slug of the tenant to create', 'demo')
      .option('--name <name>', 'name of the tenant to create'),
  ).action(async (opts: DemoOptions) => {
    try {
      const endMonth = opts.endMonth ?? lastCompleteMonth(new Date());
      checkArguments({ ...opts, endMonth });
      const store = await openStoreFromOptions(opts);
      const bar = progressReporter();
      try {
        const result = await loadDemo(store, {
          slug: opts.slug,
          ...(opts.name ? { name: opts.name } : {}),
          dealers: opts.dealers,
          months: opts.months,
          seed: opts.seed,
          endMonth,
          onProgress: bar.update,
        });
        bar.stop();
        const total = Object.values(result.counts).reduce((s, n) => s + n, 0);
        const lines = [
          `Demo tenant "${opts.slug}" (id ${result.tenantId}) created in the ${describeStore(opts)}:`,
          `  ${number.format(opts.dealers)} dealers, ${opts.months} months to ${endMonth}, seed ${opts.seed}`,
          ...Object.entries(result.counts).map(
            ([table, n]) => `  ${table.padEnd(24)}${number.format(n).padStart(14)}`,
          ),
          `  ${'total rows'.padEnd(24)}${number.format(total).padStart(14)}`,
          `Loaded in ${result.seconds.toFixed(1)} s (${number.format(Math.round(total / result.seconds))} rows/s).`,
          `Sign in (tenant ${opts.slug}, password ${result.users[0]?.password ?? '-'}):`,
          ...result.users.map((u) => `  ${u.login.padEnd(10)}${u.role.padEnd(17)}${u.scope}`),
        ];
        process.stdout.write(lines.join('\n') + '\n');
      } finally {
        bar.stop();
        await store.close();
      }
    } catch (error) {
      if (error instanceof DomainError && error.code === 'conflict') {
        fail(new DomainError('conflict', `${error.message} Pick another --slug.`, error.details));
      }
      fail(error);
    }
  });
}

/** Validate what commander cannot: the end month, the window, the slug. */
function checkArguments(opts: DemoOptions & { endMonth: string }): void {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.endMonth)) {
    throw new UsageError(`--end-month must be a month as YYYY-MM, got "${opts.endMonth}".`);
  }
  if (!SLUG.test(opts.slug)) {
    throw new UsageError(
      `--slug must be 1-63 lowercase letters, digits and dashes, starting with a letter or digit, got "${opts.slug}".`,
    );
  }
  try {
    validateDemoOptions({ ...opts, endMonth: opts.endMonth });
  } catch (error) {
    if (error instanceof DomainError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Progress on stderr: a bar per phase on a terminal, otherwise plain lines (for logs and CI)
 * when a phase starts, every 10 seconds of a fact table, and when a phase ends.
 */
export function progressReporter(): { update: (p: DemoProgress) => void; stop: () => void } {
  const unit = (phase: string) =>
    ['regions', 'products', 'dealers', 'outlets', 'campaigns', 'rollups'].includes(phase)
      ? 'rows'
      : 'dealers';
  if (process.stderr.isTTY) {
    let bar: cliProgress.SingleBar | undefined;
    let phase = '';
    return {
      update: (p) => {
        if (p.phase !== phase) {
          bar?.stop();
          phase = p.phase;
          bar = new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: `{phase} |{bar}| {percentage}% {value}/{total} ${unit(p.phase)} | {rows} rows | {duration_formatted}`,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, p.done, {
            phase: p.phase.padEnd(18),
            rows: number.format(p.rows ?? 0),
          });
        }
        bar?.setTotal(p.total);
        bar?.update(p.done, { rows: number.format(p.rows ?? 0) });
      },
      stop: () => {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  let phase = '';
  let last = 0;
  return {
    update: (p) => {
      const now = performance.now();
      const rows = number.format(p.rows ?? 0);
      if (p.phase !== phase) {
        phase = p.phase;
        last = now;
        process.stderr.write(`demo: ${p.phase}...\n`);
      }
      if (p.done >= p.total) {
        process.stderr.write(`demo: ${p.phase} done (${rows} rows)\n`);
      } else if (now - last >= 10_000 && unit(p.phase) === 'dealers') {
        last = now;
        const percent = Math.floor((100 * p.done) / p.total);
        process.stderr.write(
          `demo: ${p.phase} ${percent}% (${number.format(p.done)}/${number.format(p.total)} dealers, ${rows} rows)\n`,
        );
      }
    },
    stop: () => undefined,
  };
}
