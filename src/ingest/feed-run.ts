import { stat } from 'node:fs/promises';
import type { IocType } from '../domain/vocabulary.js';
import { feedsRepository, type FeedState } from '../store/feeds-repository.js';
import type { AllowlistCheck, Store } from '../store/store.js';
import type { FeedConfig } from './feeds-config.js';
import { fetchFeed, openFeedFile, type FeedValidators, type FetchOutcome } from './fetch.js';
import { parseMispFeedDirectory } from './parsers/index.js';
import { IngestInterruptedError, runIngest, type IngestProgress, type IngestSummary } from './runner.js';

/**
 * Feed runs happen inside `socd serve` (the scheduler, the dashboard's run now), where API reads
 * on SQLite wait behind an open ingest transaction: commit at least every 200 ms there, not every
 * second as a standalone `socd ingest` does (fewer commits buy that one speed, see ioc-writer.ts).
 */
const FEED_RUN_TRANSACTION_MS = 200;

export type FeedRunStatus = 'ok' | 'not_modified' | 'error';

export interface FeedRunResult {
  feed: string;
  status: FeedRunStatus;
  summary: IngestSummary | null;
  error: string | null;
}

export interface RunFeedOptions {
  store: Store;
  feed: FeedConfig;
  ttlDays: Partial<Record<IocType, number>>;
  allowlist?: AllowlistCheck;
  now?: Date;
  /** Ignore the stored ETag / Last-Modified and read the feed again. */
  force?: boolean;
  onProgress?: (p: IngestProgress & { bytes: number }) => void;
}

/**
 * Runs one configured feed: conditional fetch (or the file on disk), ingest, and the feed's
 * state in the `feeds` table (status, counts, validators, next run). A fetch failure is only a
 * status on the feed; it never throws. Validators are stored only after a complete ingest, so
 * an interrupted run is fetched and completed in full by the next one.
 */
export async function runFeed(opts: RunFeedOptions): Promise<FeedRunResult> {
  const { store, feed } = opts;
  const now = opts.now ?? new Date();
  const feeds = feedsRepository(store.db);
  const state = await feeds.getFeedState(feed.name);
  const nextRunAt = new Date(now.getTime() + feed.scheduleMs).toISOString();
  await feeds.recordFeedRun(feed.name, { last_run_at: now.toISOString(), last_status: 'running', next_run_at: nextRunAt });

  const validators: FeedValidators | undefined = opts.force || !state ? undefined : { etag: state.etag, last_modified: state.last_modified };
  const fail = async (message: string, summary: IngestSummary | null = null): Promise<FeedRunResult> => {
    await feeds.recordFeedRun(feed.name, { last_status: 'error', last_error: message });
    return { feed: feed.name, status: 'error', summary, error: message };
  };

  let bytes = 0;
  const counted = async function* (body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of body) {
      bytes += chunk.length;
      yield chunk;
    }
  };
  const common = {
    store,
    transactionMs: FEED_RUN_TRANSACTION_MS,
    defaults: feed.defaults,
    ttlDays: opts.ttlDays,
    now,
    ...(opts.allowlist ? { allowlist: opts.allowlist } : {}),
    onProgress: (p: IngestProgress) => opts.onProgress?.({ ...p, bytes }),
  };

  let outcome: FetchOutcome;
  let summary: IngestSummary;
  try {
    if (feed.format === 'misp' && feed.path && (await isDirectory(feed.path))) {
      outcome = { status: 'ok', body: emptyBody(), validators: {}, contentLength: null };
      summary = await runIngest({ ...common, items: parseMispFeedDirectory(feed.path) });
    } else {
      outcome = feed.url
        ? await fetchFeed({ url: feed.url, validators, headers: feed.headers, timeoutMs: feed.timeoutSeconds * 1000, maxBytes: feed.maxBytes })
        : await openFeedFile(feed.path ?? '', validators);
      if (outcome.status === 'error') return await fail(`${outcome.error.code}: ${outcome.error.message}`);
      if (outcome.status === 'not_modified') {
        await feeds.recordFeedRun(feed.name, { last_status: 'not_modified', last_error: null, last_success_at: now.toISOString() });
        return { feed: feed.name, status: 'not_modified', summary: null, error: null };
      }
      summary = await runIngest({ ...common, input: counted(outcome.body), format: feed.format, ...(feed.csv ? { csv: feed.csv } : {}) });
    }
  } catch (err) {
    if (err instanceof IngestInterruptedError) return await fail(err.message, err.summary);
    return await fail(err instanceof Error ? err.message : String(err));
  }
  await feeds.recordFeedRun(feed.name, {
    last_status: 'ok',
    last_error: null,
    last_success_at: now.toISOString(),
    added: summary.added,
    updated: summary.updated,
    unchanged: summary.unchanged,
    rejected: summary.rejected,
    etag: outcome.validators.etag ?? null,
    last_modified: outcome.validators.last_modified ?? null,
  });
  return { feed: feed.name, status: 'ok', summary, error: null };
}

/** Whether a feed is due: never run, or its next run time has passed. */
export function feedIsDue(state: FeedState | undefined, now: Date): boolean {
  if (!state?.next_run_at) return true;
  if (state.last_status === 'running' && state.last_run_at && now.getTime() - Date.parse(state.last_run_at) < 3_600_000) {
    return false; // another process (or an earlier tick) is on it; a run older than 1 h is presumed dead
  }
  return Date.parse(state.next_run_at) <= now.getTime();
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function* emptyBody(): AsyncGenerator<Buffer> {}
