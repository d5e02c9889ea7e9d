/**
 * `GET /api/v1/iocs/search`: one value, exact first (normalized: refanged, canonical, type
 * auto-detected, one lookup on the unique (type, value) index), then, for 3+ characters, a
 * case-insensitive substring search with LIKE wildcards escaped. Answers in the hosted (O) shape
 * `{meta, data{found, query, matches, relatedIOCs, meta}}`; documents are the stored JSON,
 * concatenated, never re-serialized.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { refang } from '../../domain/refang.js';
import { findDoc, relatedByReference, searchSubstring, type IocDocRow } from '../../store/search-queries.js';
import { ApiError } from '../errors.js';
import { callerOf, normalizeObservable, parseTypeParam, responseMeta } from '../observables.js';
import { PrerenderedJson } from '../schemas/prerendered.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { DEFAULT_SEARCH_LIMIT, SearchQuery, SearchResponse } from '../schemas/search.js';

/** Shorter fragments would match a large share of all IOCs; the hosted product also needs 3. */
export const MIN_SUBSTRING_LENGTH = 3;
export const RELATED_LIMIT = 10;

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/iocs/search',
    {
      schema: {
        summary: 'Search IOCs by value',
        description:
          'Exact match on the normalized value (defanged input is refanged, the type detected unless given), ' +
          `then a case-insensitive substring match for queries of ${MIN_SUBSTRING_LENGTH}+ characters. ` +
          'Every status is searched; each IOC carries its status. relatedIOCs: up to 10 IOCs that share a ' +
          'source reference_url (the same report or article) with a match.',
        tags: ['iocs'],
        security: SECURITY,
        querystring: SearchQuery,
        response: {
          200: {
            description: 'Search result (found: false when nothing matched)',
            headers: RATE_LIMIT_HEADERS,
            content: { 'application/json': { schema: PrerenderedJson(SearchResponse) } },
          },
          ...AUTH_ERROR_RESPONSES,
        },
      },
      config: { feature: 'search' },
    },
    async (request, reply) => {
      const { plan } = callerOf(request);
      const { q } = request.query;
      const type = parseTypeParam(request.query.type);
      const limit = request.query.limit ?? Math.min(DEFAULT_SEARCH_LIMIT, plan.resultsPerRequest);
      if (limit > plan.resultsPerRequest) {
        throw new ApiError(400, 'limit_exceeded', `limit ${limit} is over the ${plan.name} plan's ${plan.resultsPerRequest} results per request`, {
          parameter: 'limit',
          value: limit,
          max: plan.resultsPerRequest,
          plan: plan.name,
        });
      }
      const now = new Date();
      const started = performance.now();

      // The fragment as typed (refanged), not its canonical form, is what a substring search
      // looks for: `EVIL.com/Path` must find `https://evil.com/Path`, to which canonicalization
      // would add a scheme and a slash.
      const fragment = refang(q);
      let query = fragment;
      let matchType: 'exact' | 'substring' | 'none' = 'none';
      let matches: IocDocRow[] = [];
      const normalized = normalizeObservable(q, type);
      if (normalized.ok) {
        query = normalized.value;
        const row = await findDoc(app.store.db, normalized.type, normalized.value);
        if (row) {
          matches = [row];
          matchType = 'exact';
        }
      }
      if (matches.length === 0 && fragment.length >= MIN_SUBSTRING_LENGTH) {
        matches = await searchSubstring(app.store, fragment, type ? { type, limit } : { limit });
        if (matches.length > 0) matchType = 'substring';
      }
      const related =
        request.query.include_related !== false && matches.length > 0
          ? await relatedByReference(app.store.db, matches.map((m) => m.id), RELATED_LIMIT)
          : [];
      const elapsed = Math.round((performance.now() - started) * 100) / 100;

      const head = JSON.stringify({
        found: matches.length > 0,
        query,
        match_type: matchType,
      }).slice(0, -1);
      const tail = JSON.stringify({ total_matches: matches.length, related_count: related.length, search_time_ms: elapsed });
      const body =
        `{"meta":${JSON.stringify(responseMeta(now))},"data":${head},` +
        `"matches":[${matches.map((m) => m.doc).join(',')}],` +
        `"relatedIOCs":[${related.map((m) => m.doc).join(',')}],"meta":${tail}}}`;
      reply.header('Cache-Control', 'no-store');
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
};
