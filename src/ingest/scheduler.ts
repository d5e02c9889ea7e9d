import { sql } from 'kysely';
import type { IocType } from '../domain/vocabulary.js';
import { feedsRepository } from '../store/feeds-repository.js';
import type { Store } from '../store/store.js';
import type { FeedsConfig } from './feeds-config.js';
import { feedIsDue, runFeed, type FeedRunResult } from './feed-run.js';
import type { Allowlist } from './allowlist.js';

/** Advisory-lock key of the feed scheduler: one process of a PostgreSQL deployment runs feeds. */
const SCHEDULER_LOCK_KEY = 0x50c0_fee0;

export interface SchedulerOptions {
  store: Store;
  feeds: FeedsConfig;
  /** Rebuilt before each round, so a refreshed warninglist takes effect without a restart. */
  loadAllowlist: () => Promise<Allowlist | null>;
  tickMs?: number;
  log?: (msg: string, result?: FeedRunResult) => void;
}

export interface Scheduler {
  /** Runs one round now: every enabled feed that is due. Returns the results. */
  tick(): Promise<FeedRunResult[]>;
  stop(): Promise<void>;
}

/**
 * Runs due feeds on their schedules inside `socd serve`. With several processes on one
 * PostgreSQL (DESIGN.md §9) a round runs only in the process that wins a PostgreSQL advisory
 * lock, so each feed runs once; on SQLite there is one process and no election.
 */
export function startScheduler(opts: SchedulerOptions): Scheduler {
  const { store } = opts;
  const repo = feedsRepository(store.db);
  let running: Promise<FeedRunResult[]> | null = null;
  let stopped = false;

  const round = async (): Promise<FeedRunResult[]> => {
    const now = new Date();
    const states = new Map((await repo.listFeedStates()).map((s) => [s.name, s]));
    const due = opts.feeds.feeds.filter((f) => f.enabled && feedIsDue(states.get(f.name), now));
    if (due.length === 0) return [];
    const allowlist = await opts.loadAllowlist();
    const results: FeedRunResult[] = [];
    for (const feed of due) {
      if (stopped) break;
      const result = await runFeed({
        store,
        feed,
        ttlDays: opts.feeds.ttlDays as Partial<Record<IocType, number>>,
        ...(allowlist ? { allowlist: allowlist.check } : {}),
      });
      opts.log?.(`feed ${feed.name}: ${result.status}${result.error ? ` (${result.error})` : ''}`, result);
      results.push(result);
    }
    return results;
  };

  const elected = async (): Promise<FeedRunResult[]> => {
    if (store.dialect !== 'postgres') return round();
    // Hold one pooled connection for the round: the session lock lives on it.
    return store.db.connection().execute(async (conn) => {
      const got = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${SCHEDULER_LOCK_KEY}) AS locked`.execute(conn);
      if (!got.rows[0]?.locked) return [];
      try {
        return await round();
      } finally {
        await sql`SELECT pg_advisory_unlock(${SCHEDULER_LOCK_KEY})`.execute(conn);
      }
    });
  };

  const tick = (): Promise<FeedRunResult[]> => {
    running ??= elected().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => {
    tick().catch((err: unknown) => opts.log?.(`scheduler round failed: ${err instanceof Error ? err.message : String(err)}`));
  }, opts.tickMs ?? 30_000);
  timer.unref();

  return {
    tick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
