/**
 * The overview's IOC counts, cached per server process. They come from one pass over the IOC
 * table (store/dashboard-queries.ts overviewCells), which on a large store takes seconds, so:
 * - counts are recomputed only when the store's version has moved (any IOC change moves it), and
 *   at least every MAX_AGE_MS (the chart's days move on); when a count took longer than WAIT_MS,
 *   at most every MIN_REFRESH_MS;
 * - while a recount runs, requests wait for it at most WAIT_MS and otherwise get the previous
 *   counts (stale-while-revalidate), so the overview answers fast whatever the table size;
 * - concurrent requests share one recount.
 * Only the very first request after start waits for a full count.
 */
import { CompiledQuery } from 'kysely';
import { overviewCells, type OverviewCell } from '../store/dashboard-queries.js';
import type { Store } from '../store/store.js';
import { chartStart } from './overview-view.js';

export const MIN_REFRESH_MS = 15_000;
/** Recount even without changes after this long (the chart's days move on). */
export const MAX_AGE_MS = 10 * 60_000;
export const WAIT_MS = 100;

export interface CachedCells {
  version: number;
  /** When the count was taken. */
  at: Date;
  /** How long it took. */
  tookMs: number;
  cells: OverviewCell[];
}

export class OverviewCache {
  private readonly versionSql: string;
  private cached: CachedCells | null = null;
  private refreshing: Promise<CachedCells> | null = null;

  constructor(
    private readonly store: Store,
    private readonly days: number,
  ) {
    this.versionSql = store.db.selectFrom('counters').select('value').where('name', '=', 'ioc_version').compile().sql;
  }

  private async version(): Promise<number> {
    const r = await this.store.db.executeQuery<{ value: number | string }>(CompiledQuery.raw(this.versionSql, ['ioc_version']));
    return Number(r.rows[0]?.value ?? 0);
  }

  private refresh(version: number): Promise<CachedCells> {
    this.refreshing ??= (async () => {
      const at = new Date();
      const cells = await overviewCells(this.store.db, chartStart(at, this.days));
      this.cached = { version, at, tookMs: Date.now() - at.getTime(), cells };
      return this.cached;
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  async cells(): Promise<CachedCells> {
    const version = await this.version();
    const cached = this.cached;
    const age = cached ? Date.now() - cached.at.getTime() : 0;
    // Only a slow count is rationed; a quick one reruns on every change.
    const minAge = cached && cached.tookMs > WAIT_MS ? MIN_REFRESH_MS : 0;
    if (cached && ((cached.version === version && age < MAX_AGE_MS) || age < minAge)) return cached;
    const fresh = this.refresh(version);
    if (!cached) return fresh;
    fresh.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<CachedCells>((resolve) => {
      timer = setTimeout(() => resolve(cached), WAIT_MS);
    });
    try {
      return await Promise.race([fresh, waited]);
    } finally {
      clearTimeout(timer);
    }
  }
}
