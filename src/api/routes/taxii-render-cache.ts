/**
 * Rendered STIX objects kept by IOC version, so a page is rendered once however many pollers
 * (and collections) serve it, and the page after one a poller just fetched can be rendered while
 * the poller is still reading this one. A version is one immutable state of one IOC, so a cached
 * rendering never goes stale; rows are always read from the database, only their rendering is
 * reused. Bounded: the oldest entries go first.
 *
 * Eviction is by generation, not entry by entry: entries go into the young generation; when it
 * holds half the bound, it becomes the old generation and the previous old one is dropped whole.
 * Removing the oldest key of one Map per insert costs a scan over the deleted slots V8 keeps at
 * the front of the Map until it rehashes: thousands per insert once the cache is full, which
 * made paging 1M IOCs in process cost 26 µs an object with the cache against 12 µs without.
 * Dropping a generation is O(1) per entry.
 */
import type { TaxiiEntry } from './taxii-objects.js';

export class StixRenderCache {
  #young = new Map<number, TaxiiEntry>();
  #old = new Map<number, TaxiiEntry>();
  readonly #generation: number;
  readonly #inflight = new Map<string, Promise<void>>();

  /**
   * @param maxEntries rendered objects kept at most (about 1 KB each); the newest
   *   `maxEntries / 2` at least
   * @param maxReadAhead page renderings ahead of pollers at once
   */
  constructor(
    readonly maxEntries = 20_000,
    readonly maxReadAhead = 4,
  ) {
    this.#generation = Math.max(1, Math.floor(maxEntries / 2));
  }

  get(version: number): TaxiiEntry | undefined {
    return this.#young.get(version) ?? this.#old.get(version);
  }

  set(entry: TaxiiEntry): void {
    if (entry.json === null || entry.position <= 0) return;
    if (this.#young.size >= this.#generation) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(entry.position, entry);
  }

  /** Entries held (a version in both generations counts twice). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  /** The read-ahead rendering of `key` still running, if any (a request waits for it rather than render twice). */
  pending(key: string): Promise<void> | undefined {
    return this.#inflight.get(key);
  }

  /** Start `work` under `key` unless it runs already or too many run; errors only cost the cache. */
  readAhead(key: string, work: () => Promise<void>): void {
    if (this.#inflight.has(key) || this.#inflight.size >= this.maxReadAhead) return;
    const run = new Promise<void>((done) => setImmediate(done))
      .then(work)
      .catch(() => undefined)
      .finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, run);
  }
}
