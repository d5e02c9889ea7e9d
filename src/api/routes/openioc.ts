/**
 * `GET /api/v1/iocs/openioc` (pro): the filtered IOCs as one OpenIOC 1.0 document, an
 * IndicatorItem per IOC (export/openioc.ts), for Mandiant HX, Redline and IOC Editor.
 *
 * An OpenIOC document is a detection, so the query is narrowed to what one can hold: the IOC
 * types with an OpenIOC term (not CVEs or ATT&CK techniques; `limit` then counts IOCs that can
 * be items) and active IOCs only. The few IOCs of those types that still cannot be items (CIDR
 * blocks) are counted in the document's closing comment.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IOC_TYPES, type IocType } from '../../domain/vocabulary.js';
import { OPENIOC_CONTENT_TYPE, openIocDocumentId, OpenIocWriter } from '../../export/openioc.js';
import { OPENIOC_TYPES } from '../../export/openioc-terms.js';
import type { IocPageQuery } from '../../store/store.js';
import { invalidParameter } from '../errors.js';
import { parseIocFilter } from '../ioc-filter.js';
import { TotalsCache } from '../ioc-page.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { EXPORT_PAGE_HEADERS, OpenIocExportQuery, TextDocument, type OpenIocExportQueryInput } from '../schemas/exports.js';
import { describeFilters, exportBody, exportQueryKey, openExportPage } from './export-stream.js';

export const openIocRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const totals = new TotalsCache(app.store);

  app.get<{ Querystring: OpenIocExportQueryInput }>(
    '/iocs/openioc',
    {
      schema: {
        summary: 'IOCs as an OpenIOC 1.0 document',
        description:
          'One OpenIOC 1.0 document (namespace http://schemas.mandiant.com/2010/ioc) with an OR indicator holding an ' +
          'IndicatorItem per IOC: PortItem/remoteIP for IPs, Network/DNS for domains, UrlHistoryItem/URL for URLs, ' +
          'FileItem/Md5sum, Sha1sum, Sha256sum, Sha512sum for hashes, Email/From for e-mail senders. Only those types ' +
          'and only active IOCs (type=cve, type=mitre-attack or status other than active are refused); CIDR blocks, which ' +
          'OpenIOC 1.0 cannot express, are counted in a closing comment. Same filters and paging as GET /api/v1/iocs.',
        tags: ['exports'],
        security: SECURITY,
        querystring: OpenIocExportQuery,
        response: {
          200: {
            description: 'An OpenIOC 1.0 document',
            headers: { ...RATE_LIMIT_HEADERS, ...EXPORT_PAGE_HEADERS },
            content: { 'application/xml': { schema: TextDocument } },
          },
          ...AUTH_ERROR_RESPONSES,
        },
      },
      config: { feature: 'openioc' },
    },
    async (request, reply) => {
      const key = request.apiKey;
      if (!key) throw new Error('authenticated route reached without an API key');
      const now = new Date();
      const parsed = parseIocFilter(request.query, key.plan, now);
      if (parsed.filters.status !== 'active') {
        throw invalidParameter('status', 'an OpenIOC document is a detection: it holds active IOCs only (leave status out or use active)', {
          value: parsed.filters.status,
          allowed: ['active'],
        });
      }
      const asked: readonly IocType[] = parsed.query.types ?? IOC_TYPES;
      const types = asked.filter((t) => OPENIOC_TYPES.includes(t));
      if (types.length === 0) {
        throw invalidParameter('type', `OpenIOC 1.0 has no term for ${asked.join(', ')}; it holds ${OPENIOC_TYPES.join(', ')}`, {
          value: request.query.type,
          allowed: OPENIOC_TYPES,
        });
      }
      const query: IocPageQuery = { ...parsed.query, types };
      const page = await openExportPage(app.store, totals, request, reply, query);
      const writer = new OpenIocWriter({
        id: openIocDocumentId(exportQueryKey(parsed, request.query)),
        shortDescription: `SOC Defenders IOCs: ${describeFilters(parsed, request.query)}`,
        description:
          `Indicators of compromise exported by SOC Defenders at ${now.toISOString()} (${describeFilters(parsed, request.query)}). ` +
          'Each IndicatorItem is one IOC; its comment gives the feeds that reported it.',
        generatedAt: now,
      });
      reply.type(OPENIOC_CONTENT_TYPE);
      return reply.send(exportBody(writer, page));
    },
  );
};
