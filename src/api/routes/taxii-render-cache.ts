/**
 * Rendered STIX objects kept by IOC version, so a page is rendered once however many pollers
 * (and collections) serve it, and the page after one a poller just fetched can be rendered while
 * the poller is still reading this one. A version is one immutable state of one IOC, so a cached
 * rendering never goes stale; rows are always read from the database, only their rendering is
 * reused. Bounded: the oldest entries go first.
 */
import type { TaxiiEntry } from './taxii-objects.js';

export class StixRenderCache {
  readonly #entries = new Map<number, TaxiiEntry>();
  readonly #inflight = new Map<string, Promise<void>>();

  /**
   * @param maxEntries rendered objects kept (about 1 KB each)
   * @param maxReadAhead page renderings ahead of pollers at once
   */
  constructor(
    readonly maxEntries = 20_000,
    readonly maxReadAhead = 4,
  ) {}

  get(version: number): TaxiiEntry | undefined {
    return this.#entries.get(version);
  }

  set(entry: TaxiiEntry): void {
    if (entry.json === null || entry.position <= 0) return;
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(entry.position, entry);
  }

  get size(): number {
    return this.#entries.size;
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
