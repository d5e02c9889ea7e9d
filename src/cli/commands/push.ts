import type { Command } from 'commander';
import { loadPushConfig, pushConfigPath, PushConfigError, type DestinationType, type PushConfig } from '../../push/config.js';
import { DestinationsRepository, leaseOwnerId } from '../../push/destinations-repository.js';
import { runPush, type PushRunResult } from '../../push/run.js';
import { headVersion } from '../../push/source.js';
import { formatPushStatus, pushStatus } from '../../push/status.js';
import { CliError, commandConfig, withStore } from '../context.js';

interface PushGroupOptions {
  pushConfig?: string;
}

function readPushConfig(cmd: Command, required: boolean): PushConfig {
  const opts = cmd.optsWithGlobals<PushGroupOptions>();
  const path = pushConfigPath(opts.pushConfig);
  try {
    return loadPushConfig(path, process.env, required);
  } catch (err) {
    if (err instanceof PushConfigError) throw new CliError(`push config ${err.message}`, 2);
    throw err;
  }
}

function summary(r: PushRunResult): string {
  const rate = r.seconds > 0 ? Math.round(r.delivered / r.seconds) : 0;
  const counts = `delivered ${r.delivered}, skipped ${r.skipped}, resent ${r.resent}, retries ${r.retries}, ${r.requests} request(s) in ${r.seconds.toFixed(1)} s (${rate} IOCs/s)`;
  const where = `checkpoint ${r.checkpoint} of ${r.head}`;
  if (r.status === 'ok') return `${r.destination}: ok: ${counts}; ${where}\n`;
  return `${r.destination}: ${r.status}${r.error ? ` (${r.error.code}): ${r.error.message}` : ''}\n  ${counts}; ${where}\n`;
}

/** `socd push splunk|webhook|syslog [names...]`: one run of each selected destination, in order. */
function registerRun(push: Command, name: string, type: DestinationType, description: string): void {
  push
    .command(name)
    .description(description)
    .argument('[names...]', 'destination names (default: every enabled destination of this type)')
    .option('--json', 'print the results as JSON')
    .action(async (names: string[], opts: { json?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      const pushConfig = readPushConfig(cmd, true);
      const ofType = pushConfig.destinations.filter((d) => d.type === type);
      const unknown = names.filter((n) => !ofType.some((d) => d.name === n));
      if (unknown.length > 0) throw new CliError(`no ${type} destination named ${unknown.join(', ')} in ${pushConfig.source ?? 'the push config'}`, 2);
      const selected = names.length > 0 ? ofType.filter((d) => names.includes(d.name)) : ofType.filter((d) => d.enabled);
      if (selected.length === 0) throw new CliError(`no enabled ${type} destination in ${pushConfig.source ?? 'the push config'}`, 2);

      // Ctrl-C or a service stop: finish cleanly, the checkpoint stays on what was delivered.
      const interrupt = new AbortController();
      const onSignal = (): void => interrupt.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await withStore(config, async (store) => {
          const results: PushRunResult[] = [];
          for (const dest of selected) {
            if (interrupt.signal.aborted) break;
            let last = 0;
            const r = await runPush(store, dest, {
              signal: interrupt.signal,
              log: (line) => process.stderr.write(`${dest.name}: ${line}\n`),
              onProgress: (p) => {
                const now = Date.now();
                if (now - last < 2000) return;
                last = now;
                process.stderr.write(`${dest.name}: ${p.delivered} delivered, checkpoint ${p.checkpoint} of ${p.head}\n`);
              },
            });
            results.push(r);
            if (!opts.json) process.stdout.write(summary(r));
          }
          if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
          if (results.some((r) => r.status === 'interrupted')) process.exitCode = 130;
          else if (results.some((r) => r.status !== 'ok')) process.exitCode = 1;
        });
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    });
}

export function registerPush(program: Command): void {
  const push = program
    .command('push')
    .description('Deliver IOCs to the destinations of the push config (Splunk HEC, webhooks, syslog); see README.md, section "Splunk and SIEM delivery"')
    .option('--push-config <file>', 'push config file (also SOCD_PUSH_CONFIG; default config/push.yaml)');

  registerRun(push, 'splunk', 'splunk-hec', 'Send new and changed IOCs to the Splunk HEC destinations now');
  registerRun(push, 'webhook', 'webhook', 'Send new and changed IOCs to the webhook destinations now');
  registerRun(push, 'syslog', 'syslog', 'Send new and changed IOCs to the syslog destinations now (UDP, TCP or TLS; RFC 5424 or CEF)');

  push
    .command('status')
    .description('Each destination: checkpoint, pending IOCs and lag, last success, last error, totals')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      const pushConfig = readPushConfig(cmd, false);
      await withStore(config, async (store) => {
        const statuses = await pushStatus(store, pushConfig);
        process.stdout.write(opts.json ? `${JSON.stringify(statuses, null, 2)}\n` : formatPushStatus(statuses));
      });
    });

  push
    .command('reset')
    .description('Move a destination\'s checkpoint: the next push sends every IOC version after it')
    .argument('<name>', 'destination name')
    .option('--to <version>', 'checkpoint version (default 0: send everything again)')
    .option('--to-head', 'skip everything stored now: only later changes are sent')
    .action(async (name: string, opts: { to?: string; toHead?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      const pushConfig = readPushConfig(cmd, false);
      const dest = pushConfig.destinations.find((d) => d.name === name);
      if (opts.to !== undefined && !/^\d+$/.test(opts.to)) throw new CliError('--to takes a version number', 2);
      await withStore(config, async (store) => {
        const repo = new DestinationsRepository(store);
        const existing = await repo.get(name);
        if (!existing && !dest) throw new CliError(`no destination named ${name}`, 2);
        const version = opts.toHead ? await headVersion(store) : Number(opts.to ?? 0);
        await repo.ensure(name, dest?.type ?? existing?.type ?? 'unknown', version);
        // Holding the lease keeps a running push from writing its checkpoint over this one.
        const owner = leaseOwnerId();
        if (!(await repo.acquireLease(name, owner, new Date(), 10_000))) throw new CliError(`${name} is being pushed right now; try again when it finishes`);
        try {
          await repo.resetCheckpoint(name, version);
        } finally {
          await repo.releaseLease(name, owner);
        }
        process.stdout.write(`${name}: checkpoint set to version ${version}\n`);
      });
    });
}
