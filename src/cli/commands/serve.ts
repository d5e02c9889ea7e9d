import type { Command } from 'commander';
import closeWithGrace from 'close-with-grace';
import { buildApp } from '../../api/app.js';
import { loadDemoData } from '../../ingest/demo.js';
import { openStore } from '../../store/open.js';
import { commandConfig } from '../context.js';

interface ServeOptions {
  port?: string;
  host?: string;
  demo?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start the HTTP server (REST API, TAXII, dashboard) on the configured database')
    .option('-p, --port <port>', 'TCP port (also PORT; default 8080; 0 picks a free one)')
    .option('-H, --host <host>', 'interface to listen on (also HOST; default 127.0.0.1)')
    .option('--demo', 'load the bundled demo data when the database holds no IOCs')
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
      closeWithGrace({ delay: 10_000 }, async ({ err }) => {
        if (err) app.log.error({ err }, 'shutting down after an error');
        await app.close();
        await store.close();
      });
      const address = await app.listen({ host: config.host, port: config.port });
      // One machine-readable line so scripts and tests can find a server started on port 0.
      process.stdout.write(`socd listening on ${address}\n`);
    });
}
