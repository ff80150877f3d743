#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { serveCommand } from './commands/serve.js';
import { migrateCommand } from './commands/migrate.js';
import { demoCommand } from './commands/demo.js';
import { tenantCommand } from './commands/tenant.js';
import { userCommand } from './commands/user.js';
import { importCommand, rollupsCommand, templateCommand } from './commands/import.js';
import {
  assessCommand,
  exportCommand,
  policyCommand,
  simulateCommand,
} from './commands/tiering.js';
import { ledgerCommand } from './commands/ledger.js';
import { rebatesCommand } from './commands/rebates.js';
import { fundsCommand } from './commands/funds.js';
import {
  allocateCommand,
  allocationsCommand,
  benefitsCommand,
  roiCommand,
} from './commands/resources.js';
import { notificationsCommand } from './commands/notifications.js';
import { alertsCommand } from './commands/alerts.js';
import { EXIT, fail } from './errors.js';
import { VERSION } from './version.js';

/** Commander exits by itself unless told not to, for nested subcommands too. */
function withExitOverride(command: Command): Command {
  command.exitOverride();
  for (const sub of command.commands) withExitOverride(sub);
  return command;
}

const program = new Command('tierline')
  .description('Tierline: dealer tiering management (经销商分级管理)')
  .version(VERSION)
  .showHelpAfterError()
  // Options after a command name are that command's: `assess --version 2` and
  // `benefits set --version 2` name a policy version, not the program's own --version.
  .enablePositionalOptions()
  .exitOverride();

for (const command of [
  serveCommand(),
  demoCommand(),
  migrateCommand(),
  tenantCommand(),
  userCommand(),
  importCommand(),
  templateCommand(),
  rollupsCommand(),
  policyCommand(),
  assessCommand(),
  simulateCommand(),
  exportCommand(),
  ledgerCommand(),
  allocateCommand(),
  allocationsCommand(),
  benefitsCommand(),
  roiCommand(),
  rebatesCommand(),
  fundsCommand(),
  notificationsCommand(),
  alertsCommand(),
]) {
  program.addCommand(withExitOverride(command));
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; wrong usage with 2.
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  fail(error);
}
