import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { IocRecord } from '../domain/ioc.js';
import type { IocType } from '../domain/vocabulary.js';
import { parseIocDoc } from './ioc-doc.js';
import type { Database } from './schema.js';
import type { IocFilter, IocPageQuery, IocPageRow, StoreCounts } from './store.js';
import { toStoredTimestamp } from './timestamps.js';

/** The read side: pages, counts and single lookups. Pages return pre-rendered `doc`s. */

/** `%"energy"%` for a LIKE on the JSON text, with LIKE's wildcards escaped. */
function jsonElementPattern(element: string): string {
  return `%${JSON.stringify(element).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The WHERE of every list, count and export:
 * - `category` matches an IOC when ANY of its sources has that category (not only the primary
 *   source), through EXISTS on ioc_sources (primary-key prefix lookup).
 * - `industry` matches the JSON array text (`LIKE '%"energy"%'`), the same on both engines.
 * - `since` becomes a version bound: `updated_at` increases with `version`, so
 *   `updated_at > since` ⇔ `version >` the version of the last row stamped at or before `since`.
 *   That keeps the default index walk on (status, version) instead of filtering every row.
 */
export function iocFilterExpression(eb: ExpressionBuilder<Database, 'iocs'>, f: IocFilter): Expression<SqlBool> {
  const and: Expression<SqlBool>[] = [];
  const status = f.status ?? 'active';
  if (status !== 'all') and.push(eb('iocs.status', '=', status));
  if (f.types && f.types.length > 0) and.push(eb('iocs.type', 'in', f.types));
  if (f.confidence) and.push(eb('iocs.confidence', '=', f.confidence));
  if (f.category) {
    const category = f.category;
    and.push(
      eb.exists(
        eb
          .selectFrom('ioc_sources')
          .select(sql.lit(1).as('one'))
          .whereRef('ioc_sources.ioc_id', '=', 'iocs.id')
          .where('ioc_sources.category', '=', category),
      ),
    );
  }
  if (f.industry) and.push(sql<SqlBool>`${eb.ref('iocs.industries')} like ${jsonElementPattern(f.industry)} escape '\\'`);
  if (f.since !== undefined) {
    const since = toStoredTimestamp(f.since);
    const bound = eb
      .selectFrom('iocs as s')
      .select('s.version')
      .where('s.updated_at', '<=', since)
      .orderBy('s.updated_at', 'desc')
      .limit(1);
    and.push(eb('iocs.version', '>', eb.fn.coalesce(bound, sql.lit(0))));
  }
  return eb.and(and);
}

export async function listIocs(db: Kysely<Database>, q: IocPageQuery): Promise<IocPageRow[]> {
  let query = db
    .selectFrom('iocs')
    .select(['iocs.version', 'iocs.updated_at', 'iocs.doc'])
    .where((eb) => iocFilterExpression(eb, q));
  if (q.afterVersion !== undefined) query = query.where('iocs.version', '>', q.afterVersion);
  query = query.orderBy('iocs.version', 'asc').limit(q.limit);
  if (q.offset) query = query.offset(q.offset);
  return query.execute();
}

export async function countIocs(db: Kysely<Database>, f: IocFilter): Promise<number> {
  const row = await db
    .selectFrom('iocs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => iocFilterExpression(eb, f))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Totals by status and by type (over all statuses), and the last version handed out. */
export async function counts(db: Kysely<Database>): Promise<StoreCounts> {
  const rows = await db
    .selectFrom('iocs')
    .select(['status', 'type', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['status', 'type'])
    .execute();
  const counter = await db.selectFrom('counters').select('value').where('name', '=', 'ioc_version').executeTakeFirst();
  const out: StoreCounts = { total: 0, byStatus: {}, byType: {}, lastVersion: Number(counter?.value ?? 0) };
  for (const r of rows) {
    const n = Number(r.n);
    out.total += n;
    out.byStatus[r.status] = (out.byStatus[r.status] ?? 0) + n;
    out.byType[r.type] = (out.byType[r.type] ?? 0) + n;
  }
  return out;
}

export async function getIoc(db: Kysely<Database>, id: string): Promise<IocRecord | null> {
  const row = await db.selectFrom('iocs').select('doc').where('id', '=', id).executeTakeFirst();
  return row ? parseIocDoc(row.doc) : null;
}

export async function findByValue(db: Kysely<Database>, type: IocType, value: string): Promise<IocRecord | null> {
  const row = await db.selectFrom('iocs').select('doc').where('type', '=', type).where('value', '=', value).executeTakeFirst();
  return row ? parseIocDoc(row.doc) : null;
}
