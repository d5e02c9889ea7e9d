#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { CliError } from './context.js';
import { registerFeeds } from './commands/feeds.js';
import { registerIngest } from './commands/ingest.js';
import { registerServe } from './commands/serve.js';
import { registerStats } from './commands/stats.js';
import { registerUsers } from './commands/users.js';
import { registerKeys } from './commands/keys.js';
import { registerPush } from './commands/push.js';

/** Each command group lives in its own module under cli/commands and registers itself here. */
const registrations: Array<(program: Command) => void> = [registerServe, registerIngest, registerFeeds, registerStats, registerUsers, registerKeys, registerPush];

export function buildProgram(): Command {
  const program = new Command('socd')
    .description('SOC Defenders: self-hosted threat intelligence (IOC collection, API, TAXII, exports)')
    .option('-c, --config <file>', 'YAML config file (also SOCD_CONFIG)')
    .option('--database-url <url>', 'postgres:// URL or SQLite file path (also DATABASE_URL; default ./data/socd.db)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of registrations) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof CliError || err instanceof ConfigError) {
      process.stderr.write(`socd: ${err.message}\n`);
      process.exitCode = err instanceof CliError ? err.exitCode : 2;
      return;
    }
    throw err;
  }
}

// `socd feeds list | head` closes our stdout early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

await main(process.argv);
