import { sql, type Kysely } from 'kysely';
import { IOC_COLUMNS, IOC_SOURCE_COLUMNS, type RowValues } from './ioc-doc.js';
import { IOC_UPDATE_COLUMNS, SOURCE_UPDATE_COLUMNS, type IocKey, type IocStatements, type TouchValues } from './ioc-statements.js';
import { chunk, runRaw } from './raw-query.js';
import type { Database } from './schema.js';

/**
 * PostgreSQL: each statement takes a chunk of rows as ONE json parameter and reads them with
 * json_to_recordset(), so thousands of rows are one round trip with one parameter. (Measured:
 * half the client CPU of one text[] array per column, which pg escapes element by element in
 * JavaScript; a VALUES list would need tens of thousands of parameters.)
 */

/** Transaction-level advisory lock key that serializes IOC writers across processes. */
export const IOC_WRITE_LOCK_KEY = 0x50cd0002;
const ROWS_PER_STATEMENT = 5000;

const INT_COLUMNS: ReadonlySet<string> = new Set(['source_count', 'version', 'occurrences']);

/** `json_to_recordset($1::json) as x(col type, ...)` for `columns`. */
const recordset = (columns: readonly string[]): string =>
  `json_to_recordset($1::json) as x(${columns.map((c) => `${c} ${INT_COLUMNS.has(c) ? 'bigint' : 'text'}`).join(', ')})`;

/** Rows (values in `columns` order) → the JSON array of objects json_to_recordset reads. */
function rowsJson(rows: readonly (readonly unknown[])[], columns: readonly string[]): string {
  const objects = rows.map((row) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) o[columns[i] as string] = row[i];
    return o;
  });
  return JSON.stringify(objects);
}

const KEY_COLUMNS = ['type', 'value'] as const;
const SELECT_DOCS = `select i.doc from ${recordset(KEY_COLUMNS)} join iocs i on i.type = x.type and i.value = x.value`;

const UPSERT_IOCS =
  `insert into iocs (${IOC_COLUMNS.join(', ')}) select ${IOC_COLUMNS.join(', ')} from ${recordset(IOC_COLUMNS)} ` +
  `on conflict (type, value) do update set ${IOC_UPDATE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`;

const TOUCH_COLUMNS = ['id', 'last_seen', 'expires_at', 'doc'] as const;
const TOUCH_IOCS =
  `update iocs as i set last_seen = x.last_seen, expires_at = x.expires_at, doc = x.doc ` +
  `from ${recordset(TOUCH_COLUMNS)} where i.id = x.id`;

const UPSERT_SOURCES =
  `insert into ioc_sources (${IOC_SOURCE_COLUMNS.join(', ')}) select ${IOC_SOURCE_COLUMNS.join(', ')} from ${recordset(IOC_SOURCE_COLUMNS)} ` +
  `on conflict (ioc_id, feed_name) do update set ${SOURCE_UPDATE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, ` +
  `occurrences = ioc_sources.occurrences + excluded.occurrences`;

async function runChunks(trx: Kysely<Database>, text: string, rows: readonly (readonly unknown[])[], columns: readonly string[]): Promise<void> {
  for (const slice of chunk(rows, ROWS_PER_STATEMENT)) {
    await runRaw(trx, text, [rowsJson(slice, columns)]);
  }
}

export const postgresIocStatements: IocStatements = {
  async lockWriters(trx) {
    // Held until commit: writers queue here, so version order is commit order.
    await sql`select pg_advisory_xact_lock(${sql.lit(IOC_WRITE_LOCK_KEY)})`.execute(trx);
  },

  async relaxCommit(trx) {
    // The commit returns before its WAL record is flushed (this transaction only).
    await sql`set local synchronous_commit = off`.execute(trx);
  },

  async loadDocs(trx, keys: readonly IocKey[]) {
    const docs: string[] = [];
    for (const slice of chunk(keys, ROWS_PER_STATEMENT)) {
      const rows = await runRaw<{ doc: string }>(trx, SELECT_DOCS, [JSON.stringify(slice)]);
      for (const r of rows) docs.push(r.doc);
    }
    return docs;
  },

  upsertIocs: (trx, rows: readonly RowValues[]) => runChunks(trx, UPSERT_IOCS, rows, IOC_COLUMNS),
  touchIocs: (trx, rows: readonly TouchValues[]) => runChunks(trx, TOUCH_IOCS, rows, TOUCH_COLUMNS),
  upsertSources: (trx, rows: readonly RowValues[]) => runChunks(trx, UPSERT_SOURCES, rows, IOC_SOURCE_COLUMNS),
};
