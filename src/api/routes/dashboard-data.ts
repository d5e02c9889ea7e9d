/**
 * What the dashboard pages read (any signed-in user), built by the same code the API serves:
 * - `/api/dashboard/overview`: counts by type, confidence, category and status, new IOCs per
 *   day and feed health (overview-cache.ts: one cached pass over the table);
 * - `/api/dashboard/iocs`: the explorer, with the API's filters parsed by the API's own parser
 *   (ioc-filter.ts) against the user's plan (lookback, results per request), newest first, and
 *   matches counted up to EXPLORER_COUNT_CAP;
 * - `/api/dashboard/iocs/{id}`: the IOC page with its STIX, Sigma, hunting and curl renderings;
 * - `/api/dashboard/lookup`: exactly what `GET /api/v1/lookup` answers;
 * - `/api/dashboard/usage`: the user's keys' use today against the plan, a daily series, and
 *   what the next plan unlocks.
 * These are not metered against API quotas (they need a session, not a key) and are hidden
 * from the OpenAPI document: they serve the dashboard and may change with it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { IocRecord } from '../../domain/ioc.js';
import { DEFAULT_PLAN_NAME, type Plan, type Plans } from '../../domain/plans.js';
import { countUpTo, listNewest } from '../../store/dashboard-queries.js';
import { dailyUnitsOfKeys } from '../../store/key-usage-queries.js';
import { IocLookup, findDocById } from '../../store/search-queries.js';
import { feedsRepository } from '../../store/feeds-repository.js';
import { COST_UNITS_PER_REQUEST, windowBounds } from '../../store/usage-repository.js';
import type { DashboardContext } from '../dashboard-context.js';
import { ApiError, invalidParameter } from '../errors.js';
import { parseIocFilter } from '../ioc-filter.js';
import { iocPage } from '../ioc-page-view.js';
import { keyStatus, windowStart } from '../keys-view.js';
import { lookupAnswer } from '../lookup-view.js';
import { normalizeObservable, parseTypeParam } from '../observables.js';
import { OverviewCache } from '../overview-cache.js';
import { buildOverview } from '../overview-view.js';
import { requireSession } from '../plugins/session.js';
import { errorResponse } from '../schemas/common.js';
import {
  DashboardUsageQuery,
  DashboardUsageResponse,
  ExplorerQuery,
  ExplorerResponse,
  IocPageResponse,
  OVERVIEW_DAYS,
  OverviewResponse,
  type DashboardUsage,
  type PlanView,
} from '../schemas/dashboard.js';
import { IocIdParams } from '../schemas/ioc-by-id.js';
import { LookupQuery, LookupResponse } from '../schemas/lookup.js';
import { PrerenderedJson } from '../schemas/prerendered.js';

const HIDDEN = { hide: true, tags: ['dashboard'] };
const ERRORS = { 401: errorResponse('authentication_required') } as const;
const DAY_MS = 86_400_000;
/** The explorer counts matches up to this many ("10,000+"): a page never waits on counting a million. */
export const EXPLORER_COUNT_CAP = 10_000;

function planOf(plans: Plans, name: string): Plan {
  return plans[name] ?? (plans[DEFAULT_PLAN_NAME] as Plan);
}

export function planView(plan: Plan): PlanView {
  return {
    name: plan.name,
    results_per_request: plan.resultsPerRequest,
    requests_per_minute: plan.perMinute,
    requests_per_day: plan.perDay,
    lookback_days: plan.lookbackDays,
    keys_per_user: plan.keysPerUser,
    features: [...plan.features],
  };
}

/** The plan with the most features beyond `plan`'s, and what it adds; null when none adds any. */
export function upgradeOf(plans: Plans, plan: Plan): DashboardUsage['upgrade'] {
  let best: { plan: Plan; unlocks: string[] } | null = null;
  for (const p of Object.values(plans)) {
    if (p.name === plan.name) continue;
    const unlocks = p.features.filter((f) => !plan.features.includes(f));
    if (unlocks.length > 0 && (!best || unlocks.length > best.unlocks.length)) best = { plan: p, unlocks };
  }
  return best ? { plan: planView(best.plan), unlocks: best.unlocks } : null;
}

function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export const dashboardDataRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (app, ctx) => {
  const overview = new OverviewCache(app.store, OVERVIEW_DAYS);
  const lookup = new IocLookup(app.store);
  const feeds = feedsRepository(app.store.db);
  // Count once when the server starts, so the first visitor of the overview does not wait for
  // the full pass over the table (760 ms on 1,000,000 IOCs).
  app.addHook('onReady', async () => {
    overview.cells().catch((err: unknown) => app.log.warn({ err }, 'overview warm-up failed'));
  });

  app.get(
    '/api/dashboard/overview',
    { schema: { ...HIDDEN, summary: 'Overview counts and feed health', response: { 200: OverviewResponse, ...ERRORS } } },
    async (request, reply) => {
      requireSession(request);
      const [counted, states] = await Promise.all([overview.cells(), feeds.listFeedStates()]);
      let configured: string[] = [];
      try {
        configured = ctx.feedRuns.feedsConfig().feeds.filter((f) => f.enabled).map((f) => f.name);
      } catch {
        // A broken feed config is reported on the feeds page; the overview shows stored runs.
      }
      const rows = states.map((s) => ({
        ...s,
        added: Number(s.added),
        updated: Number(s.updated),
        unchanged: Number(s.unchanged),
        rejected: Number(s.rejected),
      }));
      reply.header('Cache-Control', 'no-store');
      return { data: buildOverview(counted.cells, counted.at, rows, configured, new Date(), OVERVIEW_DAYS) };
    },
  );

  app.get<{ Querystring: Static<typeof ExplorerQuery> }>(
    '/api/dashboard/iocs',
    {
      schema: {
        ...HIDDEN,
        summary: 'IOC explorer page (newest first)',
        querystring: ExplorerQuery,
        response: { 200: PrerenderedJson(ExplorerResponse), 400: errorResponse('invalid_parameter'), 403: errorResponse('lookback_exceeded'), ...ERRORS },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const plan = planOf(app.plans, session.user.plan);
      const q = request.query;
      const limit = q.limit ?? 50;
      const parsed = parseIocFilter(
        {
          ...(q.type !== undefined ? { type: q.type } : {}),
          ...(q.confidence !== undefined ? { confidence: q.confidence } : {}),
          ...(q.category !== undefined ? { category: q.category } : {}),
          ...(q.industry !== undefined ? { industry: q.industry } : {}),
          ...(q.since !== undefined ? { since: q.since } : {}),
          ...(q.status !== undefined ? { status: q.status } : {}),
          limit,
        },
        plan,
        new Date(),
      );
      const [counted, rows] = await Promise.all([
        countUpTo(app.store.db, parsed.query, EXPLORER_COUNT_CAP + 1),
        listNewest(app.store.db, parsed.query, { limit: limit + 1, ...(q.before !== undefined ? { beforeVersion: q.before } : {}) }),
      ]);
      const more = rows.length > limit;
      if (more) rows.length = limit;
      const meta = {
        total: Math.min(counted, EXPLORER_COUNT_CAP),
        total_capped: counted > EXPLORER_COUNT_CAP,
        limit,
        next_before: more ? (rows[rows.length - 1]?.version ?? null) : null,
        since: parsed.filters.since,
        lookback_days: plan.lookbackDays,
      };
      reply.header('Cache-Control', 'no-store');
      return reply
        .type('application/json; charset=utf-8')
        .send(`{"meta":${JSON.stringify(meta)},"data":[${rows.map((r) => r.doc).join(',')}]}`);
    },
  );

  app.get(
    '/api/dashboard/iocs/:id',
    {
      schema: {
        ...HIDDEN,
        summary: 'IOC page: the record and its renderings',
        params: IocIdParams,
        response: { 200: IocPageResponse, 400: errorResponse('invalid_parameter'), 404: errorResponse('ioc_not_found'), ...ERRORS },
      },
    },
    async (request, reply) => {
      requireSession(request);
      const id = request.params.id.toLowerCase();
      const row = await findDocById(app.store.db, id);
      if (!row) throw new ApiError(404, 'ioc_not_found', `no IOC with id ${id}`, { id });
      reply.header('Cache-Control', 'no-store');
      return { data: iocPage(JSON.parse(row.doc) as IocRecord, baseUrl(request), new Date()) };
    },
  );

  app.get(
    '/api/dashboard/lookup',
    {
      schema: {
        ...HIDDEN,
        summary: 'Look up one observable (as GET /api/v1/lookup)',
        querystring: LookupQuery,
        response: { 200: LookupResponse, 400: errorResponse('invalid_parameter'), ...ERRORS },
      },
    },
    async (request, reply) => {
      requireSession(request);
      const raw = request.query.ioc ?? request.query.value;
      if (raw === undefined || raw.trim() === '') throw invalidParameter('ioc', 'ioc is required: the observable to look up');
      const normalized = normalizeObservable(raw, parseTypeParam(request.query.type));
      if (!normalized.ok) {
        throw invalidParameter('ioc', `ioc is not a valid observable: ${normalized.reason}`, { reason: normalized.code });
      }
      const now = new Date();
      const hit = await lookup.find(normalized.type, normalized.value);
      reply.header('Cache-Control', 'no-store');
      return lookupAnswer(normalized.type, normalized.value, hit, now);
    },
  );

  app.get(
    '/api/dashboard/usage',
    {
      schema: {
        ...HIDDEN,
        summary: "The signed-in user's API usage against their plan",
        querystring: DashboardUsageQuery,
        response: { 200: DashboardUsageResponse, ...ERRORS },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const plan = planOf(app.plans, session.user.plan);
      const days = request.query.days ?? 30;
      const now = new Date();
      const keys = await app.apiKeys.list(session.user.id);
      const active = keys.filter((k) => keyStatus(k, now) === 'active');
      // On SQLite the quota counts are saved write-behind: save them before reading the table.
      await app.usage.flush();
      const current = await Promise.all(active.map((k) => app.usage.current(k.id, now)));
      const day = windowBounds(now, 'day');
      const perDay = await dailyUnitsOfKeys(app.store.db, keys.map((k) => k.id), windowStart(now, days));
      const from = Date.parse(windowStart(now, days));
      const daily = [];
      for (let i = 0; i < days; i++) {
        const date = new Date(from + i * DAY_MS).toISOString().slice(0, 10);
        daily.push({ date, requests: (perDay.get(date) ?? 0) / COST_UNITS_PER_REQUEST });
      }
      const keyPlan = (name: string): Plan => planOf(app.plans, name);
      const body: DashboardUsage = {
        plan: planView(plan),
        upgrade: upgradeOf(app.plans, plan),
        keys: active.map((k, i) => {
          const c = current[i] ?? { minuteUnits: 0, dayUnits: 0 };
          const p = keyPlan(k.plan);
          const dayUsed = c.dayUnits / COST_UNITS_PER_REQUEST;
          return {
            id: k.id,
            name: k.name,
            key_prefix: k.key_prefix,
            minute: { used: c.minuteUnits / COST_UNITS_PER_REQUEST, limit: p.perMinute },
            day: { used: dayUsed, limit: p.perDay, remaining: Math.max(0, Math.floor(p.perDay - dayUsed + 1e-9)), resets_at: day.next },
          };
        }),
        today: { requests: daily[daily.length - 1]?.requests ?? 0 },
        daily,
      };
      reply.header('Cache-Control', 'no-store');
      return { data: body };
    },
  );
};
