/**
 * What a push run reads from the store: the IOC versions after a checkpoint that match the
 * destination's filter, in version order, a page at a time, up to the last version that existed
 * when the run started (versions written meanwhile wait for the next run, so a run always ends).
 */
import { iocFilterExpression } from '../store/ioc-queries.js';
import type { IocFilter, IocPageRow, Store } from '../store/store.js';

/** Rows per store read: large enough that reading is a small share of a push. */
export const PAGE_ROWS = 5000;

/** The last version number handed out (0 for an empty store). */
export async function headVersion(store: Store): Promise<number> {
  const row = await store.db.selectFrom('counters').select('value').where('name', '=', 'ioc_version').executeTakeFirst();
  return Number(row?.value ?? 0);
}

/** Pages of versions in (after, head], ascending. */
export async function* versionsAfter(store: Store, filter: IocFilter, after: number, head: number, pageRows = PAGE_ROWS): AsyncGenerator<IocPageRow[]> {
  let cursor = after;
  while (cursor < head) {
    const rows = await store.listIocs({ ...filter, afterVersion: cursor, limit: pageRows });
    let end = rows.length;
    while (end > 0 && (rows[end - 1] as IocPageRow).version > head) end--;
    if (end > 0) yield end === rows.length ? rows : rows.slice(0, end);
    if (end < rows.length || rows.length < pageRows) return;
    cursor = (rows[end - 1] as IocPageRow).version;
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
