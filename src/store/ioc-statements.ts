import type { Kysely } from 'kysely';
import { IOC_COLUMNS, IOC_SOURCE_COLUMNS, type RowValues } from './ioc-doc.js';
import type { Database } from './schema.js';

/** An IOC's natural key. */
export interface IocKey {
  type: string;
  value: string;
}

/** The in-place rewrite of a version that only moved last_seen / expires_at: id, last_seen, expires_at, doc. */
export type TouchValues = [id: string, lastSeen: string, expiresAt: string | null, doc: string];

/**
 * The multi-row statements of the IOC write path, one implementation per dialect (SQLite:
 * fixed-size VALUES lists whose prepared statements are cached; PostgreSQL: one statement per
 * chunk reading a JSON parameter with json_to_recordset()). All run inside the caller's write
 * transaction.
 */
export interface IocStatements {
  /** Serializes writers; called first in every write transaction. */
  lockWriters(trx: Kysely<Database>): Promise<void>;
  /**
   * Called after lockWriters in a bulk ingest transaction: trades the durability of its commit
   * (not its atomicity) for speed where the engine allows. A crash may lose the last commits,
   * never part of one; rerunning the feed writes them again.
   */
  relaxCommit(trx: Kysely<Database>): Promise<void>;
  /** The stored `doc` of every IOC among `keys` that exists (in any order). */
  loadDocs(trx: Kysely<Database>, keys: readonly IocKey[]): Promise<string[]>;
  /** Inserts rows (IOC_COLUMNS order) or replaces the row with the same (type, value). */
  upsertIocs(trx: Kysely<Database>, rows: readonly RowValues[]): Promise<void>;
  touchIocs(trx: Kysely<Database>, rows: readonly TouchValues[]): Promise<void>;
  /** Inserts source rows (IOC_SOURCE_COLUMNS order) or updates them, adding `occurrences`. */
  upsertSources(trx: Kysely<Database>, rows: readonly RowValues[]): Promise<void>;
}

/** The conflict key of each table: never rewritten by an upsert. */
const IOC_KEY_COLUMNS: ReadonlySet<string> = new Set(['id', 'type', 'value']);
// occurrences is summed by the statement itself (stored + incoming), not overwritten.
const SOURCE_KEY_COLUMNS: ReadonlySet<string> = new Set(['ioc_id', 'feed_name', 'occurrences']);

/** Column assignments shared by both dialects' upserts (`excluded` is the proposed row). */
export const IOC_UPDATE_COLUMNS = IOC_COLUMNS.filter((c) => !IOC_KEY_COLUMNS.has(c));

export const SOURCE_UPDATE_COLUMNS = IOC_SOURCE_COLUMNS.filter((c) => !SOURCE_KEY_COLUMNS.has(c));
