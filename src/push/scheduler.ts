/**
 * Pushes inside `socd serve`: every enabled destination of the push config runs on its own
 * schedule, each independently (a Splunk outage never delays a webhook). Due-ness comes from the
 * stored last run, and each run holds the destination's lease, so with several `socd serve`
 * processes on one PostgreSQL a destination is pushed by one process at a time.
 */
import type { Store } from '../store/store.js';
import { loadPushConfig, pushConfigPath, type PushDestination } from './config.js';
import { DestinationsRepository } from './destinations-repository.js';
import { runPush, type PushRunResult } from './run.js';

export interface PushSchedulerOptions {
  store: Store;
  destinations: readonly PushDestination[];
  log?: (line: string) => void;
  /** How often due destinations are looked for (default 5 s). */
  tickMs?: number;
}

export interface PushScheduler {
  /** Starts every due destination that is not running here; resolves when they finish. */
  tick(): Promise<PushRunResult[]>;
  /** Stops the schedule and interrupts running pushes (their checkpoints stay where they were). */
  stop(): Promise<void>;
}

export function startPushScheduler(opts: PushSchedulerOptions): PushScheduler {
  const repo = new DestinationsRepository(opts.store);
  const log = opts.log ?? (() => undefined);
  const stopping = new AbortController();
  const running = new Map<string, Promise<PushRunResult>>();

  const isDue = async (dest: PushDestination, now: number): Promise<boolean> => {
    const state = await repo.get(dest.name);
    if (!state?.last_run_at) return true;
    return Date.parse(state.last_run_at) + dest.scheduleMs <= now;
  };

  const tick = async (): Promise<PushRunResult[]> => {
    const started: Array<Promise<PushRunResult>> = [];
    for (const dest of opts.destinations) {
      if (!dest.enabled || running.has(dest.name) || stopping.signal.aborted) continue;
      if (!(await isDue(dest, Date.now()))) continue;
      const run = runPush(opts.store, dest, { signal: stopping.signal, log: (line) => log(`push ${dest.name}: ${line}`) })
        .then((r) => {
          if (r.status === 'ok') {
            if (r.delivered + r.skipped > 0) log(`push ${dest.name}: delivered ${r.delivered}, skipped ${r.skipped}, checkpoint ${r.checkpoint}`);
          } else if (r.status !== 'busy') log(`push ${dest.name}: ${r.status}: ${r.error?.message ?? ''}`);
          return r;
        })
        .finally(() => running.delete(dest.name));
      running.set(dest.name, run);
      started.push(run);
    }
    return Promise.all(started);
  };

  const timer = setInterval(() => {
    tick().catch((err: unknown) => log(`push round failed: ${err instanceof Error ? err.message : String(err)}`));
  }, opts.tickMs ?? 5_000);
  timer.unref();

  return {
    tick,
    stop: async () => {
      clearInterval(timer);
      stopping.abort();
      await Promise.allSettled([...running.values()]);
    },
  };
}

/**
 * The hook `socd serve` calls: the push config (SOCD_PUSH_CONFIG or config/push.yaml) on a
 * schedule, or null when it names no enabled destination. A broken push config is logged, not
 * fatal: the API keeps serving.
 */
export function startConfiguredPush(store: Store, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): PushScheduler | null {
  let destinations: PushDestination[];
  try {
    destinations = loadPushConfig(pushConfigPath(undefined, env), env).destinations;
  } catch (err) {
    log(`push config not loaded, nothing will be pushed: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
  const enabled = destinations.filter((d) => d.enabled);
  if (enabled.length === 0) return null;
  for (const d of enabled) if (d.unavailable) log(`push ${d.name}: ${d.unavailable}`);
  log(`push: ${enabled.map((d) => `${d.name} every ${d.schedule}`).join(', ')}`);
  const scheduler = startPushScheduler({ store, destinations: enabled, log });
  // First round shortly after start, so the server answers at once.
  setTimeout(() => void scheduler.tick().catch(() => undefined), 2_000).unref();
  return scheduler;
}
