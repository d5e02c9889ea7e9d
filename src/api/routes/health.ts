/** `GET /healthz`: liveness plus the store's IOC counts. No authentication, not counted. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { StoreCounts } from '../../store/store.js';

const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  iocs: Type.Object({
    total: Type.Integer(),
    byStatus: Type.Record(Type.String(), Type.Integer()),
    byType: Type.Record(Type.String(), Type.Integer()),
    lastVersion: Type.Integer(),
  }),
});

/**
 * Counts group the whole IOC table; a load balancer probing every second must not run that scan
 * every time, so one count serves every probe for a few seconds (and concurrent probes share it).
 */
const COUNTS_TTL_MS = 5000;

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  let cached: { at: number; counts: Promise<StoreCounts> } | null = null;

  app.get(
    '/healthz',
    { schema: { summary: 'Health check', tags: ['system'], response: { 200: HealthResponse } } },
    async () => {
      const now = Date.now();
      if (!cached || now - cached.at > COUNTS_TTL_MS) {
        const counts = app.store.counts();
        cached = { at: now, counts };
        counts.catch(() => {
          if (cached?.counts === counts) cached = null;
        });
      }
      return { status: 'ok' as const, iocs: await cached.counts };
    },
  );
};
