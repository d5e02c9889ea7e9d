/**
 * The body of `GET /api/v1/iocs/stats`, built from the SQL aggregates of store/search-queries.ts.
 * Pure. The hosted product documents two shapes (research note §1.9): the hand-written page's
 * top-level `{totals{by_type, by_category, by_source}, last_updated}` and the generated page's
 * richer statistics; we answer with `meta` + `data` (everything) and the two (H) keys beside them.
 */
import { attackName } from '../domain/attack.js';
import { CATEGORIES, IOC_TYPES } from '../domain/vocabulary.js';
import type { FeedHealthRow, IocStatsRaw } from '../store/search-queries.js';
import { responseMeta } from './observables.js';

export const FEED_HEALTH = ['healthy', 'degraded', 'error', 'never_run'] as const;
export type FeedHealth = (typeof FEED_HEALTH)[number];

/** A failing feed that succeeded this recently is degraded, not down. */
const DEGRADED_WITHIN_MS = 24 * 3_600_000;
/** A feed whose next run is this late has a stuck scheduler. */
const OVERDUE_MS = 3_600_000;

/**
 * Health of one feed:
 * - `never_run`: no run recorded yet;
 * - `error`: the last run failed and none succeeded in the last 24 h;
 * - `degraded`: the last run failed but one succeeded in the last 24 h, or the next run is over an hour late;
 * - `healthy`: otherwise.
 */
export function feedHealth(feed: FeedHealthRow, now: Date): FeedHealth {
  if (feed.last_run_at === null) return 'never_run';
  const lastSuccess = feed.last_success_at === null ? Number.NaN : Date.parse(feed.last_success_at);
  if (feed.last_status === 'error') {
    return !Number.isNaN(lastSuccess) && now.getTime() - lastSuccess <= DEGRADED_WITHIN_MS ? 'degraded' : 'error';
  }
  if (feed.next_run_at !== null && now.getTime() - Date.parse(feed.next_run_at) > OVERDUE_MS) return 'degraded';
  return 'healthy';
}

function zeroed(keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.map((k) => [k, 0]));
}

export interface StatsBody {
  meta: ReturnType<typeof responseMeta>;
  data: {
    totals: {
      iocs: number;
      active: number;
      by_type: Record<string, number>;
      by_category: Record<string, number>;
      by_source: Record<string, number>;
      by_status: Record<string, number>;
    };
    trends: {
      last_24h: { new: number; seen: number; updated: number };
      last_7d: { new: number; seen: number };
    };
    feed_health: {
      summary: Record<FeedHealth, number>;
      feeds: Array<FeedHealthRow & { health: FeedHealth }>;
    };
    top_techniques: Array<{ id: string; name: string | null; count: number }>;
    top_cves: Array<{ cve: string; source_count: number; last_seen: string }>;
    last_updated: string | null;
  };
  totals: { by_type: Record<string, number>; by_category: Record<string, number>; by_source: Record<string, number> };
  last_updated: string | null;
}

/**
 * Totals by type, category and source count ACTIVE IOCs (what `/iocs` serves by default);
 * `by_status` counts every stored IOC. Trends count first and last sightings in the window.
 */
export function buildStats(raw: IocStatsRaw, now: Date, generatedAt: Date = now): StatsBody {
  const byType = zeroed(IOC_TYPES);
  const byStatus: Record<string, number> = {};
  let total = 0;
  let active = 0;
  for (const r of raw.byTypeStatus) {
    total += r.count;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.count;
    if (r.status !== 'active') continue;
    active += r.count;
    byType[r.type] = (byType[r.type] ?? 0) + r.count;
  }
  const byCategory = zeroed(CATEGORIES);
  for (const r of raw.byCategoryStatus) {
    if (r.status === 'active') byCategory[r.category] = (byCategory[r.category] ?? 0) + r.count;
  }
  const bySource: Record<string, number> = {};
  for (const r of raw.bySource) bySource[r.source] = r.count;

  const summary = zeroed(FEED_HEALTH) as Record<FeedHealth, number>;
  const feeds = raw.feeds.map((f) => {
    const health = feedHealth(f, now);
    summary[health]++;
    return { ...f, health };
  });

  const totals = { iocs: total, active, by_type: byType, by_category: byCategory, by_source: bySource, by_status: byStatus };
  return {
    meta: responseMeta(generatedAt),
    data: {
      totals,
      trends: {
        last_24h: { new: raw.trends.new24h, seen: raw.trends.seen24h, updated: raw.trends.updated24h },
        last_7d: { new: raw.trends.new7d, seen: raw.trends.seen7d },
      },
      feed_health: { summary, feeds },
      top_techniques: raw.topTechniques.map((t) => ({ id: t.technique, name: attackName(t.technique), count: t.count })),
      top_cves: raw.topCves.map((c) => ({ cve: c.cve, source_count: c.source_count, last_seen: c.last_seen })),
      last_updated: raw.lastUpdated,
    },
    totals: { by_type: byType, by_category: byCategory, by_source: bySource },
    last_updated: raw.lastUpdated,
  };
}
