/**
 * Exact quota counting in process memory, persisted write-behind: the SQLite path of
 * UsageRepository (DESIGN.md §9: on SQLite exactly one `socd serve` process owns the database,
 * so its memory is the single source of truth for the counts and a synchronous write per
 * request, which blocks the event loop, buys nothing). PostgreSQL keeps the atomic per-request
 * upsert, because several processes share its counters.
 *
 * Atomicity: Node runs JavaScript on one thread, and the check and the increment of `consume`
 * happen in one synchronous stretch (no await between them), so no two requests can both take
 * the last unit. The only await is the lazy load of a key's window counts from the table on its
 * first request in that window (so a restart continues the count), and it happens before the check.
 */

export type CounterWindow = 'minute' | 'day';

/** Tenths to add to one `usage_counters` row. */
export interface CounterDelta {
  keyId: string;
  window: CounterWindow;
  windowStart: string;
  units: number;
}

/** Where the counts persist: the table reads and the write-behind batch (one transaction). */
export interface CounterPersistence {
  /** Tenths stored for the key's rows of these two windows (0 when absent). */
  load(keyId: string, minuteStart: string, dayStart: string): Promise<{ minuteUnits: number; dayUnits: number }>;
  /** Add every delta to its row (insert when absent), all in one transaction. */
  save(deltas: readonly CounterDelta[]): Promise<void>;
}

/** The outcome per window, as the SQL upsert returns it: the count after this request, or null when that window refused it. */
export interface CountedUnits {
  minuteUnits: number | null;
  dayUnits: number | null;
}

interface Entry {
  keyId: string;
  window: CounterWindow;
  windowStart: string;
  /** Tenths counted in this window (loaded + counted here). */
  units: number;
  /** Tenths counted here and not yet saved. */
  pending: number;
}

const WINDOW_MS: Record<CounterWindow, number> = { minute: 60_000, day: 86_400_000 };

function entryKey(keyId: string, window: CounterWindow, windowStart: string): string {
  return `${keyId}\u0000${window}\u0000${windowStart}`;
}

export class MemoryQuotaCounter {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<void>>();
  /** Serializes flushes: a flush started after an increment always saves it. */
  private flushChain: Promise<void> = Promise.resolve();

  constructor(private readonly persistence: CounterPersistence) {}

  /**
   * Count `costUnits` against both windows when both have room (limits in tenths), or count
   * nothing. `minuteStart`/`dayStart` are the ISO starts of the windows `now` falls in.
   */
  async consume(
    keyId: string,
    costUnits: number,
    limitUnits: { minute: number; day: number },
    minuteStart: string,
    dayStart: string,
  ): Promise<CountedUnits> {
    const mKey = entryKey(keyId, 'minute', minuteStart);
    const dKey = entryKey(keyId, 'day', dayStart);
    if (!this.entries.has(mKey) || !this.entries.has(dKey)) await this.load(keyId, minuteStart, dayStart);
    // From here to the return: synchronous, so check and increment are one atomic step.
    const minute = this.entries.get(mKey);
    const day = this.entries.get(dKey);
    if (!minute || !day) throw new Error('quota counter: window counts missing after load');
    const minuteFits = minute.units + costUnits <= limitUnits.minute;
    const dayFits = day.units + costUnits <= limitUnits.day;
    if (minuteFits && dayFits) {
      minute.units += costUnits;
      minute.pending += costUnits;
      day.units += costUnits;
      day.pending += costUnits;
    }
    return {
      // Mirrors the SQL path: a window that refused returns no count; the other is left as it was.
      minuteUnits: minuteFits ? minute.units : null,
      dayUnits: dayFits ? day.units : null,
    };
  }

  /** Tenths counted for the key in these windows, memory first (loads the table when unknown). */
  async current(keyId: string, minuteStart: string, dayStart: string): Promise<{ minuteUnits: number; dayUnits: number }> {
    const mKey = entryKey(keyId, 'minute', minuteStart);
    const dKey = entryKey(keyId, 'day', dayStart);
    if (!this.entries.has(mKey) || !this.entries.has(dKey)) await this.load(keyId, minuteStart, dayStart);
    return { minuteUnits: this.entries.get(mKey)?.units ?? 0, dayUnits: this.entries.get(dKey)?.units ?? 0 };
  }

  /**
   * Save every unsaved increment in one transaction. Resolves once all increments made before
   * the call are in the table; on failure they stay pending for the next flush.
   */
  flush(now: Date = new Date()): Promise<void> {
    const run = this.flushChain.then(() => this.flushOnce(now));
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  /** Entries held in memory (for tests and monitoring). */
  get size(): number {
    return this.entries.size;
  }

  private async flushOnce(now: Date): Promise<void> {
    const batch: Array<{ entry: Entry; units: number }> = [];
    for (const entry of this.entries.values()) if (entry.pending > 0) batch.push({ entry, units: entry.pending });
    if (batch.length > 0) {
      await this.persistence.save(
        batch.map(({ entry, units }) => ({ keyId: entry.keyId, window: entry.window, windowStart: entry.windowStart, units })),
      );
      // Increments made while saving stay pending for the next flush.
      for (const { entry, units } of batch) entry.pending -= units;
    }
    // Forget saved windows that have ended: they are never counted again.
    const t = now.getTime();
    for (const [k, entry] of this.entries) {
      if (entry.pending === 0 && Date.parse(entry.windowStart) + WINDOW_MS[entry.window] <= t) this.entries.delete(k);
    }
  }

  /** Load the key's two window counts once, however many of its requests wait for them. */
  private load(keyId: string, minuteStart: string, dayStart: string): Promise<void> {
    const loadKey = `${keyId}\u0000${minuteStart}\u0000${dayStart}`;
    let pending = this.loading.get(loadKey);
    if (!pending) {
      pending = this.persistence
        .load(keyId, minuteStart, dayStart)
        .then((stored) => {
          // A window already in memory is newer than the table (its increments may be unsaved).
          this.adopt(keyId, 'minute', minuteStart, stored.minuteUnits);
          this.adopt(keyId, 'day', dayStart, stored.dayUnits);
        })
        .finally(() => this.loading.delete(loadKey));
      this.loading.set(loadKey, pending);
    }
    return pending;
  }

  private adopt(keyId: string, window: CounterWindow, windowStart: string, units: number): void {
    const k = entryKey(keyId, window, windowStart);
    if (!this.entries.has(k)) this.entries.set(k, { keyId, window, windowStart, units, pending: 0 });
  }
}
