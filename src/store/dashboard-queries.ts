import { sql, type Kysely } from 'kysely';
import { IOC_TYPES, STATUSES } from '../domain/vocabulary.js';
import { iocFilterExpression } from './ioc-queries.js';
import type { Database } from './schema.js';
import type { IocFilter, IocPageRow } from './store.js';

/**
 * Read queries of the dashboard's overview and IOC explorer. Aggregates run in SQL; rows are
 * bounded by a LIMIT. Both dialects, every value a bound parameter.
 */
type Db = Kysely<Database>;

const n = (v: unknown): number => Number(v ?? 0);

/** One cell of the overview cube: IOCs of this type, confidence, primary category and status. */
export interface OverviewCell {
  type: string;
  confidence: string;
  category: string;
  status: string;
  /** UTC day (YYYY-MM-DD) of `first_seen` when on or after the chart's first day, else null. */
  day: string | null;
  count: number;
}

/** Let the event loop run between chunks (better-sqlite3 runs each query synchronously). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Every count the overview shows: IOCs grouped by (status, type, confidence, primary source
 * category, first-seen day within the chart), read from the `iocs_overview` index (migration
 * 0002), never from the table. One query per (status, type) range, with the event loop free
 * between them, so a count over a million IOCs never holds the server for the whole scan. The
 * number of cells is bounded by the vocabularies, whatever the table size; callers fold them and
 * cache the result.
 */
export async function overviewCells(db: Db, chartFrom: string): Promise<OverviewCell[]> {
  const out: OverviewCell[] = [];
  for (const status of STATUSES) {
    for (const type of IOC_TYPES) {
      // The day is computed in a derived table and grouped by name: grouping by the CASE
      // expression itself would bind its parameter twice, and PostgreSQL would not see one.
      const rows = await db
        .selectFrom((eb) =>
          eb
            .selectFrom('iocs')
            .select([
              'confidence',
              'source_category',
              sql<string | null>`case when first_seen >= ${chartFrom} then substr(first_seen, 1, 10) else null end`.as('day'),
            ])
            .where('status', '=', status)
            .where('type', '=', type)
            .as('c'),
        )
        .select(['c.confidence', 'c.source_category', 'c.day', (eb) => eb.fn.countAll<number | string>().as('n')])
        .groupBy(['c.confidence', 'c.source_category', 'c.day'])
        .execute();
      for (const r of rows) {
        out.push({ type, confidence: r.confidence, category: r.source_category, status, day: r.day, count: n(r.n) });
      }
      await yieldToEventLoop();
    }
  }
  return out;
}

/**
 * A page of IOCs matching `filter`, NEWEST version first (the explorer's order; the API pages
 * oldest first for lossless sync). `beforeVersion` continues below the previous page's last row.
 * Walks the (status, version) index backwards, so the first page costs the same on any table size.
 */
export async function listNewest(db: Db, filter: IocFilter, opts: { limit: number; beforeVersion?: number }): Promise<IocPageRow[]> {
  let q = db
    .selectFrom('iocs')
    .select(['iocs.version', 'iocs.updated_at', 'iocs.doc'])
    .where((eb) => iocFilterExpression(eb, filter));
  if (opts.beforeVersion !== undefined) q = q.where('iocs.version', '<', opts.beforeVersion);
  const rows = await q.orderBy('iocs.version', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({ version: Number(r.version), updated_at: r.updated_at, doc: r.doc }));
}

/**
 * How many IOCs match `filter`, counting at most `cap` (a result of `cap` means "`cap` or more").
 * The explorer shows "10,000+" rather than make every page of a million-IOC store count them
 * all: the cost is bounded by the cap, not by the table.
 */
export async function countUpTo(db: Db, filter: IocFilter, cap: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('iocs')
        .select(sql.lit(1).as('one'))
        .where((w) => iocFilterExpression(w, filter))
        .limit(cap)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return n(row?.n);
}
