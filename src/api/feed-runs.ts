/**
 * "Run now" for the dashboard's feeds page: starts a configured feed in the background (the same
 * runFeed the scheduler and `socd ingest --feed` use) and keeps its live progress in memory for
 * polling. The feeds table still records every run, so other processes see it as `running` and
 * then its counts; the live line counts are visible in the process that runs it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { IocType } from '../domain/vocabulary.js';
import { loadConfiguredAllowlist } from '../ingest/allowlist-sources.js';
import { runFeed, type FeedRunResult } from '../ingest/feed-run.js';
import { loadFeedsConfig, type FeedConfig, type FeedsConfig } from '../ingest/feeds-config.js';
import { feedsRepository, type FeedState } from '../store/feeds-repository.js';
import type { Store } from '../store/store.js';
import { ApiError } from './errors.js';

export interface FeedProgress {
  started_at: string;
  lines: number;
  accepted: number;
  rejected: number;
  bytes: number;
}

export interface FinishedRun {
  finished_at: string;
  status: FeedRunResult['status'];
  error: string | null;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** A running state older than this is a crashed run (as the scheduler presumes too). */
const STALE_RUNNING_MS = 3_600_000;

export class FeedRuns {
  private readonly running = new Map<string, { progress: FeedProgress; done: Promise<void> }>();
  private readonly finished = new Map<string, FinishedRun>();

  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly log: (msg: string) => void = () => undefined,
  ) {}

  /** The feed config (read on every call: an edited file shows without a restart). */
  feedsConfig(): FeedsConfig {
    if (!existsSync(this.config.feedsConfigPath)) return { source: null, ttlDays: {}, allowlists: [], feeds: [] };
    return loadFeedsConfig(this.config.feedsConfigPath);
  }

  progressOf(name: string): FeedProgress | null {
    return this.running.get(name)?.progress ?? null;
  }

  lastRunOf(name: string): FinishedRun | null {
    return this.finished.get(name) ?? null;
  }

  /**
   * Start `name` now (ignoring its ETag / Last-Modified: the operator asked for a fresh read).
   * 404 for a feed not in the config, 409 when it is already running here or, by the feeds
   * table, in another process.
   */
  async start(name: string): Promise<FeedConfig> {
    const config = this.feedsConfig();
    const feed = config.feeds.find((f) => f.name === name);
    if (!feed) throw new ApiError(404, 'not_found', `no feed named "${name}" in the feed config`);
    if (this.running.has(name)) throw new ApiError(409, 'conflict', `feed ${name} is already running`);
    const state: FeedState | null = await feedsRepository(this.store.db).getFeedState(name);
    if (state?.last_status === 'running' && state.last_run_at !== null && Date.now() - Date.parse(state.last_run_at) < STALE_RUNNING_MS) {
      throw new ApiError(409, 'conflict', `feed ${name} is already running (since ${state.last_run_at})`);
    }
    const progress: FeedProgress = { started_at: new Date().toISOString(), lines: 0, accepted: 0, rejected: 0, bytes: 0 };
    const done = this.run(feed, config, progress).finally(() => this.running.delete(name));
    this.running.set(name, { progress, done });
    return feed;
  }

  private async run(feed: FeedConfig, config: FeedsConfig, progress: FeedProgress): Promise<void> {
    try {
      const { allowlist, errors } = await loadConfiguredAllowlist(config.allowlists, join(this.config.dataDir, 'warninglists'));
      for (const e of errors) this.log(`allowlist ${e}`);
      const result = await runFeed({
        store: this.store,
        feed,
        ttlDays: config.ttlDays as Partial<Record<IocType, number>>,
        ...(allowlist.lists.length > 0 ? { allowlist: allowlist.check } : {}),
        force: true,
        onProgress: (p) => {
          progress.lines = p.lines;
          progress.accepted = p.accepted;
          progress.rejected = p.rejected;
          progress.bytes = p.bytes;
        },
      });
      this.finished.set(feed.name, {
        finished_at: new Date().toISOString(),
        status: result.status,
        error: result.error,
        added: result.summary?.added ?? 0,
        updated: result.summary?.updated ?? 0,
        unchanged: result.summary?.unchanged ?? 0,
        rejected: result.summary?.rejected ?? 0,
      });
      this.log(`feed ${feed.name} (run now): ${result.status}${result.error ? ` (${result.error})` : ''}`);
    } catch (err) {
      this.log(`feed ${feed.name} (run now) failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Wait for every run started here (the server waits on close, before the store closes). */
  async settle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
