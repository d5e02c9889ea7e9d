import { AccountError, type AccountDeps } from '../../api/accounts.js';
import type { Config } from '../../config.js';
import { resolvePlans } from '../../domain/plans.js';
import { AccountsRepository } from '../../store/accounts-repository.js';
import { KeysRepository } from '../../store/keys-repository.js';
import type { Store } from '../../store/store.js';
import { CliError } from '../context.js';

/** What `socd users` and `socd keys` work with: the repositories over the store and the plans. */
export function accountDeps(store: Store, config: Config): AccountDeps {
  return { accounts: new AccountsRepository(store.db), keys: new KeysRepository(store.db), plans: resolvePlans(config.plans) };
}

/** Run an account operation; its user errors become CLI errors (printed without a stack trace). */
export async function accountAction<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AccountError) throw new CliError(err.message);
    throw err;
  }
}

/** Fixed-width table for terminal listings. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
