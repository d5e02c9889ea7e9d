import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

/** Global options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  config?: string;
  databaseUrl?: string;
}

/** The configuration a command runs with: root options + env + file. */
export function commandConfig(cmd: Command, extra: { host?: string; port?: string } = {}): Config {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  return loadConfig({ configFile: g.config, databaseUrl: g.databaseUrl, host: extra.host, port: extra.port });
}

/** Open and migrate the store, run `fn`, always close the store. */
export async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config.databaseUrl);
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A user-facing CLI failure: printed without a stack trace, exit code 1 (2 for usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
