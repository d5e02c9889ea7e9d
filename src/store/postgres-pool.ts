import { PostgresDialect } from 'kysely';
import pg from 'pg';

/**
 * PostgreSQL through a pg Pool and Kysely's PostgresDialect. BIGINT (int8, also what COUNT
 * returns) is read as a JS number: versions and counters stay far below 2^53.
 */

const INT8_OID = 20;

/** This pool's type parsers: pg's own, except int8 → number (set per pool, not globally). */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as typeof pg.types;

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

/** A pool on `url`; with `readonly`, every transaction is read-only (a replica, a reporting role). */
export function openPostgresDialect(url: string, readonly: boolean): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    types,
    ...(readonly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle client losing its server (restart, failover) must not crash the process; the
  // next query gets a fresh client.
  pool.on('error', () => undefined);
  return { dialect: new PostgresDialect({ pool }), pool };
}
