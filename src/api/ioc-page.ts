/**
 * Reading one page of IOCs for a list or export route: the rows, whether more follow, the cursor
 * to continue from, and the filter's total. Small pages are one query; large ones (pro limits up
 * to 10,000) are streamed in chunks so a response never holds a whole page of documents twice.
 *
 * Losslessness: rows come in ascending version order. `nextCursor` is the version of the page's
 * last row, fixed before streaming (a probe at position limit-1). A row updated meanwhile moves
 * to a version above it and is read after the cursor, never lost and never repeated.
 */
import { CompiledQuery } from 'kysely';
import type { IocFilter, IocPageQuery, IocPageRow, Store } from '../store/store.js';

/** Rows per database read when streaming a large page. */
export const CHUNK_ROWS = 1000;

export interface PageRead {
  /** Version the next page starts after, or null when this page is empty and no cursor was given. */
  nextVersion: number | null;
  hasMore: boolean;
  /** All rows when the page was read at once; otherwise null and `stream` yields them. */
  rows: IocPageRow[] | null;
  stream: () => AsyncGenerator<IocPageRow[]>;
  /**
   * Renderings of `rows` by format (UTF-8 bytes), kept with a cached page so that pollers asking
   * for the same page share one rendering and the socket gets bytes, not a string to encode
   * (rendering and encoding 100 documents is most of a cached request's work).
   */
  rendered?: Map<string, Buffer>;
}

/** Read (or prepare to stream) the page `query` asks for. */
export async function readPage(store: Store, query: IocPageQuery): Promise<PageRead> {
  const limit = query.limit;
  if (limit <= CHUNK_ROWS) {
    const rows = await store.listIocs({ ...query, limit: limit + 1 });
    const hasMore = rows.length > limit;
    if (hasMore) rows.length = limit;
    const last = rows[rows.length - 1];
    const page = rows;
    return {
      nextVersion: last ? last.version : (query.afterVersion ?? null),
      hasMore,
      rows: page,
      stream: async function* () {
        yield page;
      },
    };
  }
  // Probe the page's last row (and the one after it) to fix the cursor before streaming.
  const probe = await store.listIocs({ ...query, offset: (query.offset ?? 0) + limit - 1, limit: 2 });
  const upper = probe[0]?.version ?? Number.POSITIVE_INFINITY;
  const hasMore = probe.length > 1;
  async function* stream(): AsyncGenerator<IocPageRow[]> {
    let sent = 0;
    let after = query.afterVersion;
    let first = true;
    while (sent < limit) {
      const q: IocPageQuery = { ...query, limit: Math.min(CHUNK_ROWS, limit - sent) };
      if (first) first = false;
      else {
        delete q.offset;
        if (after !== undefined) q.afterVersion = after;
      }
      const rows = await store.listIocs(q);
      let cut = rows.length;
      while (cut > 0 && (rows[cut - 1] as IocPageRow).version > upper) cut--;
      const chunk = cut === rows.length ? rows : rows.slice(0, cut);
      if (chunk.length > 0) yield chunk;
      sent += chunk.length;
      const last = chunk[chunk.length - 1];
      if (!last || cut < rows.length || rows.length < (q.limit as number)) break;
      after = last.version;
    }
  }
  if (Number.isFinite(upper)) return { nextVersion: upper, hasMore, rows: null, stream };
  // Fewer rows than the limit: the page is short, so read it at once (bounded by the limit).
  const rows: IocPageRow[] = [];
  for await (const chunk of stream()) rows.push(...chunk);
  const last = rows[rows.length - 1];
  return {
    nextVersion: last ? last.version : (query.afterVersion ?? null),
    hasMore: false,
    rows,
    stream: async function* () {
      yield rows;
    },
  };
}

/**
 * Filter totals (`meta.total`) cached per filter until the store's last version changes: exact,
 * and a count over a large table runs once per change instead of once per request. (Export
 * routes use it; the list route uses IocListCache, which also caches pages.)
 */
export class TotalsCache {
  private readonly cache: IocListCache;

  constructor(store: Store) {
    this.cache = new IocListCache(store);
  }

  async total(filter: IocFilter): Promise<number> {
    return this.cache.totalOf(filter);
  }
}

/** Bytes of cached page documents per process: about 350 pages of 100 IOCs. */
const PAGE_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Totals (`meta.total`) and small pages, cached per filter until the store's last version
 * changes. Exact: every change to an IOC takes a new version, and the version is read (one
 * primary-key row) on every request, so a write in any process is seen by the next request in
 * every process. A count over a large table then runs once per change, not once per request, and
 * pollers asking for the same page share one read. (A re-sighting that only advances
 * `last_seen`, without a new version, shows in cached pages after the next version.)
 */
export class IocListCache {
  private readonly versionSql: string;
  private cachedAt = -1;
  private readonly totals = new Map<string, number>();
  private readonly pages = new Map<string, { page: PageRead; bytes: number }>();
  private pageBytes = 0;

  constructor(private readonly store: Store) {
    this.versionSql = store.db.selectFrom('counters').select('value').where('name', '=', 'ioc_version').compile().sql;
  }

  /**
   * Drop everything cached when the store moved past the cached version (read here unless the
   * caller read it already). Only forward: a request that read an older version (in flight since
   * before a write) may use what newer requests cached, which is at least as new as it asked for.
   * (Restoring an older database under a running server therefore needs a restart.)
   */
  private async sync(knownVersion: number | null = null): Promise<void> {
    let version = knownVersion;
    if (version === null) {
      const r = await this.store.db.executeQuery<{ value: number | string }>(CompiledQuery.raw(this.versionSql, ['ioc_version']));
      version = Number(r.rows[0]?.value ?? 0);
    }
    if (version > this.cachedAt) {
      this.totals.clear();
      this.pages.clear();
      this.pageBytes = 0;
      this.cachedAt = version;
    }
  }

  private async total(filter: IocFilter): Promise<number> {
    const key = JSON.stringify([filter.types, filter.confidence, filter.category, filter.industry, filter.since, filter.status]);
    const hit = this.totals.get(key);
    if (hit !== undefined) return hit;
    const n = await this.store.countIocs(filter);
    // Distinct filters per version are few in practice; a flood of them just recounts.
    if (this.totals.size >= 1000) this.totals.clear();
    this.totals.set(key, n);
    return n;
  }

  private async page(query: IocPageQuery): Promise<PageRead> {
    if (query.limit > CHUNK_ROWS) return readPage(this.store, query);
    const key = JSON.stringify([
      query.types,
      query.confidence,
      query.category,
      query.industry,
      query.since,
      query.status,
      query.afterVersion,
      query.offset,
      query.limit,
    ]);
    const hit = this.pages.get(key);
    if (hit) return hit.page;
    const page = await readPage(this.store, query);
    page.rendered = new Map();
    let bytes = 0;
    for (const r of page.rows ?? []) bytes += r.doc.length;
    this.pages.set(key, { page, bytes });
    this.pageBytes += bytes;
    for (const [k, v] of this.pages) {
      if (this.pageBytes <= PAGE_CACHE_BYTES) break;
      this.pages.delete(k);
      this.pageBytes -= v.bytes;
    }
    return page;
  }

  /** The filter's total (checks the store's version first). */
  async totalOf(filter: IocFilter): Promise<number> {
    await this.sync();
    return this.total(filter);
  }

  /**
   * The filter's total and the page `query` asks for. `knownVersion`: the store's last version
   * if the caller read it in this request already (the auth lookup does).
   */
  async read(query: IocPageQuery, knownVersion: number | null = null): Promise<{ total: number; page: PageRead }> {
    await this.sync(knownVersion);
    const total = await this.total(query);
    return { total, page: await this.page(query) };
  }
}
