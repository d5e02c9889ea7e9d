import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from './dialect.js';
import { iocFilterExpression } from './ioc-queries.js';
import type { Database } from './schema.js';
import type { IocFilter, IocPageRow } from './store.js';

/**
 * The reads of the TAXII collection pages:
 * - {@link listTaxiiRows}: a page's positions (version, timestamp, id, type) for a manifest;
 * - {@link listTaxiiVersions}, then {@link listTaxiiDocs}: a page's versions, then the documents
 *   of the version range the rendering cache (api/routes/taxii-render-cache.ts) lacks, so a page
 *   rendered already reads and parses no document;
 * - {@link listTaxiiRowsWithDocs}: a page with its documents in one statement (a page rendered
 *   ahead, or read again after a change raced the two steps above).
 * Each is an index walk from the page's position, whatever the collection's size: one walk in
 * version order (the SQLite rowid, the PostgreSQL `iocs_version` index) or one per type of
 * `iocs_type_version` (migration 0004), merged here.
 */

/** One object's position in a collection: what its manifest record and `next` token need. */
export interface TaxiiRow {
  version: number;
  updated_at: string;
  id: string;
  type: string;
}

/** The filters of a page (types, status, since) and where it starts. */
export interface TaxiiRowsQuery extends IocFilter {
  /** Only versions above this one. */
  afterVersion?: number;
  limit: number;
}

/** One walk: the rows of `q` after its position, in version order, at most a page. */
function walk(db: Kysely<Database>, q: TaxiiRowsQuery) {
  let query = db.selectFrom('iocs').where((eb) => iocFilterExpression(eb, q));
  if (q.afterVersion !== undefined) query = query.where('iocs.version', '>', q.afterVersion);
  return query.orderBy('iocs.version', 'asc').limit(q.limit);
}

/** One walk of a page's positions (exported for the query-plan test). */
export function positionsWalkQuery(db: Kysely<Database>, q: TaxiiRowsQuery) {
  return walk(db, q).select(['iocs.version', 'iocs.updated_at', 'iocs.id', 'iocs.type']);
}

function positionsWalk(db: Kysely<Database>, q: TaxiiRowsQuery): Promise<TaxiiRow[]> {
  return positionsWalkQuery(db, q).execute();
}

function versionsWalk(db: Kysely<Database>, q: TaxiiRowsQuery): Promise<Array<{ version: number }>> {
  return walk(db, q).select('iocs.version').execute();
}

function documentsWalk(db: Kysely<Database>, q: TaxiiRowsQuery): Promise<IocPageRow[]> {
  return walk(db, q).select(['iocs.version', 'iocs.updated_at', 'iocs.doc']).execute();
}

/**
 * The first `limit` rows after `afterVersion` in version order, by `walk`. Several types are
 * read as one index walk each and merged: with `type IN (…)` both engines would read every
 * remaining row of those types and sort them, on every page. The walks share one snapshot (a
 * transaction, repeatable read on PostgreSQL): a version written between two walks could
 * otherwise be missing from the first while a later one is in the second, and the page would
 * step past it.
 */
async function walkTypes<R extends { version: number }>(
  db: Kysely<Database>,
  dialect: StoreDialect,
  q: TaxiiRowsQuery,
  walk: (db: Kysely<Database>, q: TaxiiRowsQuery) => Promise<R[]>,
): Promise<R[]> {
  const types = q.types;
  if (!types || types.length <= 1) return walk(db, q);
  const readAll = async (snapshot: Kysely<Database>): Promise<R[]> => {
    const rows: R[] = [];
    for (const type of types) rows.push(...(await walk(snapshot, { ...q, types: [type] })));
    // At most a page per type: sorting them costs less than reading them.
    return rows.sort((a, b) => a.version - b.version).slice(0, q.limit);
  };
  if (dialect === 'postgres') return db.transaction().setIsolationLevel('repeatable read').execute(readAll);
  return readSnapshotSqlite(db, readAll);
}

/**
 * Runs `read` in a plain (deferred) SQLite transaction: a snapshot that takes no write lock.
 * Kysely's transactions here are BEGIN IMMEDIATE (sqlite-database.ts), which would make a
 * TAXII page wait for, and hold up, another process's ingest.
 */
async function readSnapshotSqlite<T>(db: Kysely<Database>, read: (snapshot: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin deferred`.execute(conn);
    try {
      const result = await read(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

/** A page's positions: no document is read. */
export function listTaxiiRows(db: Kysely<Database>, dialect: StoreDialect, q: TaxiiRowsQuery): Promise<TaxiiRow[]> {
  return walkTypes(db, dialect, q, positionsWalk);
}

/**
 * A page's versions alone: all a page needs when its objects are rendered already, and the
 * cheapest read (on SQLite the rowid walk decodes no column; four strings a row cost more than
 * reading the documents).
 */
export async function listTaxiiVersions(db: Kysely<Database>, dialect: StoreDialect, q: TaxiiRowsQuery): Promise<number[]> {
  return (await walkTypes(db, dialect, q, versionsWalk)).map((r) => r.version);
}

/** A page's rows with their documents, in one snapshot. */
export function listTaxiiRowsWithDocs(db: Kysely<Database>, dialect: StoreDialect, q: TaxiiRowsQuery): Promise<IocPageRow[]> {
  return walkTypes(db, dialect, q, documentsWalk);
}

/**
 * The documents of the rows of `filter` with `from <= version <= to`, ascending. The range is a
 * page's, so even `type IN (…)` sorts at most a page of rows.
 */
export function listTaxiiDocs(db: Kysely<Database>, filter: IocFilter, from: number, to: number): Promise<IocPageRow[]> {
  return db
    .selectFrom('iocs')
    .select(['iocs.version', 'iocs.updated_at', 'iocs.doc'])
    .where((eb) => iocFilterExpression(eb, filter))
    .where('iocs.version', '>=', from)
    .where('iocs.version', '<=', to)
    .orderBy('iocs.version', 'asc')
    .execute();
}
