import type { Command } from 'commander';
import closeWithGrace from 'close-with-grace';
import { buildApp } from '../../api/app.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfiguredAllowlist } from '../../ingest/allowlist-sources.js';
import { loadDemoData } from '../../ingest/demo.js';
import { startScheduler, type Scheduler } from '../../ingest/scheduler.js';
import { startConfiguredPush } from '../../push/scheduler.js';
import { openStore } from '../../store/open.js';
import { commandConfig } from '../context.js';
import { readFeedsConfig } from './ingest.js';

interface ServeOptions {
  port?: string;
  host?: string;
  demo?: boolean;
  scheduler?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start the HTTP server (REST API, TAXII, dashboard) on the configured database')
    .option('-p, --port <port>', 'TCP port (also PORT; default 8080; 0 picks a free one)')
    .option('-H, --host <host>', 'interface to listen on (also HOST; default 127.0.0.1)')
    .option('--demo', 'load the bundled demo data when the database holds no IOCs')
    .option('--no-scheduler', 'do not run the feeds of the feed config on their schedules (also SOCD_SCHEDULER=false)')
    .action(async (opts: ServeOptions, cmd: Command) => {
      const config = commandConfig(cmd, { host: opts.host, port: opts.port });
      const store = await openStore(config.databaseUrl);
      await store.migrate();
      if (opts.demo) {
        const loaded = await loadDemoData(store);
        process.stdout.write(
          loaded === 0 ? 'demo: database already holds IOCs, nothing loaded\n' : `demo: loaded ${loaded} IOCs\n`,
        );
      }
      const app = await buildApp({ store, config });
      let scheduler: Scheduler | null = null;
      if (opts.scheduler !== false && config.scheduler && existsSync(config.feedsConfigPath)) {
        const feeds = readFeedsConfig(config, true);
        scheduler = startScheduler({
          store,
          feeds,
          loadAllowlist: async () => {
            const { allowlist, errors } = await loadConfiguredAllowlist(feeds.allowlists, join(config.dataDir, 'warninglists'));
            for (const e of errors) app.log.warn(`allowlist ${e}`);
            return allowlist.lists.length > 0 ? allowlist : null;
          },
          log: (msg) => app.log.info(msg),
        });
        // First round shortly after start, so the server answers at once.
        setTimeout(() => void scheduler?.tick().catch((err: unknown) => app.log.error({ err }, 'feed round failed')), 5_000).unref();
      }
      // Push destinations of the push config (SOCD_PUSH_CONFIG or config/push.yaml) on their schedules.
      const pusher = opts.scheduler !== false && config.scheduler ? startConfiguredPush(store, (line) => app.log.info(line)) : null;
      closeWithGrace({ delay: 10_000 }, async ({ err }) => {
        if (err) app.log.error({ err }, 'shutting down after an error');
        await pusher?.stop();
        await scheduler?.stop();
        await app.close();
        await store.close();
      });
      const address = await app.listen({ host: config.host, port: config.port });
      // One machine-readable line so scripts and tests can find a server started on port 0.
      process.stdout.write(`socd listening on ${address}\n`);
    });
}
