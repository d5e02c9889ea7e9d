import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { formatMicros, parseStoredMicros } from './timestamps.js';

/**
 * Version stamps (DESIGN.md §5): a global sequence number and a microsecond timestamp, both
 * strictly increasing with every change. Call only inside a serialized write transaction.
 */
export interface VersionStamps {
  /** The i-th reserved version (0-based) and its `updated_at`. */
  version(i: number): number;
  updatedAt(i: number): string;
}

/**
 * Reserves `count` versions with one counter update and stamps them `max(now, last + 1µs)`,
 * one microsecond apart, so timestamps increase with versions even when the clock steps back.
 */
export async function reserveVersions(trx: Kysely<Database>, count: number, now: Date): Promise<VersionStamps> {
  const counter = await sql<{ value: number }>`update counters set value = value + ${count} where name = 'ioc_version' returning value`.execute(trx);
  const last = Number(counter.rows[0]?.value);
  if (!Number.isSafeInteger(last)) throw new Error('the ioc_version counter is missing: run migrate()');
  const first = last - count + 1;
  // The row with the highest version carries the latest timestamp (they increase together).
  const latest = await trx.selectFrom('iocs').select('updated_at').orderBy('version', 'desc').limit(1).executeTakeFirst();
  const nowMicros = now.getTime() * 1000;
  const base = latest ? Math.max(nowMicros, parseStoredMicros(latest.updated_at) + 1) : nowMicros;
  return {
    version: (i) => first + i,
    updatedAt: (i) => formatMicros(base + i),
  };
}
