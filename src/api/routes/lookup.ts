/**
 * `GET /api/v1/lookup?ioc=` (or `value=`): one observable, enriched: sightings, sources, a
 * transparent risk score (domain/risk.ts) and hunting queries (export/hunting.ts). Found in any
 * status (expired, allowlisted: with that status). Hot path: one indexed query, SQL compiled once.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IocLookup } from '../../store/search-queries.js';
import { invalidParameter } from '../errors.js';
import { lookupAnswer } from '../lookup-view.js';
import { normalizeObservable, parseTypeParam } from '../observables.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { LookupQuery, LookupResponse } from '../schemas/lookup.js';

export const lookupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const lookup = new IocLookup(app.store);

  app.get(
    '/lookup',
    {
      schema: {
        summary: 'Enrich one observable',
        description:
          'Auto-detects the type (override with type), refangs defanged input, and answers in the hosted ' +
          'OpenAPI shape (meta + data) plus the hand-written docs\' flat fields (value, type, risk_score, ' +
          'mitre_techniques with names, hunting_queries, sources). risk.score = round((confidence + sources + ' +
          'categories + recency) × status multiplier), with every component in risk.factors. found: false is ' +
          'not a verdict of safety.',
        tags: ['iocs'],
        security: SECURITY,
        querystring: LookupQuery,
        response: {
          200: { description: 'The enrichment', headers: RATE_LIMIT_HEADERS, ...LookupResponse },
          ...AUTH_ERROR_RESPONSES,
        },
      },
      config: { feature: 'lookup' },
    },
    async (request, reply) => {
      const { ioc, value } = request.query;
      const parameter = ioc !== undefined ? 'ioc' : value !== undefined ? 'value' : 'ioc';
      const raw = ioc ?? value;
      if (raw === undefined || raw.trim() === '') {
        throw invalidParameter('ioc', 'ioc is required: the observable to look up (value= is accepted too)');
      }
      const type = parseTypeParam(request.query.type);
      const normalized = normalizeObservable(raw, type);
      if (!normalized.ok) {
        throw invalidParameter(parameter, `${parameter} is not a valid observable: ${normalized.reason}`, {
          reason: normalized.code,
        });
      }
      const now = new Date();
      const hit = await lookup.find(normalized.type, normalized.value);
      reply.header('Cache-Control', 'no-store');
      return lookupAnswer(normalized.type, normalized.value, hit, now);
    },
  );
};
