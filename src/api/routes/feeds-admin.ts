/**
 * The feeds page (administrators only): every configured feed with its last run (status, counts
 * added / updated / rejected, last error, next run) and health, and "run now" with live progress
 * (the page polls `GET /api/admin/feeds` while a run is in progress).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeedConfig } from '../../ingest/feeds-config.js';
import { feedsRepository, type FeedState } from '../../store/feeds-repository.js';
import { audit, type DashboardContext } from '../dashboard-context.js';
import type { FeedRuns } from '../feed-runs.js';
import { requireAdmin } from '../plugins/session.js';
import { errorResponse } from '../schemas/common.js';
import { FeedListResponse, FeedNameParams, FeedResponse, type FeedListBody, type FeedView } from '../schemas/admin.js';
import { feedHealth } from '../stats-view.js';

const HIDDEN = { hide: true, tags: ['dashboard'] };
const ERRORS = {
  401: errorResponse('authentication_required'),
  403: errorResponse('forbidden: administrators only; csrf_token_invalid'),
} as const;

/** One feed as the page shows it, from its config (if still configured) and its stored state. Pure. */
export function feedView(name: string, config: FeedConfig | null, state: FeedState | null, runs: FeedRuns, now: Date): FeedView {
  const progress = runs.progressOf(name);
  const health = state
    ? feedHealth(
        {
          ...state,
          added: Number(state.added),
          updated: Number(state.updated),
          unchanged: Number(state.unchanged),
          rejected: Number(state.rejected),
        },
        now,
      )
    : 'never_run';
  return {
    name,
    configured: config !== null,
    enabled: config?.enabled ?? false,
    format: config?.format ?? null,
    source: config ? (config.url ?? config.path ?? null) : null,
    schedule: config?.schedule ?? null,
    health,
    last_status: progress ? 'running' : (state?.last_status ?? null),
    last_run_at: state?.last_run_at ?? null,
    last_success_at: state?.last_success_at ?? null,
    last_error: state?.last_error ?? null,
    added: Number(state?.added ?? 0),
    updated: Number(state?.updated ?? 0),
    unchanged: Number(state?.unchanged ?? 0),
    rejected: Number(state?.rejected ?? 0),
    next_run_at: state?.next_run_at ?? null,
    running: progress !== null || state?.last_status === 'running',
    progress: progress ? { ...progress } : null,
    warnings: config?.warnings ?? [],
  };
}

export const feedsAdminRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (app, ctx) => {
  const repo = feedsRepository(app.store.db);

  async function list(): Promise<FeedListBody> {
    let configured: FeedConfig[] = [];
    let configError: string | null = null;
    try {
      configured = ctx.feedRuns.feedsConfig().feeds;
    } catch (err) {
      configError = err instanceof Error ? err.message : String(err);
    }
    const states = new Map((await repo.listFeedStates()).map((s) => [s.name, s]));
    const now = new Date();
    const data = configured.map((f) => feedView(f.name, f, states.get(f.name) ?? null, ctx.feedRuns, now));
    for (const [name, state] of states) {
      if (!configured.some((f) => f.name === name)) data.push(feedView(name, null, state, ctx.feedRuns, now));
    }
    return { data, meta: { config: app.config.feedsConfigPath, config_error: configError } };
  }

  app.get(
    '/api/admin/feeds',
    { schema: { ...HIDDEN, summary: 'Feeds, their last runs and live progress', response: { 200: FeedListResponse, ...ERRORS } } },
    async (request, reply) => {
      requireAdmin(request);
      reply.header('Cache-Control', 'no-store');
      return list();
    },
  );

  app.post(
    '/api/admin/feeds/:name/run',
    {
      schema: {
        ...HIDDEN,
        summary: 'Run a feed now',
        params: FeedNameParams,
        response: {
          202: FeedResponse,
          ...ERRORS,
          404: errorResponse('not_found: no such feed in the config'),
          409: errorResponse('conflict: already running'),
        },
      },
    },
    async (request, reply) => {
      const session = requireAdmin(request);
      const feed = await ctx.feedRuns.start(request.params.name);
      await audit(ctx, request, session, 'feed.run', { type: 'feed', id: feed.name }, { source: feed.url ?? feed.path ?? null });
      const state = await repo.getFeedState(feed.name);
      return reply.status(202).send({ data: feedView(feed.name, feed, state, ctx.feedRuns, new Date()) });
    },
  );
};
