/**
 * The dashboard overview, folded from the one-pass count cube of store/dashboard-queries.ts and
 * the feeds' last runs. Pure. Type, confidence and category counts are of ACTIVE IOCs (what the
 * API serves by default); by_status and the new-per-day chart count every stored IOC.
 */
import { CATEGORIES, CONFIDENCES, IOC_TYPES, STATUSES } from '../domain/vocabulary.js';
import type { OverviewCell } from '../store/dashboard-queries.js';
import type { FeedHealthRow } from '../store/search-queries.js';
import type { Overview } from './schemas/dashboard.js';
import { feedHealth } from './stats-view.js';

const DAY_MS = 86_400_000;

function zeroed(keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.map((k) => [k, 0]));
}

/** ISO start of the first UTC day of a `days`-day chart ending today. */
export function chartStart(now: Date, days: number): string {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - (days - 1) * DAY_MS).toISOString();
}

export function buildOverview(
  cells: readonly OverviewCell[],
  /** When the cells were counted (their chart days end on that day). */
  countedAt: Date,
  feeds: readonly FeedHealthRow[],
  configuredFeeds: readonly string[],
  now: Date,
  days: number,
): Overview {
  const byType = zeroed(IOC_TYPES);
  const byConfidence = zeroed(CONFIDENCES);
  const byCategory = zeroed(CATEGORIES);
  const byStatus = zeroed(STATUSES);
  const perDay = new Map<string, number>();
  let total = 0;
  let active = 0;
  for (const c of cells) {
    total += c.count;
    byStatus[c.status] = (byStatus[c.status] ?? 0) + c.count;
    if (c.day !== null) perDay.set(c.day, (perDay.get(c.day) ?? 0) + c.count);
    if (c.status !== 'active') continue;
    active += c.count;
    byType[c.type] = (byType[c.type] ?? 0) + c.count;
    byConfidence[c.confidence] = (byConfidence[c.confidence] ?? 0) + c.count;
    byCategory[c.category] = (byCategory[c.category] ?? 0) + c.count;
  }
  const start = Date.parse(chartStart(countedAt, days));
  const newPerDay = [];
  for (let i = 0; i < days; i++) {
    const date = new Date(start + i * DAY_MS).toISOString().slice(0, 10);
    newPerDay.push({ date, count: perDay.get(date) ?? 0 });
  }
  const seen = new Set(feeds.map((f) => f.name));
  const feedViews = feeds.map((f) => ({
    name: f.name,
    health: feedHealth(f, now),
    last_status: f.last_status,
    last_run_at: f.last_run_at,
    last_error: f.last_error,
  }));
  for (const name of configuredFeeds) {
    if (!seen.has(name)) feedViews.push({ name, health: 'never_run', last_status: null, last_run_at: null, last_error: null });
  }
  feedViews.sort((a, b) => a.name.localeCompare(b.name));
  return {
    totals: { iocs: total, active },
    by_type: byType,
    by_confidence: byConfidence,
    by_category: byCategory,
    by_status: byStatus,
    new_per_day: newPerDay,
    feeds: feedViews,
    computed_at: countedAt.toISOString(),
  };
}
