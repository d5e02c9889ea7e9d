/**
 * `GET /api/v1/iocs/stats` (pro): totals, trends, feed health, top techniques and CVEs. Every
 * number is aggregated in SQL; the result is cached in this process for 60 s (concurrent
 * requests during a refresh share one computation), and the cache's age is in the headers.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { iocStats } from '../../store/search-queries.js';
import { buildStats } from '../stats-view.js';
import { PrerenderedJson } from '../schemas/prerendered.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { CACHE_HEADERS, StatsResponse } from '../schemas/stats.js';

export const STATS_TTL_MS = 60_000;

interface Cached {
  at: number;
  body: string;
}

export const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  let cached: Cached | null = null;
  let refreshing: Promise<Cached> | null = null;

  async function compute(): Promise<Cached> {
    const now = new Date();
    const raw = await iocStats(app.store, now);
    return { at: now.getTime(), body: JSON.stringify(buildStats(raw, now)) };
  }

  async function current(): Promise<Cached> {
    if (cached && Date.now() - cached.at < STATS_TTL_MS) return cached;
    if (!refreshing) {
      refreshing = compute()
        .then((c) => (cached = c))
        .finally(() => {
          refreshing = null;
        });
    }
    return refreshing;
  }

  app.get(
    '/iocs/stats',
    {
      schema: {
        summary: 'IOC statistics',
        description:
          'Totals by type, category and source (active IOCs) and by status (all), new and seen IOCs in the last ' +
          '24 h and 7 days, feed health, top ATT&CK techniques and CVEs. Cached for 60 s per server process.',
        tags: ['iocs'],
        security: SECURITY,
        response: {
          200: {
            description: 'Statistics',
            headers: { ...RATE_LIMIT_HEADERS, ...CACHE_HEADERS },
            content: { 'application/json': { schema: PrerenderedJson(StatsResponse) } },
          },
          ...AUTH_ERROR_RESPONSES,
        },
      },
      config: { feature: 'stats' },
    },
    async (_request, reply) => {
      const c = await current();
      const age = Math.max(0, Math.floor((Date.now() - c.at) / 1000));
      reply.header('X-Cache-Updated-At', new Date(c.at).toISOString());
      reply.header('X-Cache-Age-Seconds', String(age));
      reply.header('Cache-Control', `private, max-age=${Math.max(0, STATS_TTL_MS / 1000 - age)}`);
      return reply.type('application/json; charset=utf-8').send(c.body);
    },
  );
};
