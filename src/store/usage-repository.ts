import { CompiledQuery, SqliteAdapter, sql, type Kysely } from 'kysely';
import { MemoryQuotaCounter, type CounterDelta } from './quota-memory-counter.js';
import type { Database } from './schema.js';

/**
 * `usage_counters.count` is kept in tenths of a request, so fractional costs (a TAXII object
 * pull costs 2.5) are counted exactly in integers.
 */
export const COST_UNITS_PER_REQUEST = 10;

export type QuotaWindow = 'minute' | 'day';

export interface WindowState {
  window: QuotaWindow;
  /** Requests counted in this window, after this one if it was allowed. */
  used: number;
  limit: number;
  /** Start of the next window (ISO), when the count starts again from zero. */
  resetsAt: string;
}

export interface ConsumeResult {
  allowed: boolean;
  /** The window that refused the request, when it was refused. */
  exceeded: QuotaWindow | null;
  minute: WindowState;
  day: WindowState;
}

export interface RequestLogEntry {
  key_id: string;
  ts: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
}

/** The last boundaries computed per window: every request of a minute asks for the same ones. */
const lastBounds: Record<QuotaWindow, { index: number; start: string; next: string }> = {
  minute: { index: -1, start: '', next: '' },
  day: { index: -1, start: '', next: '' },
};

/** UTC window boundaries of `now`: start of this minute/day and start of the next. */
export function windowBounds(now: Date, window: QuotaWindow): { start: string; next: string } {
  const size = window === 'minute' ? 60_000 : 86_400_000;
  const index = Math.floor(now.getTime() / size);
  const memo = lastBounds[window];
  if (memo.index !== index) {
    memo.index = index;
    memo.start = new Date(index * size).toISOString();
    memo.next = new Date((index + 1) * size).toISOString();
  }
  return { start: memo.start, next: memo.next };
}

/** How often the SQLite path saves its in-memory counts to `usage_counters`. */
export const QUOTA_FLUSH_INTERVAL_MS = 1000;

/** Multi-row upserts of the write-behind flush stay far below SQLite's bound-parameter limit (4 a row). */
const FLUSH_ROWS_PER_STATEMENT = 500;

/**
 * Exact per-key request counting. The two dialects count differently, with the same results:
 *
 * - PostgreSQL (several `socd serve` processes share the counters): one atomic statement per
 *   request, below.
 * - SQLite (exactly one process owns the database, DESIGN.md §9): counted exactly in process
 *   memory (quota-memory-counter.ts; atomic because the check and increment are synchronous) and
 *   saved to `usage_counters` write-behind, every QUOTA_FLUSH_INTERVAL_MS and on close(), in one
 *   transaction; a key's counts are loaded from the table on its first request of a window, so a
 *   restart continues the count. A synchronous write per request blocked the event loop (about
 *   25 µs, plus disk stalls). Readers of the table call flush() first to see every count;
 *   current() does so itself.
 *
 * The PostgreSQL statement:
 *
 *   INSERT INTO usage_counters VALUES (key, 'minute', m0, cost), (key, 'day', d0, cost)
 *   ON CONFLICT DO UPDATE SET count = count + cost
 *     WHERE count + cost <= (the limit of that row's window)
 *   RETURNING window, count
 *
 * A window at its limit is left untouched and returns no row. The request is allowed when both
 * rows come back. When only one does, the other window refused it: that one increment is taken
 * back, so a refused request never consumes quota. Concurrent requests of one key serialize on
 * the rows (PostgreSQL row locks, SQLite's single writer), in every process sharing the
 * database, so no two requests can both take the last unit. A take-back is pending only for a
 * request that one window already refused, and the same window refuses every other request of
 * that key too, so it cannot make another request fail (except across a window boundary).
 */
export class UsageRepository {
  private readonly upsertSql: string;
  private readonly takeBackSql: string;
  /** The SQLite path's counter; null on PostgreSQL. */
  private readonly memory: MemoryQuotaCounter | null;
  private flushTimer: NodeJS.Timeout | null = null;

  /** `inMemory` defaults to true on SQLite, false on PostgreSQL (which several processes share). */
  constructor(
    private readonly db: Kysely<Database>,
    options: { inMemory?: boolean } = {},
  ) {
    const inMemory = options.inMemory ?? db.getExecutor().adapter instanceof SqliteAdapter;
    this.memory = inMemory
      ? new MemoryQuotaCounter({
          load: async (keyId, minuteStart, dayStart) => this.readTable(keyId, minuteStart, dayStart),
          save: async (deltas) => this.saveDeltas(deltas),
        })
      : null;
    // Compiled once: the quota check runs on every request. Parameters, in order:
    // key, 'minute', minute start, cost, key, 'day', day start, cost, minute limit, day limit.
    this.upsertSql = db
      .insertInto('usage_counters')
      .values([
        { key_id: '', window: 'minute', window_start: '', count: 0 },
        { key_id: '', window: 'day', window_start: '', count: 0 },
      ])
      .onConflict((oc) =>
        oc
          .columns(['key_id', 'window', 'window_start'])
          .doUpdateSet({ count: sql<number>`usage_counters.count + excluded.count` })
          .where(
            sql<number>`usage_counters.count + excluded.count`,
            '<=',
            // Casts: PostgreSQL would type two bare parameters of a CASE as text.
            sql<number>`case when usage_counters.window = 'minute' then cast(${0} as bigint) else cast(${0} as bigint) end`,
          ),
      )
      .returning(['window', 'count'])
      .compile().sql;
    // Parameters: cost, key, window, window start.
    this.takeBackSql = db
      .updateTable('usage_counters')
      .set({ count: sql<number>`count - ${0}` })
      .where('key_id', '=', '')
      .where('window', '=', '')
      .where('window_start', '=', '')
      .compile().sql;
  }

  /**
   * Count one request of `costUnits` tenths against both windows, or refuse it.
   * Limits are in whole requests.
   */
  async consume(keyId: string, costUnits: number, limits: { minute: number; day: number }, now: Date): Promise<ConsumeResult> {
    const minute = windowBounds(now, 'minute');
    const day = windowBounds(now, 'day');
    const minuteLimit = limits.minute * COST_UNITS_PER_REQUEST;
    const dayLimit = limits.day * COST_UNITS_PER_REQUEST;
    const state = (window: QuotaWindow, units: number, limit: number, next: string): WindowState => ({
      window,
      used: units / COST_UNITS_PER_REQUEST,
      limit: limit / COST_UNITS_PER_REQUEST,
      resetsAt: next,
    });
    // A fresh row is inserted without the limit check: refuse a cost above a whole window up front.
    if (costUnits > minuteLimit || costUnits > dayLimit) {
      const exceeded: QuotaWindow = costUnits > minuteLimit ? 'minute' : 'day';
      return {
        allowed: false,
        exceeded,
        minute: state('minute', minuteLimit, minuteLimit, minute.next),
        day: state('day', exceeded === 'day' ? dayLimit : 0, dayLimit, day.next),
      };
    }
    if (this.memory) {
      this.startFlushTimer();
      const counted = await this.memory.consume(keyId, costUnits, { minute: minuteLimit, day: dayLimit }, minute.start, day.start);
      if (counted.minuteUnits !== null && counted.dayUnits !== null) {
        return {
          allowed: true,
          exceeded: null,
          minute: state('minute', counted.minuteUnits, minuteLimit, minute.next),
          day: state('day', counted.dayUnits, dayLimit, day.next),
        };
      }
      // Nothing was counted: no take-back needed.
      return {
        allowed: false,
        exceeded: counted.minuteUnits === null ? 'minute' : 'day',
        minute: state('minute', counted.minuteUnits ?? minuteLimit, minuteLimit, minute.next),
        day: state('day', counted.dayUnits ?? dayLimit, dayLimit, day.next),
      };
    }
    const { rows } = await this.db.executeQuery<{ window: string; count: number | string }>(
      CompiledQuery.raw(this.upsertSql, [
        keyId,
        'minute',
        minute.start,
        costUnits,
        keyId,
        'day',
        day.start,
        costUnits,
        minuteLimit,
        dayLimit,
      ]),
    );
    let minuteUnits: number | null = null;
    let dayUnits: number | null = null;
    for (const r of rows) {
      if (r.window === 'minute') minuteUnits = Number(r.count);
      else dayUnits = Number(r.count);
    }
    if (minuteUnits !== null && dayUnits !== null) {
      return {
        allowed: true,
        exceeded: null,
        minute: state('minute', minuteUnits, minuteLimit, minute.next),
        day: state('day', dayUnits, dayLimit, day.next),
      };
    }
    // Refused by at least one window: take back the increment of a window that accepted it.
    if (minuteUnits !== null) {
      await this.db.executeQuery(CompiledQuery.raw(this.takeBackSql, [costUnits, keyId, 'minute', minute.start]));
      minuteUnits -= costUnits;
    }
    if (dayUnits !== null) {
      await this.db.executeQuery(CompiledQuery.raw(this.takeBackSql, [costUnits, keyId, 'day', day.start]));
      dayUnits -= costUnits;
    }
    const exceeded: QuotaWindow = minuteUnits === null ? 'minute' : 'day';
    return {
      allowed: false,
      exceeded,
      minute: state('minute', minuteUnits ?? minuteLimit, minuteLimit, minute.next),
      day: state('day', dayUnits ?? dayLimit, dayLimit, day.next),
    };
  }

  /**
   * Tenths counted for a key in the current minute and day windows. On SQLite this saves the
   * in-memory counts first, so table reads that follow (daily series) see them too.
   */
  async current(keyId: string, now: Date): Promise<{ minuteUnits: number; dayUnits: number }> {
    const minute = windowBounds(now, 'minute');
    const day = windowBounds(now, 'day');
    if (this.memory) {
      await this.flush();
      return this.memory.current(keyId, minute.start, day.start);
    }
    return this.readTable(keyId, minute.start, day.start);
  }

  /**
   * Save the counts held in memory (SQLite) to `usage_counters`: afterwards the table holds every
   * request counted before the call. A no-op on PostgreSQL, which counts in the table.
   */
  async flush(): Promise<void> {
    await this.memory?.flush();
  }

  /** Stop the write-behind timer and save what is left (the API calls it on close). */
  async close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushTimer = null;
    await this.flush();
  }

  private startFlushTimer(): void {
    if (this.flushTimer) return;
    // A failed flush keeps its increments pending; the next tick (or close) retries them.
    this.flushTimer = setInterval(() => void this.flush().catch(() => undefined), QUOTA_FLUSH_INTERVAL_MS);
    // The timer alone must not keep a process (a CLI command, a test) alive.
    this.flushTimer.unref();
  }

  /** One transaction: each delta added to its row, inserted when absent. */
  private async saveDeltas(deltas: readonly CounterDelta[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < deltas.length; i += FLUSH_ROWS_PER_STATEMENT) {
        await trx
          .insertInto('usage_counters')
          .values(
            deltas.slice(i, i + FLUSH_ROWS_PER_STATEMENT).map((d) => ({
              key_id: d.keyId,
              window: d.window,
              window_start: d.windowStart,
              count: d.units,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['key_id', 'window', 'window_start']).doUpdateSet({ count: sql<number>`usage_counters.count + excluded.count` }),
          )
          .execute();
      }
    });
  }

  /** Tenths stored in the table for a key's minute and day windows starting at these instants. */
  private async readTable(keyId: string, minuteStart: string, dayStart: string): Promise<{ minuteUnits: number; dayUnits: number }> {
    const rows = await this.db
      .selectFrom('usage_counters')
      .select(['window', 'count'])
      .where('key_id', '=', keyId)
      .where((eb) =>
        eb.or([
          eb.and([eb('window', '=', 'minute'), eb('window_start', '=', minuteStart)]),
          eb.and([eb('window', '=', 'day'), eb('window_start', '=', dayStart)]),
        ]),
      )
      .execute();
    let minuteUnits = 0;
    let dayUnits = 0;
    for (const r of rows) {
      if (r.window === 'minute') minuteUnits = Number(r.count);
      else dayUnits = Number(r.count);
    }
    return { minuteUnits, dayUnits };
  }

  /** Requests (in whole requests, possibly fractional) a key used this minute and this UTC day. */
  async currentRequests(keyId: string, now: Date): Promise<{ minute: number; day: number }> {
    const c = await this.current(keyId, now);
    return { minute: c.minuteUnits / COST_UNITS_PER_REQUEST, day: c.dayUnits / COST_UNITS_PER_REQUEST };
  }

  /** Append request-log rows in one statement (the API buffers them and flushes about once a second). */
  async logRequests(entries: readonly RequestLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // Stay well below both dialects' bound-parameter limits (6 columns a row).
    for (let i = 0; i < entries.length; i += 500) {
      await this.db
        .insertInto('request_log')
        .values(entries.slice(i, i + 500).map((e) => ({ ...e })))
        .execute();
    }
  }

  /**
   * Delete request-log rows logged before `before` (ISO), looking at no more than `maxRows` of the
   * oldest rows (ids grow with time), so a call costs a bounded index walk whether or not there
   * is anything to delete; no index on `ts` is needed. Returns the rows deleted.
   */
  async pruneRequestLog(before: string, maxRows: number): Promise<number> {
    const oldest = this.db.selectFrom('request_log').select(['id', 'ts']).orderBy('id').limit(maxRows).as('oldest');
    const result = await this.db
      .deleteFrom('request_log')
      .where('id', 'in', this.db.selectFrom(oldest).select('oldest.id').where('oldest.ts', '<', before))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Drop counters of windows that ended before `before` (ISO); they can never be read again. */
  async pruneCounters(before: string): Promise<void> {
    await this.db
      .deleteFrom('usage_counters')
      .where('window', '=', 'minute')
      .where('window_start', '<', before)
      .execute();
  }
}
