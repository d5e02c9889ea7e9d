import { describe, expect, it } from 'vitest';
import { openBatchWriter, type CommitPolicy } from '../../src/store/ioc-writer.js';
import { postgresIocStatements } from '../../src/store/postgres-ioc-statements.js';
import { sqliteIocStatements } from '../../src/store/sqlite-ioc-statements.js';
import type { Store, UpsertContext } from '../../src/store/store.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { numbered } from './candidates.js';
import { useTestStore } from './test-store.js';

const ctx: UpsertContext = { now: new Date('2026-01-03T00:00:00.000Z'), ttlDays: {} };
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => numbered(from + i));

/** What another connection sees: only committed rows. */
async function committedTotal(reader: Store): Promise<number> {
  return (await reader.counts()).total;
}

describe.each(DATABASE_KINDS)('the batch writer on %s', (kind) => {
  const t = useTestStore(kind);
  const stmts = kind === 'postgres' ? postgresIocStatements : sqliteIocStatements;
  /** Commits only on close / abort unless a test says otherwise. */
  const never: CommitPolicy = { maxCandidates: Number.MAX_SAFE_INTEGER, maxOpenMs: 3_600_000, idleMs: 3_600_000 };

  it('keeps consecutive batches in one transaction until close, with versions in write order', async () => {
    const reader = await t.extra();
    const writer = openBatchWriter(t.store().db, stmts, ctx, never);
    expect(await writer.write(range(1, 4))).toEqual({ added: 3, updated: 0, unchanged: 0, allowlisted: 0 });
    // The second batch sees the first (same transaction): host-3 is an update, not an insert.
    expect(await writer.write([...range(3, 6)])).toMatchObject({ added: 2, unchanged: 1 });
    expect(await committedTotal(reader)).toBe(0);
    await writer.close();
    expect(await committedTotal(reader)).toBe(5);
    expect((await t.store().findByValue('domain', 'host-5.example'))?.version).toBe(5);
    await expect(writer.write(range(9, 10))).rejects.toThrow(/closed/);
  });

  it('abort rolls back everything not committed yet', async () => {
    const writer = openBatchWriter(t.store().db, stmts, ctx, never);
    await writer.write(range(1, 4));
    await writer.abort();
    expect(await committedTotal(t.store())).toBe(0);
    expect((await t.store().counts()).lastVersion).toBe(0);
  });

  it('commits once a transaction holds maxCandidates; a later abort keeps that commit', async () => {
    const reader = await t.extra();
    const writer = openBatchWriter(t.store().db, stmts, ctx, { ...never, maxCandidates: 4 });
    await writer.write(range(1, 3));
    expect(await committedTotal(reader)).toBe(0);
    await writer.write(range(3, 5));
    expect(await committedTotal(reader)).toBe(4);
    await writer.write(range(5, 7));
    await writer.abort();
    expect(await committedTotal(reader)).toBe(4);
  });

  it('commits when no batch arrives for idleMs, so a stalled input does not hold the write lock', async () => {
    const reader = await t.extra();
    const writer = openBatchWriter(t.store().db, stmts, ctx, { ...never, idleMs: 20 });
    await writer.write(range(1, 3));
    await expect.poll(() => committedTotal(reader), { timeout: 2000, interval: 25 }).toBe(2);
    // Another writer is not blocked once the idle commit ran.
    expect(await reader.upsertBatch(range(10, 11), ctx)).toMatchObject({ added: 1 });
    await writer.write(range(3, 4));
    await writer.close();
    expect(await committedTotal(reader)).toBe(4);
  });

  it('commits after the next write once the transaction has been open maxOpenMs (Store limits)', async () => {
    const reader = await t.extra();
    // Through the Store: the caller's limit overrides the default ~1 s; idle commits stay 100 ms
    // away while batches keep coming.
    const writer = t.store().openBatchWriter(ctx, { maxOpenMs: 40 });
    await writer.write(range(1, 3));
    expect(await committedTotal(reader)).toBe(0);
    await new Promise((done) => setTimeout(done, 60));
    await writer.write(range(3, 5));
    expect(await committedTotal(reader)).toBe(4);
    await writer.close();
  });
});
