/**
 * TAXII 2.1 resources (OASIS TAXII 2.1 §4, §5) as TypeBox schemas: the documentation of the
 * TAXII endpoints in the OpenAPI document and the validation of their parameters. Bodies are
 * written as JSON text by the routes (pages are concatenated STIX objects), so the response
 * schemas document rather than serialize.
 */
import { Type, type Static } from '@sinclair/typebox';
import { PrerenderedJson } from './prerendered.js';

const Timestamp = Type.String({ description: 'TAXII timestamp, e.g. 2026-11-26T07:04:43.123456Z' });

export const TaxiiDiscovery = Type.Object({
  title: Type.String(),
  description: Type.Optional(Type.String()),
  default: Type.Optional(Type.String({ description: 'The default API root' })),
  api_roots: Type.Optional(Type.Array(Type.String())),
});

export const TaxiiApiRoot = Type.Object({
  title: Type.String(),
  description: Type.Optional(Type.String()),
  versions: Type.Array(Type.String()),
  max_content_length: Type.Integer(),
});

export const TaxiiCollectionResource = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  description: Type.Optional(Type.String()),
  alias: Type.Optional(Type.String()),
  can_read: Type.Boolean(),
  can_write: Type.Boolean(),
  media_types: Type.Optional(Type.Array(Type.String())),
});

export const TaxiiCollections = Type.Object({ collections: Type.Optional(Type.Array(TaxiiCollectionResource)) });

export const TaxiiEnvelope = Type.Object({
  more: Type.Boolean(),
  next: Type.Optional(Type.String({ description: 'Send it back as `next`, with the same match[] filters' })),
  objects: Type.Optional(
    Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'STIX 2.1 objects; absent on an empty page' }),
  ),
});

export const TaxiiManifest = Type.Object({
  more: Type.Boolean(),
  next: Type.Optional(Type.String()),
  objects: Type.Optional(
    Type.Array(
      Type.Object({ id: Type.String(), date_added: Timestamp, version: Timestamp, media_type: Type.String() }),
    ),
  ),
});

export const TaxiiVersions = Type.Object({
  more: Type.Boolean(),
  next: Type.Optional(Type.String()),
  versions: Type.Optional(Type.Array(Timestamp)),
});

export const TaxiiErrorResource = Type.Object({
  title: Type.String(),
  description: Type.Optional(Type.String()),
  error_id: Type.Optional(Type.String({ description: 'The request id' })),
  error_code: Type.Optional(Type.String()),
  http_status: Type.Optional(Type.String()),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

const Param = (description: string) => Type.Optional(Type.String({ description }));

/** The URL filters of the objects and manifest endpoints (§3.4). */
export const TaxiiObjectsQuery = Type.Object({
  added_after: Param('Only objects added after this RFC 3339 timestamp (X-TAXII-Date-Added-Last of the last page)'),
  limit: Param('Objects per page, 1 to 1000 (larger values are served 1000)'),
  next: Param('The `next` of the previous page'),
  'match[id]': Param('Comma-separated STIX ids'),
  'match[type]': Param('Comma-separated STIX types: indicator, vulnerability, attack-pattern, identity, marking-definition'),
  'match[version]': Param('first, last, all, or comma-separated timestamps (each object has one version: its current one)'),
  'match[spec_version]': Param('Comma-separated STIX versions; 2.1 is served'),
});
export type TaxiiObjectsQueryInput = Static<typeof TaxiiObjectsQuery>;

/** Object-by-id and versions take no match[id] or match[type] (§5.6, §5.8). */
export const TaxiiObjectQuery = Type.Object({
  added_after: TaxiiObjectsQuery.properties.added_after,
  limit: TaxiiObjectsQuery.properties.limit,
  next: TaxiiObjectsQuery.properties.next,
  'match[version]': TaxiiObjectsQuery.properties['match[version]'],
  'match[spec_version]': TaxiiObjectsQuery.properties['match[spec_version]'],
});

export const CollectionParams = Type.Object({
  collectionId: Type.String({ description: 'Collection id, or its alias (all-iocs, ip-addresses, file-hashes, cves)' }),
});
export const ObjectParams = Type.Object({
  collectionId: CollectionParams.properties.collectionId,
  objectId: Type.String({ description: 'STIX id, e.g. indicator--<uuid>' }),
});
export const StatusParams = Type.Object({ statusId: Type.String() });

export const TAXII_PAGE_HEADERS = {
  'X-TAXII-Date-Added-First': { type: 'string', description: 'date_added of the first object (the resume point on an empty page)' },
  'X-TAXII-Date-Added-Last': { type: 'string', description: 'date_added of the last object: pass it as added_after to resume' },
} as const;

const TAXII = 'application/taxii+json;version=2.1';

/** A 200 response body as TAXII media type, documented by `schema`. */
export function taxiiOk(description: string, schema: Parameters<typeof PrerenderedJson>[0], paged = false) {
  return {
    description,
    ...(paged ? { headers: TAXII_PAGE_HEADERS } : {}),
    content: { [TAXII]: { schema: PrerenderedJson(schema) } },
  };
}

function taxiiError(description: string) {
  return { description, content: { [TAXII]: { schema: PrerenderedJson(TaxiiErrorResource) } } };
}

/** Failures every TAXII endpoint can answer with, all as TAXII error resources. */
export const TAXII_ERROR_RESPONSES = {
  400: taxiiError('A filter is malformed (details.parameter names it)'),
  401: taxiiError('No or bad credentials: HTTP Basic (user apikey or empty, the API key as password) or Bearer'),
  403: taxiiError('The key\'s plan does not include TAXII'),
  404: taxiiError('Unknown API root, collection, object or status'),
  406: taxiiError('The Accept header allows no TAXII 2.1 or JSON media type'),
  429: taxiiError('rate_limit_exceeded; wait Retry-After seconds'),
} as const;

/**
 * TAXII clients authenticate with HTTP Basic (user `apikey` or empty, the key as password) or
 * with the key as a Bearer token; the document names the Bearer scheme it defines.
 */
export const TAXII_SECURITY: Array<Record<string, string[]>> = [{ bearerAuth: [] }];
