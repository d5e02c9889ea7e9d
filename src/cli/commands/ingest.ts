import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { CATEGORIES, CONFIDENCES, type Category, type Confidence } from '../../domain/vocabulary.js';
import { loadConfiguredAllowlist } from '../../ingest/allowlist-sources.js';
import { detectFormat } from '../../ingest/detect-format.js';
import { runFeed, type FeedRunResult } from '../../ingest/feed-run.js';
import { loadFeedsConfig, type FeedsConfig } from '../../ingest/feeds-config.js';
import { parseMispFeedDirectory } from '../../ingest/parsers/index.js';
import { peekHead } from '../../ingest/peek.js';
import { IngestInterruptedError, runIngest, type IngestSummary } from '../../ingest/runner.js';
import { FEED_FORMATS, type FeedFormat } from '../../ingest/types.js';
import type { Config } from '../../config.js';
import { CliError, commandConfig, withStore } from '../context.js';
import { createProgress } from '../progress.js';

interface IngestOptions {
  file?: string;
  feed?: string;
  format?: string;
  name?: string;
  category?: string;
  confidence?: string;
  internal?: boolean;
  force?: boolean;
  allowlists?: boolean;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('Ingest a feed file (format detected from its content when omitted) or a configured feed')
    .option('-f, --file <path>', 'a feed file, or a MISP feed directory (manifest.json + events)')
    .option('--feed <name>', 'run the configured feed of this name (see `socd feeds list`)')
    .option('--format <format>', `feed format: ${FEED_FORMATS.join(', ')}`)
    .option('--name <feed-name>', 'source name recorded on the IOCs of --file (default: the file name)')
    .option('--category <category>', `source category for --file: ${CATEGORIES.join(', ')}`)
    .option('--confidence <level>', `default confidence for --file: ${CONFIDENCES.join(', ')}`)
    .option('--internal', 'accept private and reserved addresses (an internal feed)')
    .option('--force', 'with --feed: ignore ETag/Last-Modified and read the feed again')
    .option('--no-allowlists', 'do not apply the allowlists of the feed config')
    .addHelpText('after', '\nExamples:\n  socd ingest --file urlhaus.csv\n  socd ingest --file drop.txt --format spamhaus-drop\n  socd ingest --feed "Feodo Tracker"')
    .action(async (opts: IngestOptions, cmd: Command) => {
      if (Boolean(opts.file) === Boolean(opts.feed)) throw new CliError('give exactly one of --file PATH or --feed NAME', 2);
      const config = commandConfig(cmd);
      const feedsConfig = readFeedsConfig(config, Boolean(opts.feed));
      await withStore(config, async (store) => {
        const allow = opts.allowlists === false ? null : await loadConfiguredAllowlist(feedsConfig.allowlists, join(config.dataDir, 'warninglists'));
        for (const e of allow?.errors ?? []) process.stderr.write(`allowlist: ${e}\n`);
        const allowlist = allow && allow.allowlist.lists.length > 0 ? { allowlist: allow.allowlist.check } : {};
        if (opts.feed) {
          const feed = feedsConfig.feeds.find((f) => f.name.toLowerCase() === opts.feed?.toLowerCase());
          if (!feed) throw new CliError(`no feed named "${opts.feed}" in ${feedsConfig.source ?? 'the feed config'}; see socd feeds list`);
          const progress = createProgress(feed.name, null);
          const result = await runFeed({ store, feed, ttlDays: feedsConfig.ttlDays, ...allowlist, force: Boolean(opts.force), onProgress: (p) => progress.update(p) });
          progress.stop();
          printFeedResult(result);
          if (result.status === 'error') process.exitCode = 1;
          return;
        }
        const file = opts.file as string;
        if (!existsSync(file)) throw new CliError(`${file}: no such file or directory`);
        const defaults = {
          feed_name: opts.name ?? basename(file),
          category: parseChoice<Category>('--category', opts.category ?? 'community', CATEGORIES),
          confidence: parseChoice<Confidence>('--confidence', opts.confidence ?? 'medium', CONFIDENCES),
          ...(opts.internal ? { internal: true } : {}),
        };
        const common = { store, defaults, ttlDays: feedsConfig.ttlDays, ...allowlist };
        const stats = statSync(file);
        const progress = createProgress(basename(file), stats.isFile() ? stats.size : null);
        let bytes = 0;
        const onProgress = (p: { lines: number; accepted: number; rejected: number }): void => progress.update({ ...p, bytes });
        let summary: IngestSummary;
        try {
          if (stats.isDirectory()) {
            if (opts.format && opts.format !== 'misp') throw new CliError(`${file} is a directory: only --format misp reads a directory`, 2);
            summary = await runIngest({ ...common, items: parseMispFeedDirectory(file), onProgress });
          } else {
            const counted = async function* (): AsyncGenerator<Buffer> {
              for await (const chunk of createReadStream(file)) {
                bytes += (chunk as Buffer).length;
                yield chunk as Buffer;
              }
            };
            const { head, input } = await peekHead(counted());
            const format = opts.format ? parseChoice<FeedFormat>('--format', opts.format, FEED_FORMATS) : detectFormat(head, file);
            if (!format) throw new CliError(`cannot tell the format of ${file}; give --format (${FEED_FORMATS.join(', ')})`, 2);
            summary = await runIngest({ ...common, input, format, onProgress });
          }
        } catch (err) {
          if (err instanceof IngestInterruptedError) {
            progress.stop();
            printSummary(err.summary);
            throw new CliError(err.message);
          }
          throw err;
        }
        progress.stop();
        printSummary(summary);
      });
    });
}

export function readFeedsConfig(config: Config, required: boolean): FeedsConfig {
  if (!required && !existsSync(config.feedsConfigPath)) return { source: null, ttlDays: {}, allowlists: [], feeds: [] };
  try {
    return loadFeedsConfig(config.feedsConfigPath);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err), 2);
  }
}

function parseChoice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(`${flag}: "${value}" is not one of ${allowed.join(', ')}`, 2);
}

/** The end-of-run summary: counts, then the first rejected lines with their line numbers. */
export function printSummary(s: IngestSummary, out: NodeJS.WritableStream = process.stdout): void {
  out.write(
    `added ${s.added}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}` +
      ` (lines ${s.lines}, indicators ${s.parsed}, skipped ${s.skipped}, allowlisted ${s.allowlisted}, expired ${s.expired})\n`,
  );
  const shown = s.problems.slice(0, 20);
  for (const p of shown) out.write(`  line ${p.line}: ${p.code ? `${p.code}: ` : ''}${p.message}\n`);
  if (s.rejected > shown.length) out.write(`  ... and ${s.rejected - shown.length} more rejected\n`);
}

export function printFeedResult(r: FeedRunResult, out: NodeJS.WritableStream = process.stdout): void {
  out.write(`${r.feed}: ${r.status}${r.error ? `: ${r.error}` : ''}\n`);
  if (r.summary) printSummary(r.summary, out);
}
