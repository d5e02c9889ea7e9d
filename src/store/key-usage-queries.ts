import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Usage analytics of API keys: aggregates over `request_log` (one row per authenticated request,
 * on the (key_id, ts) index) and the exact quota counters (`usage_counters`). Every query is
 * bounded by one key (or one user's keys) and a time window, and aggregates in SQL: no log rows
 * reach the process. Latency percentiles come from a histogram of 0.1 ms buckets, so their cost
 * does not depend on how many requests were logged. A key with many logged requests makes each
 * query a scan of its rows, so the event loop is let run between them.
 */
type Db = Kysely<Database>;

const n = (v: unknown): number => Number(v ?? 0);

/** Everything `GET /api/v1/keys/{id}/usage` reports, as raw aggregates. */
export interface KeyUsageRaw {
  byStatus: Array<{ status: number; count: number; latencyMs: number }>;
  topEndpoints: Array<{ path: string; count: number }>;
  daily: Array<{ day: string; requests: number; errors: number }>;
  /** 429 answers per UTC hour (`YYYY-MM-DDTHH`), hours with none left out. */
  rateLimitHitsByHour: Array<{ hour: string; count: number }>;
  /** Latency histogram: `tenths` of a millisecond (rounded down) → requests. */
  latencyHistogram: Array<{ tenths: number; count: number }>;
  /** Highest quota counts (tenths of a request) of any minute and any day in the window. */
  peakUnits: { minute: number; day: number };
}

export const TOP_ENDPOINTS = 10;

/** Let the event loop run between queries (better-sqlite3 runs each one synchronously). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function keyUsage(db: Db, keyId: string, from: string): Promise<KeyUsageRaw> {
  const base = db.selectFrom('request_log').where('key_id', '=', keyId).where('ts', '>=', from);
  const count = sql<number | string>`count(*)`;

  const byStatus = await base
    .select(['status', count.as('n'), sql<number | string>`coalesce(sum(latency_ms), 0)`.as('ms')])
    .groupBy('status')
    .orderBy('status')
    .execute();
  await yieldToEventLoop();
  const topEndpoints = await base
    .select(['path', count.as('n')])
    .groupBy('path')
    .orderBy(count, 'desc')
    .orderBy('path')
    .limit(TOP_ENDPOINTS)
    .execute();
  await yieldToEventLoop();
  const day = sql<string>`substr(ts, 1, 10)`;
  const daily = await base
    .select([
      day.as('day'),
      count.as('n'),
      sql<number | string>`coalesce(sum(case when status >= 400 then 1 else 0 end), 0)`.as('errors'),
    ])
    .groupBy(day)
    .orderBy(day)
    .execute();
  await yieldToEventLoop();
  const hour = sql<string>`substr(ts, 1, 13)`;
  const hits = await base.select([hour.as('hour'), count.as('n')]).where('status', '=', 429).groupBy(hour).orderBy(hour).execute();
  await yieldToEventLoop();
  const tenths = sql<number | string>`cast(latency_ms * 10 as integer)`;
  const histogram = await base.select([tenths.as('tenths'), count.as('n')]).groupBy(tenths).orderBy(tenths).execute();
  await yieldToEventLoop();
  const peaks = await db
    .selectFrom('usage_counters')
    .select(['window', sql<number | string>`max(count)`.as('peak')])
    .where('key_id', '=', keyId)
    .where('window_start', '>=', from)
    .groupBy('window')
    .execute();

  return {
    byStatus: byStatus.map((r) => ({ status: n(r.status), count: n(r.n), latencyMs: n(r.ms) })),
    topEndpoints: topEndpoints.map((r) => ({ path: r.path, count: n(r.n) })),
    daily: daily.map((r) => ({ day: r.day, requests: n(r.n), errors: n(r.errors) })),
    rateLimitHitsByHour: hits.map((r) => ({ hour: r.hour, count: n(r.n) })),
    latencyHistogram: histogram.map((r) => ({ tenths: n(r.tenths), count: n(r.n) })),
    peakUnits: {
      minute: n(peaks.find((p) => p.window === 'minute')?.peak),
      day: n(peaks.find((p) => p.window === 'day')?.peak),
    },
  };
}

/** Quota units (tenths of a request) each key has used over all its days, for the key list. */
export async function totalUnitsByKey(db: Db, keyIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < keyIds.length; i += 500) {
    const rows = await db
      .selectFrom('usage_counters')
      .select(['key_id', sql<number | string>`sum(count)`.as('units')])
      .where('window', '=', 'day')
      .where('key_id', 'in', keyIds.slice(i, i + 500))
      .groupBy('key_id')
      .execute();
    for (const r of rows) out.set(r.key_id, n(r.units));
  }
  return out;
}

/** Quota units per UTC day summed over `keyIds` from `fromDay` (ISO start of a day) on. */
export async function dailyUnitsOfKeys(db: Db, keyIds: readonly string[], fromDay: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < keyIds.length; i += 500) {
    const rows = await db
      .selectFrom('usage_counters')
      .select(['window_start', sql<number | string>`sum(count)`.as('units')])
      .where('window', '=', 'day')
      .where('window_start', '>=', fromDay)
      .where('key_id', 'in', keyIds.slice(i, i + 500))
      .groupBy('window_start')
      .execute();
    for (const r of rows) {
      const d = r.window_start.slice(0, 10);
      out.set(d, (out.get(d) ?? 0) + n(r.units));
    }
  }
  return out;
}
