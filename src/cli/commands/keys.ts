import type { Command } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey } from '../../api/accounts.js';
import { CliError, commandConfig, withStore } from '../context.js';
import { accountAction, accountDeps, table } from './account-deps.js';

function parseDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliError(`--expires-in-days must be a whole number, got "${value}"`, 2);
  return Number(value);
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Manage API keys (sk_live_...)');

  keys
    .command('create')
    .description('Create an API key for a user; the key is printed once, on stdout')
    .requiredOption('--user <email>', 'e-mail address of the owner')
    .requiredOption('--name <name>', 'what the key is for (e.g. "splunk input")')
    .option('--expires-in-days <days>', 'expire after this many days (1-365; default: never)')
    .action(async (opts: { user: string; name: string; expiresInDays?: string }, cmd: Command) => {
      const expiresInDays = parseDays(opts.expiresInDays);
      const config = commandConfig(cmd);
      await withStore(config, async (store) => {
        const created = await accountAction(() =>
          createApiKey(accountDeps(store, config), { email: opts.user, name: opts.name, expiresInDays }),
        );
        const r = created.record;
        // Only the key on stdout, so `KEY=$(socd keys create ...)` works; the rest on stderr.
        process.stdout.write(`${created.key}\n`);
        process.stderr.write(
          `created key ${r.key_prefix} (id ${r.id}, plan ${r.plan}${r.expires_at ? `, expires ${r.expires_at}` : ''})\n` +
            'warning: store this API key securely now: it is shown only once and cannot be recovered\n',
        );
      });
    });

  keys
    .command('list')
    .description('List API keys (prefixes only; secrets are never stored)')
    .option('--user <email>', 'only the keys of this user')
    .option('--json', 'print JSON')
    .action(async (opts: { user?: string; json?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      await withStore(config, async (store) => {
        const all = await accountAction(() => listApiKeys(accountDeps(store, config), opts.user));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
          return;
        }
        const rows = all.map((k) => [
          k.id,
          k.key_prefix,
          k.name,
          k.plan,
          k.created_at,
          k.last_used_at ?? '-',
          k.expires_at ?? 'never',
          k.revoked_at ? `revoked ${k.revoked_at}: ${k.revoked_reason ?? ''}` : 'active',
        ]);
        process.stdout.write(
          `${table(['ID', 'PREFIX', 'NAME', 'PLAN', 'CREATED', 'LAST USED', 'EXPIRES', 'STATE'], rows)}\n`,
        );
      });
    });

  keys
    .command('revoke')
    .description('Revoke an API key by id or display prefix; it fails with 401 from its next request')
    .argument('<id-or-prefix>', 'key id (UUID) or display prefix (sk_live_XXXX)')
    .requiredOption('--reason <reason>', 'why (kept with the key)')
    .action(async (idOrPrefix: string, opts: { reason: string }, cmd: Command) => {
      const config = commandConfig(cmd);
      await withStore(config, async (store) => {
        const k = await accountAction(() => revokeApiKey(accountDeps(store, config), idOrPrefix, opts.reason));
        process.stdout.write(`revoked key ${k.key_prefix} (${k.id}): ${k.revoked_reason ?? ''}\n`);
      });
    });
}
