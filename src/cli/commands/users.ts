import type { Command } from 'commander';
import { createUser, listUsers, setUserPlan } from '../../api/accounts.js';
import { CliError, commandConfig, withStore } from '../context.js';
import { accountAction, accountDeps, table } from './account-deps.js';

/** The first line of stdin (a password piped in, never a command-line argument). */
async function readStdinLine(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin reads the password from stdin: pipe it in', 2);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString('utf8');
  return (text.split(/\r?\n/)[0] ?? '').trimEnd();
}

interface CreateOptions {
  email: string;
  passwordStdin?: boolean;
  admin?: boolean;
  plan: string;
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description('Manage user accounts (e-mail, password, role, plan)');

  users
    .command('create')
    .description('Create a user; the password is read from stdin')
    .requiredOption('--email <email>', 'e-mail address (the login)')
    .option('--password-stdin', 'read the password from stdin (required)')
    .option('--admin', 'make the user an administrator')
    .option('--plan <plan>', 'plan: free or pro (or a configured plan)', 'free')
    .action(async (opts: CreateOptions, cmd: Command) => {
      if (!opts.passwordStdin) throw new CliError('pass --password-stdin and pipe the password in', 2);
      const password = await readStdinLine();
      const config = commandConfig(cmd);
      await withStore(config, async (store) => {
        const user = await accountAction(() =>
          createUser(accountDeps(store, config), {
            email: opts.email,
            password,
            role: opts.admin ? 'admin' : 'member',
            plan: opts.plan,
          }),
        );
        process.stdout.write(`created user ${user.email} (${user.role}, plan ${user.plan}) id ${user.id}\n`);
      });
    });

  users
    .command('set-plan')
    .description("Change a user's plan (their API keys follow on their next request)")
    .requiredOption('--email <email>', 'e-mail address of the user')
    .requiredOption('--plan <plan>', 'new plan')
    .action(async (opts: { email: string; plan: string }, cmd: Command) => {
      const config = commandConfig(cmd);
      await withStore(config, async (store) => {
        const user = await accountAction(() => setUserPlan(accountDeps(store, config), opts.email, opts.plan));
        process.stdout.write(`user ${user.email} is now on plan ${user.plan}\n`);
      });
    });

  users
    .command('list')
    .description('List users')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      await withStore(config, async (store) => {
        const all = await listUsers(accountDeps(store, config));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
          return;
        }
        const rows = all.map((u) => [u.email, u.role, u.plan, u.disabled ? 'disabled' : 'active', u.created_at, u.id]);
        process.stdout.write(`${table(['EMAIL', 'ROLE', 'PLAN', 'STATE', 'CREATED', 'ID'], rows)}\n`);
      });
    });
}
