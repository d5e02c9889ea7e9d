/** Schemas of `GET /api/v1/iocs/search` and the `meta` block shared by single-object responses. */
import { Type } from '@sinclair/typebox';
import { IOC_TYPES } from '../../domain/vocabulary.js';
import { MAX_OBSERVABLE_LENGTH } from '../observables.js';
import { IocSchema } from './ioc.js';

export const ResponseMetaSchema = Type.Object({
  generated_at: Type.String(),
  feed_version: Type.String(),
  source: Type.String(),
});

/** Most results a substring search returns, whatever the plan (it scans). */
export const MAX_SEARCH_LIMIT = 1000;
export const DEFAULT_SEARCH_LIMIT = 100;

export const SearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: MAX_OBSERVABLE_LENGTH,
    description: 'A value (defanged accepted) or, for a substring search, 3 or more characters of one',
  }),
  type: Type.Optional(Type.String({ maxLength: 32, description: `Restrict to one type: ${IOC_TYPES.join(', ')}` })),
  include_related: Type.Optional(
    Type.Boolean({ default: true, description: 'Also return up to 10 IOCs sharing a source reference with a match' }),
  ),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_SEARCH_LIMIT,
      description: `Most substring matches (default ${DEFAULT_SEARCH_LIMIT}; at most the plan's results per request)`,
    }),
  ),
});

export const SearchResponse = Type.Object({
  meta: ResponseMetaSchema,
  data: Type.Object({
    found: Type.Boolean(),
    query: Type.String({ description: 'The query as normalized (refanged, canonical when it is a valid observable)' }),
    match_type: Type.Union([Type.Literal('exact'), Type.Literal('substring'), Type.Literal('none')]),
    matches: Type.Array(IocSchema),
    relatedIOCs: Type.Array(IocSchema, { description: 'IOCs sharing a source reference_url with a match' }),
    meta: Type.Object({
      total_matches: Type.Integer(),
      related_count: Type.Integer(),
      search_time_ms: Type.Number(),
    }),
  }),
});
