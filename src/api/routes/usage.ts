/**
 * `GET /api/v1/usage`: the calling key's quota use (this minute and this UTC day, this request
 * included) against its plan's limits, and a per-day series from the exact quota counters
 * (requests) and the request log (errors). Any plan; counted like every request.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { dailyRequestLog, dailyUsageUnits } from '../../store/search-queries.js';
import { COST_UNITS_PER_REQUEST, windowBounds, type WindowState } from '../../store/usage-repository.js';
import { callerOf, responseMeta } from '../observables.js';
import { AUTH_ERROR_RESPONSES, RATE_LIMIT_HEADERS, SECURITY } from '../schemas/common.js';
import { UsageQuery, UsageResponse } from '../schemas/usage.js';

const DAY_MS = 86_400_000;

function windowView(w: Pick<WindowState, 'used' | 'limit' | 'resetsAt'>): {
  used: number;
  limit: number;
  remaining: number;
  resets_at: string;
} {
  return { used: w.used, limit: w.limit, remaining: Math.max(0, Math.floor(w.limit - w.used + 1e-9)), resets_at: w.resetsAt };
}

export const usageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/usage',
    {
      schema: {
        summary: "The calling key's usage",
        description:
          "Requests this minute and this UTC day against the plan's limits, the plan, and a per-day series " +
          '(days=7 by default, up to 90).',
        tags: ['account'],
        security: SECURITY,
        querystring: UsageQuery,
        response: {
          200: { description: 'Usage of this API key', headers: RATE_LIMIT_HEADERS, ...UsageResponse },
          ...AUTH_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const key = callerOf(request);
      const { plan } = key;
      const now = new Date();
      const days = request.query.days ?? 7;
      const today = windowBounds(now, 'day').start;
      const from = new Date(Date.parse(today) - (days - 1) * DAY_MS).toISOString();

      // The quota hook counted this request and kept the counts; read them only if it did not.
      let minute: Pick<WindowState, 'used' | 'limit' | 'resetsAt'>;
      let day: Pick<WindowState, 'used' | 'limit' | 'resetsAt'>;
      const counted = request.rateLimit?.result;
      if (counted) {
        minute = counted.minute;
        day = counted.day;
      } else {
        const used = await app.usage.currentRequests(key.id, now);
        minute = { used: used.minute, limit: plan.perMinute, resetsAt: windowBounds(now, 'minute').next };
        day = { used: used.day, limit: plan.perDay, resetsAt: windowBounds(now, 'day').next };
      }

      const [record, units, log] = await Promise.all([
        app.apiKeys.findById(key.id),
        dailyUsageUnits(app.store.db, key.id, from),
        dailyRequestLog(app.store.db, key.id, from),
      ]);
      const requestsByDay = new Map(units.map((u) => [u.day.slice(0, 10), u.units / COST_UNITS_PER_REQUEST]));
      const logByDay = new Map(log.map((l) => [l.day, l]));
      const daily = [];
      for (let i = 0; i < days; i++) {
        const date = new Date(Date.parse(from) + i * DAY_MS).toISOString().slice(0, 10);
        const l = logByDay.get(date);
        daily.push({
          date,
          requests: requestsByDay.get(date) ?? 0,
          client_errors: l?.client_errors ?? 0,
          server_errors: l?.server_errors ?? 0,
        });
      }

      reply.header('Cache-Control', 'no-store');
      return {
        meta: responseMeta(now),
        data: {
          key: { id: key.id, name: record?.name ?? null, key_prefix: record?.key_prefix ?? null },
          plan: {
            name: plan.name,
            limits: {
              results_per_request: plan.resultsPerRequest,
              requests_per_minute: plan.perMinute,
              requests_per_day: plan.perDay,
              lookback_days: plan.lookbackDays,
              keys_per_user: plan.keysPerUser,
            },
            features: [...plan.features],
          },
          current: { minute: windowView(minute), day: windowView(day) },
          window_days: days,
          daily,
        },
      };
    },
  );
};
