#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { serveCommand } from './commands/serve.js';
import { migrateCommand } from './commands/migrate.js';
import { demoCommand } from './commands/demo.js';
import { EXIT, fail } from './errors.js';
import { VERSION } from './version.js';

const program = new Command('tierline')
  .description('Tierline: dealer tiering management (经销商分级管理)')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

for (const command of [serveCommand(), demoCommand(), migrateCommand()]) {
  program.addCommand(command.exitOverride());
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
