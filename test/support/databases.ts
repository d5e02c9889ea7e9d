import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { requireDependency } from './require.js';

/**
 * The databases every store/API suite runs against: a fresh SQLite file and, when
 * DATABASE_URL_PG names a PostgreSQL server (a role allowed to CREATE DATABASE), a fresh
 * database on it. Under CI=true a missing DATABASE_URL_PG fails.
 */
export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  url: string;
  drop(): Promise<void>;
}

const pgUrl = process.env.DATABASE_URL_PG;
export const hasPostgres = requireDependency('PostgreSQL', Boolean(pgUrl), 'set DATABASE_URL_PG=postgres://user:pass@host/db');

export const DATABASE_KINDS: Array<'sqlite' | 'postgres'> = hasPostgres ? ['sqlite', 'postgres'] : ['sqlite'];

export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'socd-test-'));
    return {
      name: 'sqlite',
      url: join(dir, 'socd.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!pgUrl) throw new Error('DATABASE_URL_PG is not set');
  const dbName = `socd_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${dbName}`;
  return {
    name: 'postgres',
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    },
  };
}
