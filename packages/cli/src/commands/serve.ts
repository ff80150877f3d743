import { Command } from 'commander';
import {
  DEMO_PASSWORD,
  checkpointAll,
  deliverDueNotifications,
  evaluateAllTenants,
  signInHint,
  listTenants,
  loadDemo,
  startServer,
} from '@tierline/server';
import {
  addStoreOptions,
  describeStore,
  openStoreFromOptions,
  type StoreOptions,
} from '../store-options.js';
import { fail, parseInteger } from '../errors.js';
import { lastCompleteMonth } from '../last-month.js';
import { VERSION } from '../version.js';
import { progressReporter } from './demo.js';

interface ServeOptions extends StoreOptions {
  port?: number;
  host: string;
  tenant: string;
  demo: boolean;
  log: boolean;
  trustProxy: boolean;
}

export function serveCommand(): Command {
  return addStoreOptions(
    new Command('serve')
      .description('Serve the API and the web console')
      .option(
        '-p, --port <port>',
        'port to listen on (env PORT; default 3000; 0 = any free port)',
        parseInteger('--port', 0, 65535),
      )
      .option(
        '--host <host>',
        'address to listen on (env HOST)',
        process.env['HOST'] ?? '127.0.0.1',
      )
      .option(
        '--tenant <slug>',
        'tenant that sign-ins go to when they name none',
        process.env['TIERLINE_TENANT'] ?? 'demo',
      )
      .option('--no-demo', 'do not create the demo tenant when the database has no tenant')
      .option('--log', 'log every request (credentials are redacted)', false)
      .option(
        '--trust-proxy',
        'behind a reverse proxy: take the client address and https from X-Forwarded-* headers',
        process.env['TIERLINE_TRUST_PROXY'] === '1',
      ),
  ).action(async (opts: ServeOptions) => {
    try {
      const port = opts.port ?? parseInteger('PORT', 0, 65535)(process.env['PORT'] ?? '3000');
      const store = await openStoreFromOptions(opts);
      if (opts.demo && (await listTenants(store.db)).length === 0) {
        process.stderr.write(
          `No tenant in the ${describeStore(opts)} yet: creating the demo channel (1,200 dealers, 36 months)...\n`,
        );
        const progress = progressReporter();
        const result = await loadDemo(store, {
          dealers: 1200,
          months: 36,
          seed: 42,
          endMonth: lastCompleteMonth(new Date()),
          onProgress: progress.update,
        });
        progress.stop();
        process.stderr.write(`Demo tenant "demo" created in ${result.seconds.toFixed(1)} s.\n`);
      }
      // Sign a checkpoint for every log that grew while no server ran, then keep doing so.
      await checkpointAll(store.db);
      const everySeconds = parseInteger(
        'TIERLINE_CHECKPOINT_SECONDS',
        1,
        86_400,
      )(process.env['TIERLINE_CHECKPOINT_SECONDS'] ?? '60');
      const checkpoints = setInterval(() => {
        checkpointAll(store.db).catch((error: unknown) => {
          process.stderr.write(`Ledger checkpoint failed: ${(error as Error).message}\n`);
        });
      }, everySeconds * 1000);
      checkpoints.unref();
      // Send the due alert notifications (docs/notifications.md), one run at a time.
      const notifySeconds = parseInteger(
        'TIERLINE_NOTIFY_SECONDS',
        1,
        86_400,
      )(process.env['TIERLINE_NOTIFY_SECONDS'] ?? '15');
      let notifying = false;
      const notifier = setInterval(() => {
        if (notifying) return;
        notifying = true;
        deliverDueNotifications(store.db)
          .then((run) => {
            if (run.failed + run.dead > 0) {
              process.stderr.write(
                `Notifications: ${run.delivered} delivered, ${run.failed} failed (retried later), ${run.dead} dead; see \`tierline notifications log\`.\n`,
              );
            }
          })
          .catch((error: unknown) => {
            process.stderr.write(`Notification delivery failed: ${(error as Error).message}\n`);
          })
          .finally(() => {
            notifying = false;
          });
      }, notifySeconds * 1000);
      notifier.unref();
      // Evaluate the alert rules of every tenant for the time rules (docs/alerts.md).
      const alertSeconds = parseInteger(
        'TIERLINE_ALERT_SECONDS',
        1,
        604_800,
      )(process.env['TIERLINE_ALERT_SECONDS'] ?? '3600');
      let evaluating = false;
      const alerter = setInterval(() => {
        if (evaluating) return;
        evaluating = true;
        evaluateAllTenants(store.db)
          .then((runs) => {
            for (const r of runs.filter((x) => x.error)) {
              process.stderr.write(`Alert evaluation of ${r.slug} failed: ${r.error}\n`);
            }
          })
          .catch((error: unknown) => {
            process.stderr.write(`Alert evaluation failed: ${(error as Error).message}\n`);
          })
          .finally(() => {
            evaluating = false;
          });
      }, alertSeconds * 1000);
      alerter.unref();
      const { app, url } = await startServer({
        store,
        port,
        host: opts.host,
        defaultTenant: opts.tenant,
        version: VERSION,
        log: opts.log,
        trustProxy: opts.trustProxy,
      });
      process.stdout.write(`Tierline is serving on ${url}\n`);
      process.stdout.write(
        `  console: ${url}/   API docs: ${url}/api/docs   data: ${describeStore(opts)}\n`,
      );
      const signIn = await signInHint(store.db, opts.tenant);
      if (signIn.kind === 'demo' && signIn.users.length > 0) {
        process.stdout.write(
          `  demo sign-in (tenant ${opts.tenant}, password ${DEMO_PASSWORD}): ` +
            signIn.users.map((u) => `${u.login} (${u.role})`).join(', ') +
            '\n',
        );
      } else if (signIn.kind === 'tenant' && signIn.userCount === 0) {
        process.stdout.write(
          `  tenant ${opts.tenant} has no user yet: tierline user create --tenant ${opts.tenant} --role admin --login <login>\n`,
        );
      }
      let closing = false;
      const shutdown = async () => {
        if (closing) return;
        closing = true;
        clearInterval(checkpoints);
        clearInterval(notifier);
        clearInterval(alerter);
        await app.close();
        await store.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void shutdown());
      process.on('SIGTERM', () => void shutdown());
    } catch (error) {
      fail(error);
    }
  });
}
