/**
 * `GET /api/v1/iocs`: the IOC list with every shared filter, in json (envelope), csv, txt or
 * ndjson, paged by offset (documented by the hosted product) or by cursor (lossless sync).
 */
import type { OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IocRecord } from '../../domain/ioc.js';
import type { Feature } from '../../domain/plans.js';
import { CSV_CONTENT_TYPE, CSV_HEADER, renderCsvRow } from '../../export/csv.js';
import { envelopeHead, envelopeTail, type ListLinks } from '../../export/json.js';
import { NDJSON_CONTENT_TYPE, ndjsonFromDocs } from '../../export/ndjson.js';
import { HEC_CONTENT_TYPE, type HecEnvelopeWriter } from '../../export/splunk.js';
import { TXT_CONTENT_TYPE, renderTxtLine } from '../../export/txt.js';
import type { IocPageRow } from '../../store/store.js';
import { encodeCursor } from '../cursor.js';
import { parseIocFilter, type ParsedIocFilter } from '../ioc-filter.js';
import { IocListCache, type PageRead } from '../ioc-page.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { IocListQuery, IocListResponse, LIST_FORMATS, PAGE_HEADERS, type IocListQueryInput, type ListFormat } from '../schemas/iocs.js';
import { hecWriterFor } from '../hec-envelopes.js';

const TEXT = Type.String();

/** The plan feature a list request needs: its format (`json` unless `format=` names another). */
export function formatFeature(request: FastifyRequest): Feature {
  const format = (request.query as { format?: unknown }).format;
  if (typeof format !== 'string' || !(LIST_FORMATS as readonly string[]).includes(format)) return 'json';
  // HEC envelopes are the NDJSON export in Splunk's wrapping: the same plan feature.
  return format === 'hec' ? 'ndjson' : (format as Exclude<ListFormat, 'hec'>);
}

/** `self` and `next` as absolute URLs; `next` continues by cursor (offset dropped). */
export function pageLinks(request: FastifyRequest, nextCursor: string | null, hasMore: boolean): ListLinks {
  const self = new URL(request.url, `${request.protocol}://${request.host}`);
  let next: string | null = null;
  if (hasMore && nextCursor !== null) {
    const u = new URL(self);
    u.searchParams.delete('offset');
    u.searchParams.set('cursor', nextCursor);
    next = u.toString();
  }
  return { self: self.toString(), next };
}

function parseDocs(rows: readonly IocPageRow[]): IocRecord[] {
  return rows.map((r) => JSON.parse(r.doc) as IocRecord);
}

/** Text of one chunk of rows in `format` (the JSON envelope's documents are comma-separated). */
function renderChunk(format: ListFormat, rows: readonly IocPageRow[], first: boolean, hec?: HecEnvelopeWriter): string {
  switch (format) {
    case 'hec':
      return hec ? hec.events(rows) : '';
    case 'json':
      return (first ? '' : ',') + rows.map((r) => r.doc).join(',');
    case 'ndjson':
      return ndjsonFromDocs(rows.map((r) => r.doc));
    case 'csv':
      return parseDocs(rows).map(renderCsvRow).join('');
    case 'txt':
      return parseDocs(rows).map(renderTxtLine).join('');
  }
}

const CONTENT_TYPES: Record<ListFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: CSV_CONTENT_TYPE,
  txt: TXT_CONTENT_TYPE,
  ndjson: NDJSON_CONTENT_TYPE,
  hec: HEC_CONTENT_TYPE,
};

function body(
  format: ListFormat,
  page: PageRead,
  head: string,
  tail: string,
  hec?: { key: string; writer: HecEnvelopeWriter },
): Buffer[] | Readable {
  if (page.rows) {
    const cacheKey = hec?.key ?? format;
    let docs = page.rendered?.get(cacheKey);
    if (docs === undefined) {
      docs = Buffer.from(page.rows.length > 0 ? renderChunk(format, page.rows, true, hec?.writer) : '', 'utf8');
      // Bounded by the page cache: at most one rendering per format of each cached page.
      page.rendered?.set(cacheKey, docs);
    }
    // Bytes, not a string: the socket then copies instead of encoding (a third faster in the bench).
    return [Buffer.from(head, 'utf8'), docs, Buffer.from(tail, 'utf8')];
  }
  const stream = page.stream;
  async function* chunks(): AsyncGenerator<string> {
    yield head;
    let first = true;
    for await (const rows of stream()) {
      yield renderChunk(format, rows, first, hec?.writer);
      first = false;
    }
    yield tail;
  }
  return Readable.from(chunks(), { objectMode: false });
}

/**
 * Send a page held as parts (head, the cached documents, tail) in one corked write, so the
 * kernel gathers them: concatenating them first copied the whole page (90 KB for 100 IOCs) once
 * more per request. Fastify sends one payload, so the reply is hijacked and written raw, with
 * every header already set on it (security, rate limit, paging); onResponse hooks (the request
 * log) still run. On HEAD, Node's response drops the body itself.
 */
function sendParts(reply: FastifyReply, parts: readonly Buffer[]): FastifyReply {
  let length = 0;
  for (const p of parts) length += p.length;
  const headers: OutgoingHttpHeaders = { 'content-length': length };
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && name !== 'content-length') headers[name] = typeof value === 'number' ? String(value) : value;
  }
  reply.hijack();
  const res = reply.raw;
  res.writeHead(reply.statusCode, headers);
  res.cork();
  for (const p of parts) res.write(p);
  res.end();
  res.uncork();
  return reply;
}

export const iocsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new IocListCache(app.store);

  app.get<{ Querystring: IocListQueryInput }>(
    '/iocs',
    {
      schema: {
        summary: 'List IOCs',
        description:
          'IOCs in ascending version order. Filters combine with AND. Page with offset (documented) or cursor ' +
          '(lossless: follow meta.next_cursor, or the X-Next-Cursor header for csv, txt and ndjson). ' +
          'status=all also returns expired, revoked and allowlisted IOCs, so a sync sees every change exactly once.',
        tags: ['iocs'],
        security: SECURITY,
        querystring: IocListQuery,
        response: {
          200: {
            description: 'A page of IOCs',
            headers: { ...RATE_LIMIT_HEADERS, ...PAGE_HEADERS },
            content: {
              'application/json': { schema: IocListResponse },
              'text/csv': { schema: TEXT },
              'text/plain': { schema: TEXT },
              'application/x-ndjson': { schema: TEXT },
            },
          },
          ...AUTH_ERROR_RESPONSES,
        },
      },
      config: { feature: formatFeature },
    },
    async (request, reply) => {
      const format: ListFormat = request.query.format ?? 'json';
      const key = request.apiKey;
      if (!key) throw new Error('authenticated route reached without an API key');
      const now = new Date();
      const parsed: ParsedIocFilter = parseIocFilter(request.query, key.plan, now);
      const { query } = parsed;
      const { total, page } = await cache.read(query, request.iocVersion);
      const nextCursor = page.nextVersion === null ? null : encodeCursor(page.nextVersion);
      const links = pageLinks(request, nextCursor, page.hasMore);

      reply.header('Cache-Control', 'no-store');
      reply.header('X-Total-Count', String(total));
      reply.header('X-Has-More', String(page.hasMore));
      if (nextCursor !== null) reply.header('X-Next-Cursor', nextCursor);
      if (links.next) reply.header('Link', `<${links.next}>; rel="next"`);
      reply.type(CONTENT_TYPES[format]);

      let head = '';
      let tail = '';
      if (format === 'json') {
        head = envelopeHead({
          total,
          limit: query.limit,
          offset: parsed.offset,
          next_cursor: nextCursor,
          has_more: page.hasMore,
          generated_at: now.toISOString(),
          feed_version: '1.0',
          source: 'SOC Defenders',
          filters: parsed.filters,
        });
        tail = envelopeTail(links);
      } else if (format === 'csv') {
        head = CSV_HEADER;
      }
      const payload = body(format, page, head, tail, format === 'hec' ? hecWriterFor(request.query) : undefined);
      return Array.isArray(payload) ? sendParts(reply, payload) : reply.send(payload);
    },
  );
};
