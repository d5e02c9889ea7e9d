/**
 * TAXII 2.1 URL filters (§3.4): added_after, limit, next and match[id|type|version|spec_version],
 * read from a query string into one typed query, or a 400 naming the parameter. Commas are ORs,
 * fields are ANDed. Pure: no I/O.
 */
import { toMicroTimestamp } from '../../export/stix-time.js';
import { decodeNext, filterKey, type TaxiiPosition } from './taxii-cursor.js';
import { badRequest } from './taxii-errors.js';

/** Largest page served, whatever `limit` asks (the hosted product's documented cap). */
export const TAXII_MAX_PAGE = 1000;
/** Most ids one `match[id]` may list. */
export const TAXII_MAX_IDS = 1000;

export interface TaxiiFilter {
  /** Only objects added after this fixed-width microsecond timestamp. */
  addedAfter: string | null;
  /** Only these STIX ids (null: any). */
  ids: ReadonlySet<string> | null;
  /** Only these STIX types (null: any). */
  types: ReadonlySet<string> | null;
  /**
   * Only versions with these `modified` timestamps (null: any). Every object has one version on
   * this server (the current one), so `first`, `last` and `all` all select it.
   */
  versions: ReadonlySet<string> | null;
  /** False when match[spec_version] excludes 2.1, the only version served. */
  specVersion21: boolean;
}

export interface TaxiiPageQuery extends TaxiiFilter {
  limit: number;
  /** Continue after this object (from `next`). */
  after: TaxiiPosition | null;
  /** Digest of the collection and filters, carried by the `next` tokens of this query. */
  key: string;
}

export type TaxiiQueryString = Record<string, string | string[] | undefined>;

/** Which filters an endpoint accepts (§5.6: object-by-id takes only version and spec_version). */
export interface TaxiiFilterScope {
  ids: boolean;
  types: boolean;
}

function single(q: TaxiiQueryString, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  // A repeated parameter is read like its comma-joined form (TAXII's own list syntax).
  return Array.isArray(v) ? v.join(',') : v;
}

function list(q: TaxiiQueryString, name: string): string[] | null {
  const v = single(q, name);
  if (v === undefined) return null;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parseLimit(q: TaxiiQueryString, maxPage: number): number {
  const raw = single(q, 'limit');
  if (raw === undefined || raw === '') return maxPage;
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1) {
    throw badRequest('limit', `limit must be a positive integer, got '${raw}'`);
  }
  return Math.min(Number(raw), maxPage);
}

function parseAddedAfter(q: TaxiiQueryString): string | null {
  const raw = single(q, 'added_after');
  if (raw === undefined || raw === '') return null;
  const ts = toMicroTimestamp(raw);
  if (ts === null) {
    throw badRequest('added_after', `added_after must be an RFC 3339 timestamp (e.g. 2026-01-02T03:04:05.000Z), got '${raw}'`);
  }
  return ts;
}

function parseVersions(q: TaxiiQueryString): Set<string> | null {
  const values = list(q, 'match[version]');
  if (values === null || values.length === 0) return null;
  const stamps = new Set<string>();
  for (const v of values) {
    if (v === 'first' || v === 'last' || v === 'all') return null;
    const ts = toMicroTimestamp(v);
    if (ts === null) throw badRequest('match[version]', `match[version] takes first, last, all or timestamps, got '${v}'`);
    stamps.add(ts);
  }
  return stamps;
}

function parseSpecVersion(q: TaxiiQueryString): boolean {
  const values = list(q, 'match[spec_version]');
  if (values === null || values.length === 0) return true;
  for (const v of values) {
    if (!/^\d+\.\d+$/.test(v)) throw badRequest('match[spec_version]', `match[spec_version] takes versions such as 2.1, got '${v}'`);
  }
  return values.includes('2.1');
}

function parseIds(q: TaxiiQueryString): Set<string> | null {
  const values = list(q, 'match[id]');
  if (values === null) return null;
  if (values.length > TAXII_MAX_IDS) throw badRequest('match[id]', `match[id] may list at most ${TAXII_MAX_IDS} ids`);
  return new Set(values.map((v) => v.toLowerCase()));
}

function parseTypes(q: TaxiiQueryString): Set<string> | null {
  const values = list(q, 'match[type]');
  return values === null ? null : new Set(values.map((v) => v.toLowerCase()));
}

function sorted(set: ReadonlySet<string> | null): string {
  return set === null ? '*' : [...set].sort().join(',');
}

/**
 * Read the filters of a TAXII request for `scopeId` (the collection, or collection and object).
 *
 * @example parseTaxiiQuery({ limit: '7', 'match[type]': 'indicator' }, 'all-iocs-id', { ids: true, types: true })
 */
export function parseTaxiiQuery(
  q: TaxiiQueryString,
  scopeId: string,
  scope: TaxiiFilterScope,
  maxPage: number = TAXII_MAX_PAGE,
): TaxiiPageQuery {
  const filter: TaxiiFilter = {
    addedAfter: parseAddedAfter(q),
    ids: scope.ids ? parseIds(q) : null,
    types: scope.types ? parseTypes(q) : null,
    versions: parseVersions(q),
    specVersion21: parseSpecVersion(q),
  };
  // added_after and limit may change between pages (OpenCTI moves added_after); the rest may not.
  const key = filterKey([
    scopeId,
    sorted(filter.ids),
    sorted(filter.types),
    sorted(filter.versions),
    String(filter.specVersion21),
  ]);
  let after: TaxiiPosition | null = null;
  const next = single(q, 'next');
  if (next !== undefined && next !== '') {
    const decoded = decodeNext(next, key);
    if (!decoded.ok) {
      throw badRequest(
        'next',
        decoded.reason === 'other_filters'
          ? 'next belongs to another collection or other match[] filters; repeat the filters of the first request'
          : 'next is not a token this server issued',
      );
    }
    after = decoded.pos;
  }
  return { ...filter, limit: parseLimit(q, maxPage), after, key };
}
