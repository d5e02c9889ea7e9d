import type { Selectable } from 'kysely';
import type { IocRecord, IocSource } from '../domain/ioc.js';
import type { Category, Confidence, IocStatus, IocType, Origin, Sector, Tlp } from '../domain/vocabulary.js';
import type { IocSourcesTable, IocsTable } from './schema.js';

/**
 * The one place that maps between an IocRecord (the API JSON), its `doc` text and its rows.
 * The column lists below are the order every multi-row statement binds its values in.
 */

export const IOC_COLUMNS = [
  'id',
  'type',
  'value',
  'status',
  'confidence',
  'first_seen',
  'last_seen',
  'threat_type',
  'malware',
  'tlp',
  'context',
  'tags',
  'mitre_techniques',
  'industries',
  'source_feed',
  'source_category',
  'source_origin',
  'source_reference_url',
  'source_article_id',
  'source_article_title',
  'source_article_url',
  'source_count',
  'expires_at',
  'updated_at',
  'version',
  'doc',
] as const satisfies ReadonlyArray<keyof IocsTable>;

export const IOC_SOURCE_COLUMNS = [
  'ioc_id',
  'feed_name',
  'category',
  'origin',
  'reference_url',
  'article_id',
  'article_title',
  'article_url',
  'first_seen',
  'last_seen',
  'occurrences',
  'confidence',
  'context',
] as const satisfies ReadonlyArray<keyof IocSourcesTable>;

/** A row's values in IOC_COLUMNS / IOC_SOURCE_COLUMNS order. */
export type RowValues = Array<string | number | null>;

function renderSource(s: IocSource): IocSource {
  return {
    feed_name: s.feed_name,
    category: s.category,
    origin: s.origin,
    reference_url: s.reference_url,
    article_id: s.article_id,
    article_title: s.article_title,
    article_url: s.article_url,
    first_seen: s.first_seen,
    last_seen: s.last_seen,
    confidence: s.confidence,
    context: s.context,
  };
}

/**
 * The API JSON of one IOC version, keys in the documented order (hosted fields first, then
 * ours), whatever order the input object has. Rendered once per write and stored in `doc`.
 */
export function renderIocDoc(r: IocRecord): string {
  return renderStampedDoc(r, r.updated_at, r.version);
}

/**
 * {@link renderIocDoc} of `state` stamped with `updatedAt` and `version`, without building the
 * stamped record first (the writer stamps every written IOC; the copy was measurable).
 */
export function renderStampedDoc(r: Omit<IocRecord, 'updated_at' | 'version'>, updatedAt: string, version: number): string {
  const doc: IocRecord = {
    id: r.id,
    type: r.type,
    value: r.value,
    confidence: r.confidence,
    first_seen: r.first_seen,
    last_seen: r.last_seen,
    source: {
      feed_name: r.source.feed_name,
      category: r.source.category,
      origin: r.source.origin,
      reference_url: r.source.reference_url,
      article_id: r.source.article_id,
      article_title: r.source.article_title,
      article_url: r.source.article_url,
    },
    context: r.context,
    tags: r.tags,
    mitre_techniques: r.mitre_techniques,
    sources: r.sources.map(renderSource),
    industries: r.industries,
    threat_type: r.threat_type,
    malware: r.malware,
    tlp: r.tlp,
    expires_at: r.expires_at,
    status: r.status,
    updated_at: updatedAt,
    version,
  };
  return JSON.stringify(doc);
}

/** Parses a stored `doc`. The store wrote it with {@link renderIocDoc}, so it has that shape. */
export function parseIocDoc(doc: string): IocRecord {
  return JSON.parse(doc) as IocRecord;
}

/** The `iocs` row values of a record, in IOC_COLUMNS order. */
export function iocRowValues(r: IocRecord, doc: string): RowValues {
  return stampedRowValues(r, r.updated_at, r.version, doc);
}

/** {@link iocRowValues} of `state` stamped with `updatedAt` and `version`. */
export function stampedRowValues(r: Omit<IocRecord, 'updated_at' | 'version'>, updatedAt: string, version: number, doc: string): RowValues {
  return [
    r.id,
    r.type,
    r.value,
    r.status,
    r.confidence,
    r.first_seen,
    r.last_seen,
    r.threat_type,
    r.malware,
    r.tlp,
    r.context,
    JSON.stringify(r.tags),
    JSON.stringify(r.mitre_techniques),
    JSON.stringify(r.industries),
    r.source.feed_name,
    r.source.category,
    r.source.origin,
    r.source.reference_url,
    r.source.article_id,
    r.source.article_title,
    r.source.article_url,
    r.sources.length,
    r.expires_at,
    updatedAt,
    version,
    doc,
  ];
}

/**
 * The `ioc_sources` row values of one source, in IOC_SOURCE_COLUMNS order. `occurrences` is the
 * number of new sightings to add to the stored count (the upsert adds it).
 */
export function sourceRowValues(iocId: string, s: IocSource, occurrences: number): RowValues {
  return [
    iocId,
    s.feed_name,
    s.category,
    s.origin,
    s.reference_url,
    s.article_id,
    s.article_title,
    s.article_url,
    s.first_seen,
    s.last_seen,
    occurrences,
    s.confidence,
    s.context,
  ];
}

/** An `ioc_sources` row as the API's IocSource. */
export function sourceRowToSource(row: Selectable<IocSourcesTable>): IocSource {
  return {
    feed_name: row.feed_name,
    category: row.category as Category,
    origin: row.origin as Origin,
    reference_url: row.reference_url,
    article_id: row.article_id,
    article_title: row.article_title,
    article_url: row.article_url,
    first_seen: row.first_seen,
    last_seen: row.last_seen,
    confidence: row.confidence as Confidence,
    context: row.context,
  };
}

/**
 * Builds the record from its columns and source rows (the same record the `doc` holds). The
 * API reads `doc`; this is for code that only has rows, and for checking the two agree.
 */
export function rowToRecord(row: Selectable<IocsTable>, sources: ReadonlyArray<Selectable<IocSourcesTable>>): IocRecord {
  return {
    id: row.id,
    type: row.type as IocType,
    value: row.value,
    confidence: row.confidence as Confidence,
    first_seen: row.first_seen,
    last_seen: row.last_seen,
    source: {
      feed_name: row.source_feed,
      category: row.source_category as Category,
      origin: row.source_origin as Origin,
      reference_url: row.source_reference_url,
      article_id: row.source_article_id,
      article_title: row.source_article_title,
      article_url: row.source_article_url,
    },
    context: row.context,
    tags: JSON.parse(row.tags) as string[],
    mitre_techniques: JSON.parse(row.mitre_techniques) as string[],
    sources: [...sources].sort((a, b) => (a.feed_name < b.feed_name ? -1 : a.feed_name > b.feed_name ? 1 : 0)).map(sourceRowToSource),
    industries: JSON.parse(row.industries) as Sector[],
    threat_type: row.threat_type,
    malware: row.malware,
    tlp: row.tlp as Tlp,
    expires_at: row.expires_at,
    status: row.status as IocStatus,
    updated_at: row.updated_at,
    version: row.version,
  };
}
