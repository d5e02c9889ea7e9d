import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfiguredAllowlist } from '../../ingest/allowlist-sources.js';
import { runFeed } from '../../ingest/feed-run.js';
import { feedsRepository } from '../../store/feeds-repository.js';
import { CliError, commandConfig, withStore } from '../context.js';
import { createProgress } from '../progress.js';
import { printFeedResult, readFeedsConfig } from './ingest.js';

export function registerFeeds(program: Command): void {
  const feeds = program.command('feeds').description('List and run the feeds of the feed config');

  feeds
    .command('list')
    .description('Each configured feed with its schedule and last run (status, counts, next run)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      const feedsConfig = readFeedsConfig(config, true);
      await withStore(config, async (store) => {
        const states = new Map((await feedsRepository(store.db).listFeedStates()).map((s) => [s.name, s]));
        const rows = feedsConfig.feeds.map((f) => ({
          name: f.name,
          format: f.format,
          source: f.url ?? f.path ?? null,
          schedule: f.schedule,
          enabled: f.enabled,
          ...(states.get(f.name) ?? {}),
        }));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        for (const r of rows) {
          const s = states.get(r.name);
          process.stdout.write(
            `${r.name} [${r.format}, every ${r.schedule}${r.enabled ? '' : ', disabled'}]\n  ${r.source}\n` +
              (s
                ? `  last run ${s.last_run_at}: ${s.last_status}${s.last_error ? ` (${s.last_error})` : ''}; added ${s.added}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}; next run ${s.next_run_at}\n`
                : '  never run\n'),
          );
        }
      });
    });

  feeds
    .command('run')
    .description('Run the named feeds now (all enabled feeds when none is named)')
    .argument('[names...]', 'feed names')
    .option('--force', 'ignore ETag/Last-Modified and read each feed again')
    .action(async (names: string[], opts: { force?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      const feedsConfig = readFeedsConfig(config, true);
      const wanted = names.length > 0 ? names.map((n) => n.toLowerCase()) : null;
      const selected = feedsConfig.feeds.filter((f) => (wanted ? wanted.includes(f.name.toLowerCase()) : f.enabled));
      const unknown = (wanted ?? []).filter((n) => !feedsConfig.feeds.some((f) => f.name.toLowerCase() === n));
      if (unknown.length > 0) throw new CliError(`unknown feed(s): ${unknown.join(', ')}; see socd feeds list`, 2);
      await withStore(config, async (store) => {
        const allow = await loadConfiguredAllowlist(feedsConfig.allowlists, join(config.dataDir, 'warninglists'));
        for (const e of allow.errors) process.stderr.write(`allowlist: ${e}\n`);
        let failed = 0;
        for (const feed of selected) {
          const progress = createProgress(feed.name, null);
          const result = await runFeed({
            store,
            feed,
            ttlDays: feedsConfig.ttlDays,
            ...(allow.allowlist.lists.length > 0 ? { allowlist: allow.allowlist.check } : {}),
            force: Boolean(opts.force),
            onProgress: (p) => progress.update(p),
          });
          progress.stop();
          printFeedResult(result);
          if (result.status === 'error') failed++;
        }
        // A feed that could not be fetched is a status on that feed, not a failure of the command
        // unless every feed failed.
        if (selected.length > 0 && failed === selected.length) process.exitCode = 1;
      });
    });
}
