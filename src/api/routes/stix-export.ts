/**
 * `GET /api/v1/iocs/stix` (pro): the filtered IOCs as one STIX 2.1 bundle for a one-shot
 * download; TAXII is the polling interface to the same objects. The objects are the TAXII
 * server's own (export/stix.ts renders both), preceded by the producer identity and the TLP
 * marking definitions unless the caller turns them off. `format=objects` answers the bare array.
 * `Accept: application/stix+json;version=2.1` gets that media type back; anything else gets
 * `application/json`, as the hosted product answers.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StixExportWriter, type StixExportOptions } from '../../export/stix-export.js';
import { parseIocFilter } from '../ioc-filter.js';
import { TotalsCache } from '../ioc-page.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { EXPORT_PAGE_HEADERS, StixDocument, StixExportQuery, type StixExportQueryInput } from '../schemas/exports.js';
import { exportBody, openExportPage } from './export-stream.js';

export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** Whether the Accept header asks for STIX (any `application/stix+json`). */
export function acceptsStix(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*application\/stix\+json\s*(;|,|$)/i.test(accept);
}

export const stixExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const totals = new TotalsCache(app.store);

  app.get<{ Querystring: StixExportQueryInput }>(
    '/iocs/stix',
    {
      schema: {
        summary: 'IOCs as a STIX 2.1 bundle',
        description:
          'The filtered IOCs as STIX 2.1: an indicator per IP, domain, URL, hash and e-mail address (single-comparison ' +
          'patterns), a vulnerability per CVE, an attack-pattern per ATT&CK technique; the same objects, with the same ' +
          'ids, as the TAXII collections. The bundle starts with the SOC Defenders identity and the TLP marking ' +
          'definitions (include_identity, include_markings). Same filters and paging as GET /api/v1/iocs (limit counts ' +
          'IOCs). Send Accept: application/stix+json;version=2.1 to get that media type.',
        tags: ['exports'],
        security: SECURITY,
        querystring: StixExportQuery,
        response: {
          200: {
            description: 'A STIX 2.1 bundle (or, with format=objects, the array of objects)',
            headers: { ...RATE_LIMIT_HEADERS, ...EXPORT_PAGE_HEADERS },
            content: {
              'application/json': { schema: StixDocument },
              'application/stix+json;version=2.1': { schema: StixDocument },
            },
          },
          ...AUTH_ERROR_RESPONSES,
        },
      },
      config: { feature: 'stix' },
      // `tlp=amber+strict` typed as documented arrives as "amber strict" (a query string's `+` is a
      // space); read it as the level it names before validation.
      preValidation: async (request) => {
        const query = request.query as Record<string, unknown>;
        if (query.tlp === 'amber strict') query.tlp = 'amber+strict';
      },
      // Fastify rewrites a JSON-like media type set before sending (`; version="2.1"; charset=utf-8`);
      // STIX clients compare it as written, so the STIX media type is set last.
      onSend: async (request, reply, payload) => {
        if (reply.statusCode === 200 && acceptsStix(request.headers.accept)) reply.header('Content-Type', STIX_MEDIA_TYPE);
        return payload;
      },
    },
    async (request, reply) => {
      const key = request.apiKey;
      if (!key) throw new Error('authenticated route reached without an API key');
      const parsed = parseIocFilter(request.query, key.plan, new Date());
      const page = await openExportPage(app.store, totals, request, reply, parsed.query);
      const options: StixExportOptions = {
        format: request.query.format ?? 'bundle',
        includeIdentity: request.query.include_identity ?? true,
        includeMarkings: request.query.include_markings ?? true,
        bundleId: `bundle--${randomUUID()}`,
      };
      if (request.query.tlp !== undefined) options.minimumTlp = request.query.tlp;
      reply.type('application/json; charset=utf-8');
      return reply.send(exportBody(new StixExportWriter(options), page));
    },
  );
};
