/**
 * What a TAXII collection holds and how it pages: the shared objects (our producer identity and
 * the TLP marking definitions its objects reference) first, then one STIX object per IOC in the
 * collection, in ascending version order. `date_added` is the IOC version's `updated_at`: unique
 * and strictly increasing with the version, so paging by `next` (a version) and by
 * `added_after` (a date_added) walk the same sequence, and neither misses nor repeats an object
 * while ingestion writes (a changed IOC moves to a new, higher version: the poller sees it again
 * as its new version). Each object has one version here: its current one.
 */
import type { IocRecord } from '../../domain/ioc.js';
import type { TaxiiCollection } from '../../domain/taxii-collections.js';
import { IOC_TYPES, type IocType } from '../../domain/vocabulary.js';
import { renderStixJson, STIX_SHARED_OBJECTS, STIX_TYPE_OF, stixIdOf } from '../../export/stix.js';
import { stixTimestamp } from '../../export/stix-time.js';
import type { StixObject } from '../../export/stix-types.js';
import type { IocFilter, IocPageRow, Store } from '../../store/store.js';
import { listTaxiiDocs, listTaxiiRows, listTaxiiRowsWithDocs, listTaxiiVersions, type TaxiiRow } from '../../store/taxii-queries.js';
import { encodeNext } from './taxii-cursor.js';
import type { TaxiiFilter, TaxiiPageQuery } from './taxii-query.js';
import type { StixRenderCache } from './taxii-render-cache.js';

/** One object of a collection, as objects, manifest and versions endpoints need it. */
export interface TaxiiEntry {
  /** Paging position: the IOC version, or a shared object's negative position. */
  position: number;
  dateAdded: string;
  id: string;
  type: string;
  /** `modified` (or `created` for objects that are never modified). */
  version: string;
  /** The STIX JSON text; null when only the manifest was asked for. */
  json: string | null;
}

export interface TaxiiPage {
  entries: TaxiiEntry[];
  more: boolean;
  next: string | null;
  /** X-TAXII-Date-Added-First/-Last; on an empty page, the resume point (both the same). */
  firstAdded: string;
  lastAdded: string;
}

/** Resume point of an empty page that has no other: before everything. */
const BEGINNING = '1970-01-01T00:00:00.000000Z';

/**
 * The shared objects sort before any IOC: date_added 2017-01-20 (when STIX's TLP markings were
 * created) plus 1 ms each, so even clients that truncate added_after to milliseconds step past
 * them exactly.
 */
const SHARED_ENTRIES: readonly TaxiiEntry[] = STIX_SHARED_OBJECTS.map((o: StixObject, i) => ({
  position: i - STIX_SHARED_OBJECTS.length,
  dateAdded: `2017-01-20T00:00:00.${String(i).padStart(3, '0')}000Z`,
  id: o.id,
  type: o.type,
  version: stixTimestamp('modified' in o ? o.modified : o.created),
  json: JSON.stringify(o),
}));

const IOC_STIX_TYPES = new Set<string>(Object.values(STIX_TYPE_OF));

function entryOfRecord(record: IocRecord, dateAdded: string, withJson: boolean): TaxiiEntry {
  return {
    position: record.version,
    dateAdded,
    id: stixIdOf(record.type, record.id),
    type: STIX_TYPE_OF[record.type],
    version: stixTimestamp(record.updated_at),
    json: withJson ? renderStixJson(record) : null,
  };
}

function entryOfRow(row: IocPageRow, withJson: boolean, cache?: StixRenderCache): TaxiiEntry {
  const cached = cache?.get(row.version);
  if (cached) return cached;
  const entry = entryOfRecord(JSON.parse(row.doc) as IocRecord, stixTimestamp(row.updated_at), withJson);
  if (withJson) cache?.set(entry);
  return entry;
}

/** The IOC types of `collection` whose STIX type passes match[type]. */
function iocTypesFor(collection: TaxiiCollection, filter: TaxiiFilter): IocType[] {
  return collection.iocTypes.filter((t) => filter.types === null || filter.types.has(STIX_TYPE_OF[t]));
}

/** Every filter but paging: type, id, version, spec_version and added_after. */
function passes(e: TaxiiEntry, filter: TaxiiFilter, afterPosition: number | null): boolean {
  if (afterPosition !== null && e.position <= afterPosition) return false;
  if (filter.addedAfter !== null && e.dateAdded <= filter.addedAfter) return false;
  if (filter.types !== null && !filter.types.has(e.type)) return false;
  if (filter.ids !== null && !filter.ids.has(e.id)) return false;
  if (filter.versions !== null && !filter.versions.has(e.version)) return false;
  return filter.specVersion21;
}

/** The microsecond before a fixed-width timestamp (for a `>` bound that includes it). */
function microBefore(ts: string): string {
  const micros = Date.parse(`${ts.slice(0, 23)}Z`) * 1000 + Number(ts.slice(23, 26)) - 1;
  const ms = Math.floor(micros / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros - ms * 1000).padStart(3, '0')}Z`;
}

/** Only these types (none named: every type), whatever their status. */
function typeFilter(types: readonly IocType[]): IocFilter {
  // No type filter when every type is wanted: the query then walks the version order alone.
  return { types: types.length === IOC_TYPES.length ? undefined : [...types], status: 'all' };
}

/** IOC rows of `types` with their documents in version order after `afterPosition` (and after added_after). */
function readRows(
  store: Store,
  types: readonly IocType[],
  query: TaxiiFilter,
  afterPosition: number | null,
  limit: number,
): Promise<IocPageRow[]> {
  return listTaxiiRowsWithDocs(store.db, store.dialect, {
    ...typeFilter(types),
    afterVersion: afterPosition !== null && afterPosition > 0 ? afterPosition : undefined,
    since: query.addedAfter ?? undefined,
    limit,
  });
}

/** The entry of a row, without its JSON: all a manifest or versions record needs. */
function entryOfPosition(row: TaxiiRow): TaxiiEntry {
  const type = row.type as IocType;
  const version = stixTimestamp(row.updated_at);
  return { position: row.version, dateAdded: version, id: stixIdOf(type, row.id), type: STIX_TYPE_OF[type], version, json: null };
}

/**
 * The entries of `versions` with their JSON: from the cache, else rendered from the documents of
 * the versions it lacks (one read of their version range). Null when such a document is gone:
 * its IOC changed after the versions were read (the change moved it to a new version), so the
 * caller reads the page again in one statement.
 */
async function renderedEntries(store: Store, filter: IocFilter, versions: readonly number[], cache?: StixRenderCache): Promise<TaxiiEntry[] | null> {
  const cached = versions.map((v) => cache?.get(v));
  const firstMiss = cached.indexOf(undefined);
  if (firstMiss < 0) return cached as TaxiiEntry[];
  const from = versions[firstMiss] ?? 0;
  const to = versions[cached.lastIndexOf(undefined)] ?? 0;
  const rows = new Map<number, IocPageRow>();
  for (const row of await listTaxiiDocs(store.db, filter, from, to)) rows.set(row.version, row);
  const out: TaxiiEntry[] = [];
  for (let i = 0; i < versions.length; i++) {
    let entry = cached[i];
    if (!entry) {
      const row = rows.get(versions[i] ?? 0);
      if (!row) return null;
      entry = entryOfRow(row, true, cache);
    }
    out.push(entry);
  }
  return out;
}

/**
 * The entries of the IOCs of `types` after `afterPosition` (and after added_after), at most
 * `limit`. With their JSON: the page's versions first, then the documents of those the cache
 * does not hold, so a page rendered ahead (or for another poller) costs no document read.
 */
async function readIocEntries(
  store: Store,
  types: readonly IocType[],
  query: TaxiiFilter,
  afterPosition: number | null,
  limit: number,
  withJson: boolean,
  cache?: StixRenderCache,
): Promise<TaxiiEntry[]> {
  const filter = typeFilter(types);
  const page = {
    ...filter,
    afterVersion: afterPosition !== null && afterPosition > 0 ? afterPosition : undefined,
    since: query.addedAfter ?? undefined,
    limit,
  };
  if (!withJson) return (await listTaxiiRows(store.db, store.dialect, page)).map(entryOfPosition);
  const entries = await renderedEntries(store, filter, await listTaxiiVersions(store.db, store.dialect, page), cache);
  if (entries) return entries;
  return (await readRows(store, types, query, afterPosition, limit)).map((row) => entryOfRow(row, true, cache));
}

/** IOC entries named by match[id], read by primary key (no scan). */
async function entriesByIds(store: Store, types: readonly IocType[], ids: ReadonlySet<string>, withJson: boolean): Promise<TaxiiEntry[]> {
  const out: TaxiiEntry[] = [];
  for (const stixId of ids) {
    const sep = stixId.indexOf('--');
    if (sep < 0 || !IOC_STIX_TYPES.has(stixId.slice(0, sep))) continue;
    const record = await store.getIoc(stixId.slice(sep + 2));
    if (!record || !types.includes(record.type) || STIX_TYPE_OF[record.type] !== stixId.slice(0, sep)) continue;
    out.push(entryOfRecord(record, stixTimestamp(record.updated_at), withJson));
  }
  return out.sort((a, b) => a.position - b.position);
}

/**
 * IOC entries whose version timestamp is one of match[version]'s: `updated_at` is unique across
 * all IOCs, so each timestamp is at most one row, found through the updated_at order.
 */
async function entriesByVersions(
  store: Store,
  types: readonly IocType[],
  versions: ReadonlySet<string>,
  withJson: boolean,
): Promise<TaxiiEntry[]> {
  const out: TaxiiEntry[] = [];
  for (const ts of versions) {
    const [row] = await store.listIocs({ types: [...types], status: 'all', since: microBefore(ts), limit: 1 });
    if (row && stixTimestamp(row.updated_at) === ts) out.push(entryOfRow(row, withJson));
  }
  return out.sort((a, b) => a.position - b.position);
}

export interface ReadPageOptions {
  /** Render the STIX JSON of each object (objects endpoints) or not (manifest, versions). */
  withJson: boolean;
  /** Reuse renderings, and render the following page ahead of the poller. */
  cache?: StixRenderCache;
}

function readAheadKey(query: TaxiiPageQuery, afterPosition: number): string {
  return `${query.key}@${afterPosition}`;
}

/**
 * One page of `collection` under `query`: at most `query.limit` entries, whether more follow,
 * and the `next` token to continue after the last one.
 */
export async function readCollectionPage(
  store: Store,
  collection: TaxiiCollection,
  query: TaxiiPageQuery,
  opts: ReadPageOptions,
): Promise<TaxiiPage> {
  const want = query.limit + 1;
  const afterPosition = query.after?.position ?? null;
  const entries: TaxiiEntry[] = [];
  for (const e of SHARED_ENTRIES) {
    if (entries.length >= want) break;
    if (passes(e, query, afterPosition)) entries.push(e);
  }
  const types = iocTypesFor(collection, query);
  if (entries.length < want && types.length > 0 && query.specVersion21) {
    if (query.ids !== null || query.versions !== null) {
      const candidates =
        query.ids !== null
          ? await entriesByIds(store, types, query.ids, opts.withJson)
          : await entriesByVersions(store, types, query.versions ?? new Set(), opts.withJson);
      for (const e of candidates) {
        if (entries.length >= want) break;
        if (passes(e, query, afterPosition)) entries.push(e);
      }
    } else {
      const { cache } = opts;
      if (cache && afterPosition !== null) await cache.pending(readAheadKey(query, afterPosition));
      const iocEntries = await readIocEntries(store, types, query, afterPosition, want - entries.length, opts.withJson, cache);
      entries.push(...iocEntries);
      const last = entries[Math.min(entries.length, query.limit) - 1];
      if (cache && opts.withJson && iocEntries.length > 0 && entries.length > query.limit && last) {
        // The poller will most likely ask for the next page: render it while it reads this one.
        // One statement with the documents: the page is not rendered yet, and the request for
        // it then reads only versions (readIocEntries) and takes every object from the cache.
        cache.readAhead(readAheadKey(query, last.position), async () => {
          for (const row of await readRows(store, types, query, last.position, query.limit)) entryOfRow(row, true, cache);
        });
      }
    }
  }
  const more = entries.length > query.limit;
  if (more) entries.length = query.limit;
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) {
    const resume = [query.after?.dateAdded ?? BEGINNING, query.addedAfter ?? BEGINNING].sort()[1] ?? BEGINNING;
    return { entries, more: false, next: null, firstAdded: resume, lastAdded: resume };
  }
  return {
    entries,
    more,
    next: more ? encodeNext({ position: last.position, dateAdded: last.dateAdded }, query.key) : null,
    firstAdded: first.dateAdded,
    lastAdded: last.dateAdded,
  };
}

/** The object `stixId` of `collection` (whatever the filters), or null when it holds none. */
export async function findCollectionObject(
  store: Store,
  collection: TaxiiCollection,
  stixId: string,
): Promise<TaxiiEntry | null> {
  const id = stixId.toLowerCase();
  const shared = SHARED_ENTRIES.find((e) => e.id === id);
  if (shared) return shared;
  const [entry] = await entriesByIds(store, collection.iocTypes, new Set([id]), false);
  return entry ?? null;
}
