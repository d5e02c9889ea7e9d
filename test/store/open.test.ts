import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.js';
import { openStore } from '../../src/store/open.js';
import { withStatementCache } from '../../src/store/sqlite-database.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { candidate } from './candidates.js';
import { useTestStore } from './test-store.js';

describe('openStore (SQLite)', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'socd-open-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('creates the folder and opens in WAL mode with the documented pragmas', async () => {
    const path = join(tempDir(), 'nested', 'deeper', 'socd.db');
    const store = await openStore(path);
    try {
      await store.migrate();
      expect(store.dialect).toBe('sqlite');
      expect(existsSync(path)).toBe(true);
      const pragma = async (name: string) => Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(store.db)).rows[0] ?? {})[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(1); // NORMAL
      expect(await pragma('foreign_keys')).toBe(1);
      expect(Number(await pragma('busy_timeout'))).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('opens read-only: reads work, writes fail', async () => {
    const path = join(tempDir(), 'socd.db');
    const writer = await openStore(path);
    await writer.migrate();
    await writer.upsertBatch([candidate()], { now: new Date('2026-01-03T00:00:00Z'), ttlDays: {} });
    const reader = await openStore(path, { readonly: true });
    try {
      expect(await reader.findByValue('domain', 'evil.example')).toMatchObject({ version: 1 });
      await expect(reader.upsertBatch([candidate({ tags: ['x'] })], { now: new Date(), ttlDays: {} })).rejects.toThrow(/readonly/i);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it.each(['', '   ', 'mysql://localhost/socd', 'https://example.com/db'])('rejects %j with a coded error', async (url) => {
    const err = await openStore(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('invalid_database_url');
  });
});

describe('withStatementCache', () => {
  it('prepares each SQL text once and evicts the least recently used', () => {
    const db = new BetterSqlite3(':memory:');
    let prepared = 0;
    const counting = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === 'prepare') {
          return (text: string) => {
            prepared++;
            return target.prepare(text);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const cached = withStatementCache(counting, 2);
    const a = cached.prepare('select 1');
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 2');
    cached.prepare('select 1'); // touch: 'select 2' is now the oldest
    cached.prepare('select 3'); // evicts 'select 2'
    expect(prepared).toBe(3);
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 2');
    expect(prepared).toBe(4);
    cached.close();
  });
});

describe.each(DATABASE_KINDS.filter((k) => k === 'postgres'))('openStore (%s)', (kind) => {
  const t = useTestStore(kind);

  it('opens read-only: reads work, writes fail', async () => {
    await t.store().upsertBatch([candidate()], { now: new Date('2026-01-03T00:00:00Z'), ttlDays: {} });
    const reader = await openStore(t.url(), { readonly: true });
    try {
      expect(reader.dialect).toBe('postgres');
      expect(await reader.findByValue('domain', 'evil.example')).toMatchObject({ version: 1 });
      await expect(reader.upsertBatch([candidate({ tags: ['x'] })], { now: new Date(), ttlDays: {} })).rejects.toThrow(/read-only/i);
    } finally {
      await reader.close();
    }
  });
});
