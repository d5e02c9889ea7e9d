/**
 * `GET /api/v1/iocs/sigma` (pro): the filtered IOCs as deployable Sigma rules, one per IOC, in
 * one multi-document YAML response that `sigma convert` reads as is (export/sigma.ts renders).
 *
 * Same filters and paging as `GET /api/v1/iocs`, over the IOC types a rule can match (IPs,
 * domains, URLs, MD5/SHA1/SHA256): `limit` counts rules, and the cursor pages through rules.
 * Matching IOCs of the other types (CVE, email, SHA512, ATT&CK techniques) are not rules; they
 * are counted in the X-Sigma-Skipped headers and the leading YAML comment. The body streams,
 * one database chunk at a time, so a 10,000-rule page holds one chunk in memory.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IocRecord } from '../../domain/ioc.js';
import { IOC_TYPES, type IocType } from '../../domain/vocabulary.js';
import { SigmaStreamWriter, isSigmaRuleType, sigmaPreamble } from '../../export/sigma.js';
import type { IocPageQuery, IocPageRow } from '../../store/store.js';
import { encodeCursor } from '../cursor.js';
import { parseIocFilter } from '../ioc-filter.js';
import { IocListCache, type PageRead } from '../ioc-page.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { SIGMA_CONTENT_TYPE, SIGMA_HEADERS, SigmaQuery, SigmaRules, type SigmaQueryInput } from '../schemas/sigma.js';
import { pageLinks } from './iocs.js';

const NO_ROWS: PageRead = {
  nextVersion: null,
  hasMore: false,
  rows: [],
  stream: async function* () {
    /* nothing to read: the filter names only types without rules */
  },
};

function renderRows(writer: SigmaStreamWriter, rows: readonly IocPageRow[]): string {
  let out = '';
  for (const row of rows) out += writer.write(JSON.parse(row.doc) as IocRecord);
  return out;
}

async function* sigmaBody(preamble: string, page: PageRead): AsyncGenerator<string> {
  yield preamble;
  const writer = new SigmaStreamWriter();
  for await (const rows of page.stream()) {
    const chunk = renderRows(writer, rows);
    if (chunk !== '') yield chunk;
  }
}

export const sigmaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new IocListCache(app.store);

  /** Matching IOCs of `type` (a cached count; the one-row page read with it is cached too). */
  async function countOf(filter: IocPageQuery, type: IocType): Promise<number> {
    const { afterVersion: _after, offset: _offset, ...rest } = filter;
    return (await cache.read({ ...rest, types: [type], limit: 1 })).total;
  }

  app.get<{ Querystring: SigmaQueryInput }>(
    '/iocs/sigma',
    {
      schema: {
        summary: 'IOCs as Sigma rules',
        description:
          'One Sigma rule per IOC (IPs on network_connection DestinationIp, CIDR ranges with |cidr; domains and their ' +
          'subdomains on dns_query QueryName; URLs on proxy c-uri; MD5/SHA1/SHA256 on process_creation Hashes), in one ' +
          'multi-document YAML stream for `sigma convert`. Rule ids are stable per IOC (UUIDv5 of type and value), so a ' +
          'SIEM refresh updates rules; titles are unique. Same filters and paging as GET /api/v1/iocs; with status=all, ' +
          'IOCs that are no longer active come out as status: deprecated. CVE, email, SHA512 and ATT&CK technique IOCs ' +
          'have no log source that can match them: they are counted in X-Sigma-Skipped, not rendered.',
        tags: ['exports'],
        security: SECURITY,
        querystring: SigmaQuery,
        response: {
          200: {
            description: 'Sigma rules (YAML)',
            headers: { ...RATE_LIMIT_HEADERS, ...SIGMA_HEADERS },
            content: { 'application/yaml': { schema: SigmaRules } },
          },
          ...AUTH_ERROR_RESPONSES,
        },
      },
      config: { feature: 'sigma' },
    },
    async (request, reply) => {
      const key = request.apiKey;
      if (!key) throw new Error('authenticated route reached without an API key');
      const now = new Date();
      const parsed = parseIocFilter(request.query, key.plan, now);
      const asked: readonly IocType[] = parsed.query.types ?? IOC_TYPES;
      const ruleTypes = asked.filter(isSigmaRuleType);
      const query: IocPageQuery = { ...parsed.query, types: ruleTypes };

      const skipped: Partial<Record<IocType, number>> = {};
      for (const type of asked) {
        if (isSigmaRuleType(type)) continue;
        const n = await countOf(parsed.query, type);
        if (n > 0) skipped[type] = n;
      }
      const { total, page } = ruleTypes.length > 0 ? await cache.read(query) : { total: 0, page: NO_ROWS };
      const cursorVersion = page.nextVersion ?? query.afterVersion ?? null;
      const nextCursor = cursorVersion === null ? null : encodeCursor(cursorVersion);
      const links = pageLinks(request, nextCursor, page.hasMore);
      const skippedTotal = Object.values(skipped).reduce((a, b) => a + b, 0);

      reply.header('Cache-Control', 'no-store');
      reply.header('X-Total-Count', String(total));
      reply.header('X-Has-More', String(page.hasMore));
      if (nextCursor !== null) reply.header('X-Next-Cursor', nextCursor);
      if (links.next) reply.header('Link', `<${links.next}>; rel="next"`);
      reply.header('X-Sigma-Skipped', String(skippedTotal));
      if (skippedTotal > 0) {
        reply.header(
          'X-Sigma-Skipped-Types',
          Object.entries(skipped)
            .map(([t, n]) => `${t}=${n}`)
            .join(', '),
        );
      }
      reply.type(SIGMA_CONTENT_TYPE);
      const preamble = sigmaPreamble({ generatedAt: now.toISOString(), skipped });
      return reply.send(Readable.from(sigmaBody(preamble, page), { objectMode: false }));
    },
  );
};
