/**
 * The SQLite quota path: exact counting in memory (store/quota-memory-counter.ts) with
 * write-behind persistence, alone over an in-memory table and through UsageRepository on a
 * real SQLite database (restart continues the count).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import {
  MemoryQuotaCounter,
  type CounterDelta,
  type CounterPersistence,
} from '../../src/store/quota-memory-counter.js';
import type { Store } from '../../src/store/store.js';
import { COST_UNITS_PER_REQUEST, UsageRepository, windowBounds } from '../../src/store/usage-repository.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const M0 = '2026-01-05T10:00:00.000Z';
const M1 = '2026-01-05T10:01:00.000Z';
const D0 = '2026-01-05T00:00:00.000Z';

/** A fake `usage_counters`: rows by key/window/start, plus a log of the calls made. */
function fakeTable(): CounterPersistence & { rows: Map<string, number>; loads: number; saves: CounterDelta[][]; delayLoad: number } {
  const rows = new Map<string, number>();
  const t = {
    rows,
    loads: 0,
    saves: [] as CounterDelta[][],
    delayLoad: 0,
    async load(keyId: string, minuteStart: string, dayStart: string) {
      t.loads++;
      if (t.delayLoad > 0) await new Promise((r) => setTimeout(r, t.delayLoad));
      return { minuteUnits: rows.get(`${keyId}|minute|${minuteStart}`) ?? 0, dayUnits: rows.get(`${keyId}|day|${dayStart}`) ?? 0 };
    },
    async save(deltas: readonly CounterDelta[]) {
      t.saves.push([...deltas]);
      for (const d of deltas) {
        const k = `${d.keyId}|${d.window}|${d.windowStart}`;
        rows.set(k, (rows.get(k) ?? 0) + d.units);
      }
    },
  };
  return t;
}

describe('MemoryQuotaCounter', () => {
  it('counts fractional costs in tenths and refuses, without counting, what does not fit', async () => {
    const c = new MemoryQuotaCounter(fakeTable());
    const limits = { minute: 1000, day: 100 };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await c.consume('k', 25, limits, M0, D0));
    expect(results.map((r) => [r.minuteUnits, r.dayUnits])).toEqual([
      [25, 25],
      [50, 50],
      [75, 75],
      [100, 100],
      [100, null],
    ]);
    // A whole request does not fit either.
    expect(await c.consume('k', 10, limits, M0, D0)).toEqual({ minuteUnits: 100, dayUnits: null });
    expect(await c.current('k', M0, D0)).toEqual({ minuteUnits: 100, dayUnits: 100 });
  });

  it('starts a new minute from zero while the day keeps counting', async () => {
    const c = new MemoryQuotaCounter(fakeTable());
    const limits = { minute: 20, day: 50 };
    expect(await c.consume('k', 10, limits, M0, D0)).toEqual({ minuteUnits: 10, dayUnits: 10 });
    expect(await c.consume('k', 10, limits, M0, D0)).toEqual({ minuteUnits: 20, dayUnits: 20 });
    expect(await c.consume('k', 10, limits, M0, D0)).toEqual({ minuteUnits: null, dayUnits: 20 });
    expect(await c.consume('k', 10, limits, M1, D0)).toEqual({ minuteUnits: 10, dayUnits: 30 });
    expect(await c.consume('k', 10, limits, M1, D0)).toEqual({ minuteUnits: 20, dayUnits: 40 });
    expect(await c.consume('k', 10, limits, M1, D0)).toEqual({ minuteUnits: null, dayUnits: 40 });
    // Other keys count apart.
    expect(await c.consume('other', 10, limits, M1, D0)).toEqual({ minuteUnits: 10, dayUnits: 10 });
  });

  it('lets exactly the remaining quota through among concurrent first requests, loading once', async () => {
    const table = fakeTable();
    table.rows.set(`k|day|${D0}`, 200);
    table.delayLoad = 20;
    const c = new MemoryQuotaCounter(table);
    const results = await Promise.all(Array.from({ length: 50 }, () => c.consume('k', 10, { minute: 10_000, day: 300 }, M0, D0)));
    expect(results.filter((r) => r.dayUnits !== null)).toHaveLength(10);
    expect(table.loads).toBe(1);
  });

  it('saves only unsaved increments, in one batch, and a restart continues the count', async () => {
    const table = fakeTable();
    const limits = { minute: 1000, day: 1000 };
    const c = new MemoryQuotaCounter(table);
    for (let i = 0; i < 3; i++) await c.consume('k', 25, limits, M0, D0);
    expect(table.rows.size).toBe(0); // write-behind: nothing saved yet
    await c.flush(new Date(M0));
    expect(table.saves).toHaveLength(1);
    expect(table.rows.get(`k|minute|${M0}`)).toBe(75);
    expect(table.rows.get(`k|day|${D0}`)).toBe(75);
    await c.flush(new Date(M0));
    expect(table.saves).toHaveLength(1); // nothing pending: no write
    await c.consume('k', 10, limits, M0, D0);
    await c.flush(new Date(M0));
    expect(table.rows.get(`k|day|${D0}`)).toBe(85);

    // A new process over the same table picks the count up.
    const restarted = new MemoryQuotaCounter(table);
    expect(await restarted.consume('k', 10, limits, M0, D0)).toEqual({ minuteUnits: 95, dayUnits: 95 });
    await restarted.flush(new Date(M0));
    expect(table.rows.get(`k|day|${D0}`)).toBe(95);
  });

  it('keeps increments made during a save, and those of a failed save, for the next flush', async () => {
    const table = fakeTable();
    const limits = { minute: 1000, day: 1000 };
    let fail = true;
    const c = new MemoryQuotaCounter({
      load: (k, m, d) => table.load(k, m, d),
      save: async (deltas) => {
        if (fail) throw new Error('disk full');
        await table.save(deltas);
      },
    });
    await c.consume('k', 10, limits, M0, D0);
    await expect(c.flush(new Date(M0))).rejects.toThrow('disk full');
    fail = false;
    const flushing = c.flush(new Date(M0));
    await c.consume('k', 10, limits, M0, D0); // counted while the flush is queued or under way
    await flushing;
    await c.flush(new Date(M0));
    expect(table.rows.get(`k|day|${D0}`)).toBe(20);
  });

  it('forgets saved windows once they have ended', async () => {
    const c = new MemoryQuotaCounter(fakeTable());
    await c.consume('k', 10, { minute: 100, day: 100 }, M0, D0);
    expect(c.size).toBe(2);
    await c.flush(new Date(M0));
    expect(c.size).toBe(2);
    await c.flush(new Date(M1)); // the minute M0 has ended; the day has not
    expect(c.size).toBe(1);
  });
});

describe('UsageRepository on SQLite (in-memory count, write-behind)', () => {
  let db: TestDatabase | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    await db?.drop();
  });

  async function stored(s: Store, keyId: string, now: Date): Promise<number> {
    const row = await s.db
      .selectFrom('usage_counters')
      .select('count')
      .where('key_id', '=', keyId)
      .where('window', '=', 'day')
      .where('window_start', '=', windowBounds(now, 'day').start)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  it('counts in memory, saves on flush and close, and continues after a restart', async () => {
    db = await createTestDatabase('sqlite');
    store = await openStore(db.url);
    await store.migrate();
    const now = new Date();
    const limits = { minute: 1000, day: 4 };
    const usage = new UsageRepository(store.db);
    expect((await usage.consume('k', 25, limits, now)).allowed).toBe(true);
    expect(await stored(store, 'k', now)).toBe(0);
    await usage.flush();
    expect(await stored(store, 'k', now)).toBe(25);
    expect((await usage.consume('k', COST_UNITS_PER_REQUEST, limits, now)).allowed).toBe(true);
    await usage.close();
    expect(await stored(store, 'k', now)).toBe(35);

    const restarted = new UsageRepository(store.db);
    expect(await restarted.currentRequests('k', now)).toEqual({ minute: 3.5, day: 3.5 });
    const refused = await restarted.consume('k', COST_UNITS_PER_REQUEST, limits, now);
    expect(refused).toMatchObject({ allowed: false, exceeded: 'day', day: { used: 4, limit: 4 }, minute: { used: 3.5 } });
    const last = await restarted.consume('k', 5, limits, now);
    expect(last).toMatchObject({ allowed: true, day: { used: 4 } });
    await restarted.close();
    expect(await stored(store, 'k', now)).toBe(40);
  });
});
