/**
 * What a push run reads from the store: the IOC versions after a checkpoint that match the
 * destination's filter, in version order, a page at a time, up to the last version that existed
 * when the run started (versions written meanwhile wait for the next run, so a run always ends).
 */
import { sql, type RawBuilder } from 'kysely';
import { iocFilterExpression } from '../store/ioc-queries.js';
import type { IocFilter, Store } from '../store/store.js';
import type { PushRow } from './sink.js';

/** Rows per store read: large enough that reading is a small share of a push. */
export const PAGE_ROWS = 5000;

/** The last version number handed out (0 for an empty store). */
export async function headVersion(store: Store): Promise<number> {
  const row = await store.db.selectFrom('counters').select('value').where('name', '=', 'ioc_version').executeTakeFirst();
  return Number(row?.value ?? 0);
}

/** The document column as UTF-8 bytes: a push sends documents as they are stored, never decoding them. */
function docBytes(store: Store): RawBuilder<Buffer> {
  return store.dialect === 'postgres' ? sql<Buffer>`convert_to(${sql.ref('iocs.doc')}, 'UTF8')` : sql<Buffer>`cast(${sql.ref('iocs.doc')} as blob)`;
}

/** Pages of versions in (after, head], ascending, documents as bytes. */
export async function* versionsAfter(store: Store, filter: IocFilter, after: number, head: number, pageRows = PAGE_ROWS): AsyncGenerator<PushRow[]> {
  const doc = docBytes(store);
  let cursor = after;
  while (cursor < head) {
    const found = await store.db
      .selectFrom('iocs')
      .select(['iocs.version', 'iocs.updated_at', doc.as('doc')])
      .where((eb) => iocFilterExpression(eb, filter))
      .where('iocs.version', '>', cursor)
      .where('iocs.version', '<=', head)
      .orderBy('iocs.version', 'asc')
      .limit(pageRows)
      .execute();
    const rows: PushRow[] = found.map((r) => ({ version: Number(r.version), updated_at: r.updated_at, doc: r.doc }));
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (!last || rows.length < pageRows) return;
    cursor = last.version;
  }
}

/** Versions after `after` matching `filter` (what the destination has still to receive). */
export async function pendingCount(store: Store, filter: IocFilter, after: number): Promise<number> {
  const row = await store.db
    .selectFrom('iocs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => iocFilterExpression(eb, filter))
    .where('iocs.version', '>', after)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** `updated_at` of the oldest version the destination has still to receive, or null. */
export async function oldestPending(store: Store, filter: IocFilter, after: number): Promise<string | null> {
  const rows = await store.listIocs({ ...filter, afterVersion: after, limit: 1 });
  return rows[0]?.updated_at ?? null;
}
