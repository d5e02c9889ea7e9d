import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { IocType } from '../domain/vocabulary.js';
import type { Database } from './schema.js';
import type { Store, SyncReader } from './store.js';

/**
 * Read queries behind search, lookup, match, stats and usage (the list/export queries are the
 * Store's, in ioc-queries.ts). Every query is parameterized through Kysely and written once for
 * SQLite and PostgreSQL; none reads a whole table into memory: aggregates run in SQL, and
 * everything that returns rows is bounded by a LIMIT or by the ids/values asked for.
 */
type Db = Kysely<Database>;
type QueryStore = Pick<Store, 'db' | 'dialect'>;

/** An IOC row as the API serves it: the pre-rendered JSON of its current version. */
export interface IocDocRow {
  id: string;
  version: number;
  doc: string;
}

/** Observable values per IN query: far below SQLite's (32,766) and PostgreSQL's (65,535) parameter limits. */
export const IN_CHUNK = 500;

const n = (v: unknown): number => Number(v ?? 0);
const docRow = (r: { id: string; version: number | string; doc: string }): IocDocRow => ({
  id: r.id,
  version: Number(r.version),
  doc: r.doc,
});

/** The current document of the IOC (type, value), through the unique (type, value) index. */
export async function findDoc(db: Db, type: IocType, value: string): Promise<IocDocRow | null> {
  const row = await db
    .selectFrom('iocs')
    .select(['id', 'version', 'doc'])
    .where('type', '=', type)
    .where('value', '=', value)
    .executeTakeFirst();
  return row ? docRow(row) : null;
}

/** The current document of the IOC with this id. */
export async function findDocById(db: Db, id: string): Promise<IocDocRow | null> {
  const row = await db.selectFrom('iocs').select(['id', 'version', 'doc']).where('id', '=', id).executeTakeFirst();
  return row ? docRow(row) : null;
}

/** `%`, `_` and the escape character itself, escaped for `LIKE … ESCAPE '\'`. */
export function escapeLike(fragment: string): string {
  return fragment.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * IOCs whose value contains `fragment` (ASCII case-insensitive), at most `limit`, newest version
 * first among those found. Wildcards in the fragment match literally.
 *
 * A substring cannot seek a B-tree, so this scans, but it scans the narrow (type, value) index
 * rather than the table with its documents (a covering index scan on SQLite, 6× less I/O on a
 * 1M-IOC store), stops at `limit` hits, and then reads the documents of the hits by key. The
 * caller runs it only after an exact lookup failed and for fragments of 3+ characters.
 */
export async function searchSubstring(
  store: QueryStore,
  fragment: string,
  opts: { type?: IocType; limit: number },
): Promise<IocDocRow[]> {
  const pattern = `%${escapeLike(fragment)}%`;
  // SQLite's LIKE ignores ASCII case already (and lower() would cost a call per row);
  // PostgreSQL needs ILIKE for the same answer.
  const like = store.dialect === 'sqlite' ? sql`like` : sql`ilike`;
  let q = store.db
    .selectFrom('iocs')
    .select(['type', 'value'])
    .where(sql<boolean>`value ${like} ${pattern} escape '\\'`)
    .limit(opts.limit);
  if (opts.type) q = q.where('type', '=', opts.type);
  const hits = await q.execute();
  const rows = await matchObservables(
    store.db,
    hits.map((h) => ({ type: h.type as IocType, value: h.value })),
  );
  return rows.map(({ id, version, doc }) => ({ id, version, doc })).sort((a, b) => b.version - a.version);
}

/**
 * Up to `limit` other IOCs that share a source `reference_url` (the same report, article or
 * feed entry) with any of `ids`, newest version first. Bounded twice: the join (on the
 * reference_url index) returns at most `limit × 10` candidate rows, so a reference shared by a
 * million IOCs is never walked; then documents are read by id.
 */
export async function relatedByReference(db: Db, ids: readonly string[], limit = 10): Promise<IocDocRow[]> {
  if (ids.length === 0 || limit <= 0) return [];
  const own = ids.slice(0, IN_CHUNK);
  const candidates = await db
    .selectFrom('ioc_sources as s1')
    .innerJoin('ioc_sources as s2', 's2.reference_url', 's1.reference_url')
    .select('s2.ioc_id')
    .where('s1.ioc_id', 'in', own)
    .where('s1.reference_url', 'is not', null)
    .where('s2.ioc_id', 'not in', own)
    .limit(limit * 10)
    .execute();
  const related = [...new Set(candidates.map((c) => c.ioc_id))].slice(0, limit);
  if (related.length === 0) return [];
  const rows = await db.selectFrom('iocs').select(['id', 'version', 'doc']).where('id', 'in', related).execute();
  return rows.map(docRow).sort((a, b) => b.version - a.version);
}

/**
 * The stored IOCs among `observables` (canonical type and value), in chunks of IN_CHUNK values
 * per type: one query per chunk, never one per observable.
 */
export async function matchObservables(
  db: Db,
  observables: ReadonlyArray<{ type: IocType; value: string }>,
): Promise<Array<IocDocRow & { type: IocType; value: string }>> {
  const byType = new Map<IocType, Set<string>>();
  for (const o of observables) {
    let set = byType.get(o.type);
    if (!set) byType.set(o.type, (set = new Set()));
    set.add(o.value);
  }
  const out: Array<IocDocRow & { type: IocType; value: string }> = [];
  for (const [type, values] of byType) {
    const all = [...values];
    for (let i = 0; i < all.length; i += IN_CHUNK) {
      const rows = await db
        .selectFrom('iocs')
        .select(['id', 'version', 'doc', 'value'])
        .where('type', '=', type)
        .where('value', 'in', all.slice(i, i + IN_CHUNK))
        .execute();
      for (const r of rows) out.push({ ...docRow(r), type, value: r.value });
    }
  }
  return out;
}

/** A stored IOC as `/lookup` reads it: its document, and how often each source reported it. */
export interface LookupHit {
  row: IocDocRow;
  /** Feed name → occurrences (sources absent from the map reported it once). */
  occurrences: Map<string, number>;
}

interface LookupJoinRow {
  id: string;
  version: number | string;
  doc: string;
  feed_name: string | null;
  occurrences: number | string | null;
}

/**
 * The hot path of `/lookup`: the document of (type, value) and the occurrence count of each of
 * its sources in ONE query (a left join on the unique (type, value) index and the ioc_sources
 * primary key), with its SQL compiled once per database rather than built on every request.
 */
export class IocLookup {
  private readonly sql: string;

  private readonly db: Db;
  private readonly syncReader: SyncReader | null;

  constructor(store: Pick<Store, 'db' | 'syncReader'>) {
    this.db = store.db;
    this.syncReader = store.syncReader;
    this.sql = store.db
      .selectFrom('iocs as i')
      .leftJoin('ioc_sources as s', 's.ioc_id', 'i.id')
      .select(['i.id', 'i.version', 'i.doc', 's.feed_name', 's.occurrences'])
      .where('i.type', '=', '')
      .where('i.value', '=', '')
      .compile().sql;
  }

  /** Null when (type, value) is not stored. */
  async find(type: IocType, value: string): Promise<LookupHit | null> {
    const params = [type, value];
    const rows =
      this.syncReader?.all<LookupJoinRow>(this.sql, params) ??
      (await this.db.executeQuery<LookupJoinRow>(CompiledQuery.raw(this.sql, params))).rows;
    const first = rows[0];
    if (!first) return null;
    const occurrences = new Map<string, number>();
    for (const r of rows) if (r.feed_name !== null) occurrences.set(r.feed_name, n(r.occurrences));
    return { row: docRow(first), occurrences };
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics

export interface FeedHealthRow {
  name: string;
  last_run_at: string | null;
  last_success_at: string | null;
  last_status: string | null;
  last_error: string | null;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  next_run_at: string | null;
}

export interface IocStatsRaw {
  /** (type, status) → count over every stored IOC. */
  byTypeStatus: Array<{ type: string; status: string; count: number }>;
  /** (category of the most relevant source, status) → count. */
  byCategoryStatus: Array<{ category: string; status: string; count: number }>;
  /** Feed or article source → active IOCs it reported (the MAX_SOURCES largest). */
  bySource: Array<{ source: string; count: number }>;
  /** IOCs first seen, last seen and changed within the windows (any status). */
  trends: { new24h: number; new7d: number; seen24h: number; seen7d: number; updated24h: number };
  feeds: FeedHealthRow[];
  topTechniques: Array<{ technique: string; count: number }>;
  topCves: Array<{ cve: string; source_count: number; last_seen: string }>;
  /** Timestamp of the newest IOC version, null for an empty store. */
  lastUpdated: string | null;
}

/** Sources listed in the per-source totals (a store fed by thousands of articles would list them all). */
export const MAX_SOURCES = 100;

/**
 * Every aggregate `/iocs/stats` serves, computed in SQL: a handful of GROUP BY scans; no IOC
 * rows reach the process beyond the top-N lists. Callers cache the result.
 */
export async function iocStats(store: QueryStore, now: Date, top = 10): Promise<IocStatsRaw> {
  const { db } = store;
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000).toISOString();

  const byTypeStatus = await db
    .selectFrom('iocs')
    .select(['type', 'status', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy(['type', 'status'])
    .execute();
  const byCategoryStatus = await db
    .selectFrom('iocs')
    .select(['source_category', 'status', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy(['source_category', 'status'])
    .execute();
  const bySource = await db
    .selectFrom('ioc_sources as s')
    .innerJoin('iocs as i', 'i.id', 's.ioc_id')
    .select(['s.feed_name', (eb) => eb.fn.countAll<number | string>().as('count')])
    .where('i.status', '=', 'active')
    .groupBy('s.feed_name')
    .orderBy('count', 'desc')
    .orderBy('s.feed_name')
    .limit(MAX_SOURCES)
    .execute();
  const since = (col: 'first_seen' | 'last_seen' | 'updated_at', from: string) =>
    sql<number | string>`coalesce(sum(case when ${sql.ref(col)} >= ${from} then 1 else 0 end), 0)`;
  const trendRow = await db
    .selectFrom('iocs')
    .select([
      since('first_seen', dayAgo).as('new24h'),
      since('first_seen', weekAgo).as('new7d'),
      since('last_seen', dayAgo).as('seen24h'),
      since('last_seen', weekAgo).as('seen7d'),
      // updated_at has microseconds; a millisecond cutoff still compares correctly as text.
      since('updated_at', dayAgo).as('updated24h'),
    ])
    .executeTakeFirst();
  const feeds = await db
    .selectFrom('feeds')
    .select([
      'name',
      'last_run_at',
      'last_success_at',
      'last_status',
      'last_error',
      'added',
      'updated',
      'unchanged',
      'rejected',
      'next_run_at',
    ])
    .orderBy('name')
    .execute();
  const topTechniques = await topTechniqueCounts(store, top);
  const topCves = await db
    .selectFrom('iocs')
    .select(['value', 'source_count', 'last_seen'])
    .where('type', '=', 'cve')
    .where('status', '=', 'active')
    .orderBy('source_count', 'desc')
    .orderBy('last_seen', 'desc')
    .orderBy('value')
    .limit(top)
    .execute();
  const latest = await db.selectFrom('iocs').select('updated_at').orderBy('version', 'desc').limit(1).executeTakeFirst();

  return {
    byTypeStatus: byTypeStatus.map((r) => ({ type: r.type, status: r.status, count: n(r.count) })),
    byCategoryStatus: byCategoryStatus.map((r) => ({ category: r.source_category, status: r.status, count: n(r.count) })),
    bySource: bySource.map((r) => ({ source: r.feed_name, count: n(r.count) })),
    trends: {
      new24h: n(trendRow?.new24h),
      new7d: n(trendRow?.new7d),
      seen24h: n(trendRow?.seen24h),
      seen7d: n(trendRow?.seen7d),
      updated24h: n(trendRow?.updated24h),
    },
    feeds: feeds.map((f) => ({
      ...f,
      added: n(f.added),
      updated: n(f.updated),
      unchanged: n(f.unchanged),
      rejected: n(f.rejected),
    })),
    topTechniques,
    topCves: topCves.map((r) => ({ cve: r.value, source_count: n(r.source_count), last_seen: r.last_seen })),
    lastUpdated: latest?.updated_at ?? null,
  };
}

/**
 * ATT&CK techniques most often attached to active IOCs. `mitre_techniques` is JSON text, so the
 * array is unnested in SQL with each dialect's JSON table function (the one dialect-specific
 * query here).
 */
async function topTechniqueCounts(store: QueryStore, top: number): Promise<Array<{ technique: string; count: number }>> {
  const query =
    store.dialect === 'sqlite'
      ? sql<{ technique: string; count: number | string }>`
          select j.value as technique, count(*) as count
          from iocs, json_each(iocs.mitre_techniques) as j
          where iocs.status = 'active' and iocs.mitre_techniques <> '[]'
          group by j.value
          order by count(*) desc, j.value
          limit ${top}`
      : sql<{ technique: string; count: number | string }>`
          select t.technique, count(*) as count
          from iocs cross join lateral jsonb_array_elements_text(iocs.mitre_techniques::jsonb) as t(technique)
          where iocs.status = 'active' and iocs.mitre_techniques <> '[]'
          group by t.technique
          order by count(*) desc, t.technique
          limit ${top}`;
  const { rows } = await query.execute(store.db);
  return rows.map((r) => ({ technique: String(r.technique), count: n(r.count) }));
}

// ---------------------------------------------------------------------------------------------
// Usage

/**
 * A key's per-day quota counts (`usage_counters`, window `day`) from `fromDay` (ISO start of a
 * UTC day) on, in tenths of a request as stored.
 */
export async function dailyUsageUnits(db: Db, keyId: string, fromDay: string): Promise<Array<{ day: string; units: number }>> {
  const rows = await db
    .selectFrom('usage_counters')
    .select(['window_start', 'count'])
    .where('key_id', '=', keyId)
    .where('window', '=', 'day')
    .where('window_start', '>=', fromDay)
    .orderBy('window_start')
    .execute();
  return rows.map((r) => ({ day: r.window_start, units: n(r.count) }));
}

/** Per-day status classes of a key's logged requests since `from` (ISO), aggregated in SQL on the (key_id, ts) index. */
export async function dailyRequestLog(
  db: Db,
  keyId: string,
  from: string,
): Promise<Array<{ day: string; requests: number; client_errors: number; server_errors: number }>> {
  const day = sql<string>`substr(ts, 1, 10)`;
  const rows = await db
    .selectFrom('request_log')
    .select([
      day.as('day'),
      (eb) => eb.fn.countAll<number | string>().as('requests'),
      sql<number | string>`coalesce(sum(case when status >= 400 and status < 500 then 1 else 0 end), 0)`.as('client_errors'),
      sql<number | string>`coalesce(sum(case when status >= 500 then 1 else 0 end), 0)`.as('server_errors'),
    ])
    .where('key_id', '=', keyId)
    .where('ts', '>=', from)
    .groupBy(day)
    .orderBy(day)
    .execute();
  return rows.map((r) => ({
    day: r.day,
    requests: n(r.requests),
    client_errors: n(r.client_errors),
    server_errors: n(r.server_errors),
  }));
}
