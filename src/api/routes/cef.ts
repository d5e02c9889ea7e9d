/**
 * `GET /api/v1/iocs/cef` (pro): the filtered IOCs as ArcSight CEF lines (`format=cef`, the
 * default) or RFC 5424 syslog messages carrying the CEF line (`format=syslog`), one per line,
 * for piping into a syslog daemon or a SIEM's syslog input (export/cef.ts, export/syslog.ts;
 * the syslog push connector renders with the same functions).
 */
import { hostname } from 'node:os';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IocRecord } from '../../domain/ioc.js';
import { CEF_CONTENT_TYPE, renderCefLine } from '../../export/cef.js';
import { renderSyslogLine, SYSLOG_CONTENT_TYPE } from '../../export/syslog.js';
import { parseIocFilter } from '../ioc-filter.js';
import { TotalsCache } from '../ioc-page.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { CefExportQuery, EXPORT_PAGE_HEADERS, TextDocument, type CefExportQueryInput } from '../schemas/exports.js';
import { exportBody, openExportPage, type ExportWriter } from './export-stream.js';

function lineWriter(line: (record: IocRecord) => string): ExportWriter {
  return { head: () => '', item: (r) => `${line(r)}\n`, tail: () => '' };
}

export const cefRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const totals = new TotalsCache(app.store);
  const host = hostname();

  app.get<{ Querystring: CefExportQueryInput }>(
    '/iocs/cef',
    {
      schema: {
        summary: 'IOCs as CEF or RFC 5424 syslog lines',
        description:
          'One line per IOC. format=cef: `CEF:0|SOC Defenders|Threat Intelligence|1.0|<type>|<name>|<severity>|...` with ' +
          'the value in dst/src (IPs), dhost (domains), request (URLs), fileHash, suser (e-mail senders) or cs6 (CIDR, ' +
          'CVE, technique), cs1 confidence, cs2 source, cs3 TLP, cs4 techniques, cs5 tags; severity low 3, medium 6, ' +
          'high 9; header and extension escaped as the CEF specification requires. format=syslog: RFC 5424 messages ' +
          '(facility local0, severity from confidence) with the IOC as structured data [ioc@32473 ...] and the CEF line ' +
          'as MSG. Same filters and paging as GET /api/v1/iocs.',
        tags: ['exports'],
        security: SECURITY,
        querystring: CefExportQuery,
        response: {
          200: {
            description: 'CEF lines or RFC 5424 messages, one per IOC',
            headers: { ...RATE_LIMIT_HEADERS, ...EXPORT_PAGE_HEADERS },
            content: { 'text/plain': { schema: TextDocument } },
          },
          ...AUTH_ERROR_RESPONSES,
        },
      },
      config: { feature: 'cef' },
    },
    async (request, reply) => {
      const key = request.apiKey;
      if (!key) throw new Error('authenticated route reached without an API key');
      const parsed = parseIocFilter(request.query, key.plan, new Date());
      const page = await openExportPage(app.store, totals, request, reply, parsed.query);
      const syslog = request.query.format === 'syslog';
      reply.type(syslog ? SYSLOG_CONTENT_TYPE : CEF_CONTENT_TYPE);
      const writer = syslog ? lineWriter((r) => renderSyslogLine(r, { hostname: host })) : lineWriter((r) => renderCefLine(r));
      return reply.send(exportBody(writer, page));
    },
  );
};
