/**
 * `GET /api/v1/exports/splunk/{ip,domain,http,file,email}.csv` (pro, feature `splunk-lookups`):
 * every active IOC of the file's types in the Splunk ES `local_*_intel` column layout
 * (export/splunk-lookups.ts), streamed from the store a chunk at a time. A lookup file is the
 * whole current set, so there is no limit or cursor: Splunk ES (or a scheduled curl) downloads
 * it whole and replaces the previous one. The optional filters narrow the set; `since` follows
 * the plan's lookback like every other export.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IocRecord } from '../../domain/ioc.js';
import {
  LOOKUP_CONTENT_TYPE,
  lookupHeader,
  renderLookupRow,
  SPLUNK_LOOKUP_NAMES,
  SPLUNK_LOOKUPS,
  type SplunkLookupLayout,
} from '../../export/splunk-lookups.js';
import type { IocFilter, Store } from '../../store/store.js';
import { parseIocFilter } from '../ioc-filter.js';
import { CHUNK_ROWS } from '../ioc-page.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { LookupCsv, SplunkLookupQuery, type SplunkLookupQueryInput } from '../schemas/splunk.js';

async function* lookupCsv(store: Store, layout: SplunkLookupLayout, filter: IocFilter): AsyncGenerator<string> {
  yield lookupHeader(layout);
  let after = 0;
  for (;;) {
    const rows = await store.listIocs({ ...filter, afterVersion: after, limit: CHUNK_ROWS });
    let out = '';
    for (const row of rows) out += renderLookupRow(layout, JSON.parse(row.doc) as IocRecord);
    if (out !== '') yield out;
    const last = rows[rows.length - 1];
    if (!last || rows.length < CHUNK_ROWS) return;
    after = last.version;
  }
}

export const splunkLookupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const name of SPLUNK_LOOKUP_NAMES) {
    const layout = SPLUNK_LOOKUPS[name];
    app.get<{ Querystring: SplunkLookupQueryInput }>(
      `/exports/splunk/${name}.csv`,
      {
        schema: {
          summary: `Splunk ES ${layout.lookup} lookup (${layout.types.join(', ')})`,
          description:
            `Every active ${layout.types.join(', ')} IOC as a CSV in the Splunk Enterprise Security ${layout.lookup} ` +
            `layout: \`${layout.columns.join(',')}\`. The indicator is in \`${layout.valueColumn}\` exactly as stored; ` +
            'description carries threat, malware, confidence, source and context (a leading = + - @ is neutralized ' +
            "with ' so no spreadsheet runs it); weight is 3 for high confidence, 2 medium, 1 low. Streamed whole: " +
            'no limit or cursor. Needs the pro plan (feature splunk-lookups).',
          tags: ['exports'],
          security: SECURITY,
          querystring: SplunkLookupQuery,
          response: {
            200: {
              description: `The ${layout.lookup} lookup file`,
              headers: { ...RATE_LIMIT_HEADERS },
              content: { 'text/csv': { schema: LookupCsv } },
            },
            ...AUTH_ERROR_RESPONSES,
          },
        },
        config: { feature: 'splunk-lookups' },
      },
      async (request, reply) => {
        const key = request.apiKey;
        if (!key) throw new Error('authenticated route reached without an API key');
        const { query } = parseIocFilter({ ...request.query, type: layout.types.join(','), status: 'active' }, key.plan, new Date());
        const { limit: _limit, ...filter } = query;
        reply.type(LOOKUP_CONTENT_TYPE);
        reply.header('Content-Disposition', `attachment; filename="socd_${name}_intel.csv"`);
        reply.header('Cache-Control', 'no-store');
        return reply.send(Readable.from(lookupCsv(app.store, layout, filter), { objectMode: false }));
      },
    );
  }
};
