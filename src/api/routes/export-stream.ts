/**
 * What the document exports (`/iocs/stix`, `/iocs/misp`, `/iocs/openioc`, `/iocs/cef`) share:
 * the page of IOCs the shared filters select, the paging headers `GET /api/v1/iocs` sends for
 * its non-JSON formats (X-Total-Count, X-Has-More, X-Next-Cursor, Link), the canonical key of
 * the query (for ids that must be the same every time the same query runs), and a streamed body
 * built from a renderer's head, per-IOC pieces and tail. One database chunk is parsed and
 * rendered at a time, so a 10,000-IOC page never sits in memory as a whole.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IocRecord } from '../../domain/ioc.js';
import type { IocPageQuery, IocPageRow, Store } from '../../store/store.js';
import { encodeCursor } from '../cursor.js';
import type { IocFilterQueryInput, ParsedIocFilter } from '../ioc-filter.js';
import { readPage, type PageRead, type TotalsCache } from '../ioc-page.js';
import { pageLinks } from './iocs.js';

/** A page read and its headers set; the body is still to be streamed. */
export async function openExportPage(
  store: Store,
  totals: TotalsCache,
  request: FastifyRequest,
  reply: FastifyReply,
  query: IocPageQuery,
): Promise<PageRead> {
  const total = await totals.total(query);
  const page = await readPage(store, query);
  const cursorVersion = page.nextVersion ?? query.afterVersion ?? null;
  const nextCursor = cursorVersion === null ? null : encodeCursor(cursorVersion);
  const links = pageLinks(request, nextCursor, page.hasMore);
  reply.header('Cache-Control', 'no-store');
  reply.header('X-Total-Count', String(total));
  reply.header('X-Has-More', String(page.hasMore));
  if (nextCursor !== null) reply.header('X-Next-Cursor', nextCursor);
  if (links.next) reply.header('Link', `<${links.next}>; rel="next"`);
  return page;
}

/** The pieces a streaming renderer writes. `tail` is called last, after every `item`. */
export interface ExportWriter {
  head(): string;
  item(record: IocRecord): string;
  tail(): string;
}

function renderRows(writer: ExportWriter, rows: readonly IocPageRow[]): string {
  let out = '';
  for (const row of rows) out += writer.item(JSON.parse(row.doc) as IocRecord);
  return out;
}

async function* chunks(writer: ExportWriter, page: PageRead): AsyncGenerator<string> {
  yield writer.head();
  for await (const rows of page.stream()) {
    const text = renderRows(writer, rows);
    if (text !== '') yield text;
  }
  yield writer.tail();
}

/** The response body: the whole text for a page read at once, a stream for a large one. */
export function exportBody(writer: ExportWriter, page: PageRead): string | Readable {
  if (page.rows) return writer.head() + renderRows(writer, page.rows) + writer.tail();
  return Readable.from(chunks(writer, page), { objectMode: false });
}

/**
 * The query as one canonical string: the filters the caller gave (a `since` defaulted from the
 * plan's lookback is left out, since it moves every minute) and the page position. Two requests
 * for the same IOCs give the same key whatever the parameter order or spelling.
 *
 * @example exportQueryKey(parsed, { type: 'domain,ipv4' }) // 'category=&confidence=&cursor=&industry=&limit=100&offset=0&since=&status=active&type=domain,ipv4'
 */
export function exportQueryKey(parsed: ParsedIocFilter, input: IocFilterQueryInput): string {
  const f = parsed.filters;
  const given = input.since !== undefined && input.since.trim() !== '';
  const parts: Record<string, string> = {
    category: f.category ?? '',
    confidence: f.confidence ?? '',
    cursor: parsed.cursor ?? '',
    industry: f.industry ?? '',
    limit: String(parsed.query.limit),
    offset: String(parsed.offset),
    since: given ? f.since : '',
    status: f.status,
    type: f.type ? [...f.type].sort().join(',') : '',
  };
  return Object.entries(parts)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** A short human description of the filters, for document titles (`type=ipv4 confidence=high`). */
export function describeFilters(parsed: ParsedIocFilter, input: IocFilterQueryInput): string {
  const f = parsed.filters;
  const parts: string[] = [];
  if (f.type) parts.push(`type=${f.type.join(',')}`);
  if (f.confidence) parts.push(`confidence=${f.confidence}`);
  if (f.category) parts.push(`category=${f.category}`);
  if (f.industry) parts.push(`industry=${f.industry}`);
  if (input.since !== undefined && input.since.trim() !== '') parts.push(`since=${f.since}`);
  if (f.status !== 'active') parts.push(`status=${f.status}`);
  return parts.length > 0 ? parts.join(' ') : 'all active IOCs';
}
