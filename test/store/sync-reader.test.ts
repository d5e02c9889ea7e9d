/**
 * SQLite's synchronous reads (Store.syncReader) serve the auth and lookup hot paths. They must
 * step aside while Kysely holds the connection (a transaction, or a query in flight), so a sync
 * read never sees rows a transaction has not committed; and the change stamp must move on any
 * write, by this connection or another, because the key cache trusts it. PostgreSQL has none.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/api/credentials.js';
import { KeysRepository } from '../../src/store/keys-repository.js';
import type { SyncReader } from '../../src/store/store.js';
import { createTestDatabase, hasPostgres } from '../support/databases.js';
import { numbered } from './candidates.js';
import { useTestStore } from './test-store.js';

const NOW = new Date('2026-05-01T00:00:00Z');
const COUNT_SQL = 'select count(*) as n from iocs';

function countNow(reader: SyncReader): number | undefined {
  return reader.all<{ n: number }>(COUNT_SQL, [])?.[0]?.n;
}

describe('SQLite sync reader', () => {
  const t = useTestStore('sqlite');

  it('reads at once when the connection is free, and steps aside inside a transaction', async () => {
    const store = t.store();
    const reader = store.syncReader;
    if (!reader) throw new Error('SQLite store without a sync reader');
    expect(countNow(reader)).toBe(0);
    let inside: number | undefined | 'unset' = 'unset';
    let stampInside: string | undefined | 'unset' = 'unset';
    await store.db.transaction().execute(async (trx) => {
      await sql`insert into counters (name, value) values ('sync_reader_probe', 1)`.execute(trx);
      inside = countNow(reader);
      stampInside = reader.changeStamp();
    });
    expect(inside).toBeUndefined();
    expect(stampInside).toBeUndefined();
    expect(countNow(reader)).toBe(0);
  });

  it('does not see what an open batch writer has not committed', async () => {
    const store = t.store();
    const reader = store.syncReader as SyncReader;
    const writer = store.openBatchWriter({ now: NOW, ttlDays: {} }, { maxOpenMs: 60_000 });
    await writer.write([numbered(1)]);
    // The writer's transaction stays open (its idle commit is 100 ms away): no sync read now.
    expect(countNow(reader)).toBeUndefined();
    await writer.close();
    expect(countNow(reader)).toBe(1);
  });

  it('moves its change stamp on a write through this connection and on a commit by another', async () => {
    const store = t.store();
    const reader = store.syncReader as SyncReader;
    const first = reader.changeStamp();
    expect(first).toBeDefined();
    expect(reader.changeStamp()).toBe(first);
    await store.upsertBatch([numbered(2)], { now: NOW, ttlDays: {} });
    const second = reader.changeStamp();
    expect(second).not.toBe(first);
    const other = await t.extra();
    await other.upsertBatch([numbered(3)], { now: NOW, ttlDays: {} });
    expect(reader.changeStamp()).not.toBe(second);
  });

  it('lets the key cache reuse a row until something is written, then reads it again', async () => {
    const store = t.store();
    const keys = new KeysRepository(store.db, store.syncReader);
    const userId = 'u1';
    await store.db
      .insertInto('users')
      .values({ id: userId, email: 'a@example.com', password_hash: 'x', role: 'member', plan: 'pro', created_at: NOW.toISOString(), disabled: 0 })
      .execute();
    const hash = hashApiKey('sk_live_' + 'a'.repeat(32));
    await keys.insert({ id: 'k1', userId, name: 'n', keyHash: hash, keyPrefix: 'sk_live_aaaa', plan: 'pro', scopes: ['read'], createdAt: NOW.toISOString(), expiresAt: null });
    const a = await keys.findByHash(hash);
    const b = await keys.findByHash(hash);
    expect(a).not.toBeNull();
    // Nothing written in between: the same remembered row.
    expect(b).toBe(a);
    const other = new KeysRepository((await t.extra()).db);
    await other.revoke('k1', 'leaked', NOW.toISOString());
    const c = await keys.findByHash(hash);
    expect(c).not.toBe(a);
    expect(c?.revoked_at).toBe(NOW.toISOString());
  });
});

describe.runIf(hasPostgres)('PostgreSQL store', () => {
  it('has no sync reader (a pool shared with other processes)', async () => {
    const database = await createTestDatabase('postgres');
    try {
      const { openStore } = await import('../../src/store/open.js');
      const store = await openStore(database.url);
      expect(store.syncReader).toBeNull();
      await store.close();
    } finally {
      await database.drop();
    }
  });
});
