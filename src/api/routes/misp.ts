/**
 * `GET /api/v1/iocs/misp` (pro): the filtered IOCs as one MISP event, an attribute per IOC
 * (export/misp.ts), ready for MISP's `POST /events/add` or PyMISP. The event uuid is derived
 * from the query, so a scheduled import of the same query updates one event instead of adding a
 * new one each run; attribute uuids are the IOC ids.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MISP_CONTENT_TYPE, mispEventUuid, MispEventWriter } from '../../export/misp.js';
import { parseIocFilter } from '../ioc-filter.js';
import { TotalsCache } from '../ioc-page.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { EXPORT_PAGE_HEADERS, MispEventDocument, MispExportQuery, type MispExportQueryInput } from '../schemas/exports.js';
import { describeFilters, exportBody, exportQueryKey, openExportPage } from './export-stream.js';

export const mispRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const totals = new TotalsCache(app.store);

  app.get<{ Querystring: MispExportQueryInput }>(
    '/iocs/misp',
    {
      schema: {
        summary: 'IOCs as a MISP event',
        description:
          'One MISP event with an attribute per IOC: ip-dst for addresses victims connect to (C2, payload hosts; ip-src ' +
          'for scanners and brute-forcers), domain, url, md5/sha1/sha256/sha512, email-src, vulnerability for CVEs and ' +
          'text for ATT&CK techniques. to_ids is set on detectable, active IOCs. Tags: tlp:*, estimative-language ' +
          'confidence, misp-galaxy:mitre-attack-pattern clusters and the IOC tags. The event uuid is the same for the ' +
          'same query; attribute uuids are the IOC ids. Same filters and paging as GET /api/v1/iocs.',
        tags: ['exports'],
        security: SECURITY,
        querystring: MispExportQuery,
        response: {
          200: {
            description: 'A MISP event',
            headers: { ...RATE_LIMIT_HEADERS, ...EXPORT_PAGE_HEADERS },
            content: { 'application/json': { schema: MispEventDocument } },
          },
          ...AUTH_ERROR_RESPONSES,
        },
      },
      config: { feature: 'misp' },
    },
    async (request, reply) => {
      const key = request.apiKey;
      if (!key) throw new Error('authenticated route reached without an API key');
      const now = new Date();
      const parsed = parseIocFilter(request.query, key.plan, now);
      const page = await openExportPage(app.store, totals, request, reply, parsed.query);
      const writer = new MispEventWriter({
        uuid: mispEventUuid(exportQueryKey(parsed, request.query)),
        info: `SOC Defenders IOCs: ${describeFilters(parsed, request.query)}`,
        generatedAt: now,
      });
      reply.type(MISP_CONTENT_TYPE);
      return reply.send(exportBody({ head: () => writer.head(), item: (r) => writer.attribute(r), tail: () => writer.tail() }, page));
    },
  );
};
