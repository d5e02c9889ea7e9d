/**
 * `POST /api/v1/match`: which of up to 10,000 observables are known IOCs. Each is normalized
 * (defanged accepted); the valid ones are looked up in chunked IN queries per type (never one
 * query per observable); the known come back with their IOC records, the rest are counted.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IocType } from '../../domain/vocabulary.js';
import { matchObservables } from '../../store/search-queries.js';
import { ApiError } from '../errors.js';
import { normalizeObservable, responseMeta } from '../observables.js';
import { PrerenderedJson } from '../schemas/prerendered.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY, errorResponse } from '../schemas/common.js';
import {
  MATCH_BODY_LIMIT_BYTES,
  MAX_LISTED_INVALID,
  MAX_MATCH_OBSERVABLES,
  MatchBody,
  MatchResponse,
} from '../schemas/match.js';

interface Canonical {
  type: IocType;
  value: string;
  /** The first submitted spelling. */
  observable: string;
}

export const matchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/match',
    {
      bodyLimit: MATCH_BODY_LIMIT_BYTES,
      schema: {
        summary: 'Match observables against the IOC store',
        description:
          `Up to ${MAX_MATCH_OBSERVABLES} observables per request. Known ones come back with their IOC ` +
          '(any status); unknown and invalid ones are counted, and the first invalid ones listed with the reason.',
        tags: ['iocs'],
        security: SECURITY,
        body: MatchBody,
        response: {
          200: {
            description: 'The known observables',
            headers: RATE_LIMIT_HEADERS,
            content: { 'application/json': { schema: PrerenderedJson(MatchResponse) } },
          },
          ...AUTH_ERROR_RESPONSES,
          413: errorResponse(`payload_too_large: more than ${MAX_MATCH_OBSERVABLES} observables, or a body over 16 MiB`),
        },
      },
      config: { feature: 'match' },
    },
    async (request, reply) => {
      const { observables } = request.body;
      if (observables.length > MAX_MATCH_OBSERVABLES) {
        throw new ApiError(
          413,
          'payload_too_large',
          `at most ${MAX_MATCH_OBSERVABLES} observables per request, got ${observables.length}; split the batch`,
          { parameter: 'observables', max: MAX_MATCH_OBSERVABLES, received: observables.length },
        );
      }
      const unique = new Map<string, Canonical>();
      const invalid: Array<{ index: number; observable: string; code: string; reason: string }> = [];
      let invalidCount = 0;
      observables.forEach((observable, index) => {
        const n = normalizeObservable(observable);
        if (!n.ok) {
          invalidCount++;
          if (invalid.length < MAX_LISTED_INVALID) {
            // Echo at most 200 characters: a 10,000-item body of junk must not come back doubled.
            invalid.push({ index, observable: observable.slice(0, 200), code: n.code, reason: n.reason });
          }
          return;
        }
        const k = `${n.type}\u0000${n.value}`;
        if (!unique.has(k)) unique.set(k, { type: n.type, value: n.value, observable });
      });
      const rows = await matchObservables(app.store.db, [...unique.values()]);
      const docs = new Map(rows.map((r) => [`${r.type}\u0000${r.value}`, r.doc]));
      const parts: string[] = [];
      for (const [k, c] of unique) {
        const doc = docs.get(k);
        if (doc !== undefined) parts.push(`{"observable":${JSON.stringify(c.observable)},"ioc":${doc}}`);
      }
      const summary = {
        submitted: observables.length,
        unique: unique.size,
        matched: parts.length,
        unknown: unique.size - parts.length,
        invalid: invalidCount,
      };
      reply.header('Cache-Control', 'no-store');
      return reply
        .type('application/json; charset=utf-8')
        .send(
          `{"meta":${JSON.stringify(responseMeta(new Date()))},"data":{"matches":[${parts.join(',')}],` +
            `"invalid":${JSON.stringify(invalid)},"summary":${JSON.stringify(summary)}}}`,
        );
    },
  );
};
