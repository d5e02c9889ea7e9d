/**
 * Plan quotas: every authenticated request is counted exactly against its key's per-minute and
 * per-UTC-day limits (store/usage-repository.ts). On PostgreSQL each request is one atomic
 * upsert, because several processes share the counters; on SQLite (one process, DESIGN.md §9)
 * the count is exact in process memory and saved to `usage_counters` write-behind (about once a
 * second and on close), so routes reading that table flush it first (USAGE_READING_ROUTES).
 *
 * Decisions (documented in the OpenAPI description too):
 * - A request costs `config.cost` (default 1; TAXII object pulls 2.5), counted in tenths.
 * - A refused request (429) is not counted: hammering a full window does not eat tomorrow's quota.
 * - Requests refused before counting (401, 403 for a feature above the plan) are not counted;
 *   every other request is, whatever its status (a 400 still costs a request).
 * - Windows are fixed UTC minutes and days; `X-RateLimit-*` describe the tighter of the two.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COST_UNITS_PER_REQUEST, type ConsumeResult, type WindowState } from '../../store/usage-repository.js';
import { ApiError } from '../errors.js';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Unix seconds (UTC) when the reported window starts again. */
  reset: number;
  result: ConsumeResult;
}

function remainingOf(w: WindowState): number {
  return Math.max(0, Math.floor(w.limit - w.used + 1e-9));
}

/** The window a client should pace itself by: the one with fewer requests left (the refusing one on 429). */
export function rateLimitState(result: ConsumeResult): RateLimitState {
  const pick =
    result.exceeded === 'day' ||
    (result.exceeded === null && remainingOf(result.day) < remainingOf(result.minute))
      ? result.day
      : result.minute;
  return {
    limit: pick.limit,
    remaining: remainingOf(pick),
    reset: Math.ceil(Date.parse(pick.resetsAt) / 1000),
    result,
  };
}

export function setRateLimitHeaders(reply: FastifyReply, state: RateLimitState): void {
  reply.header('X-RateLimit-Limit', String(state.limit));
  reply.header('X-RateLimit-Remaining', String(state.remaining));
  reply.header('X-RateLimit-Reset', String(state.reset));
}

/**
 * Routes of this context whose handler reads `usage_counters`: the write-behind counts are saved
 * before them, so they see every request counted so far, this one included.
 */
const USAGE_READING_ROUTES: ReadonlySet<string> = new Set(['/api/v1/usage']);

/** Count `request` against its key's quota; throws 429 when a window is full. */
export async function countRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const now = new Date();
  const key = request.apiKey;
  if (!key) return;
  const cost = request.routeOptions.config.cost ?? 1;
  const units = Math.round(cost * COST_UNITS_PER_REQUEST);
  const result = await request.server.usage.consume(key.id, units, { minute: key.plan.perMinute, day: key.plan.perDay }, now);
  const state = rateLimitState(result);
  setRateLimitHeaders(reply, state);
  if (!result.allowed) {
    const window = result.exceeded === 'day' ? result.day : result.minute;
    const retryAfter = Math.max(1, Math.ceil((Date.parse(window.resetsAt) - now.getTime()) / 1000));
    throw new ApiError(
      429,
      'rate_limit_exceeded',
      `the ${key.plan.name} plan allows ${window.limit} requests per ${result.exceeded ?? 'minute'}${
        result.exceeded === 'day' ? ' (UTC)' : ''
      }; retry after ${retryAfter} s`,
      { plan: key.plan.name, window: result.exceeded, limit: window.limit, cost, resets_at: window.resetsAt },
      { 'Retry-After': String(retryAfter) },
    );
  }
  request.rateLimit = state;
  if (USAGE_READING_ROUTES.has(request.routeOptions.url ?? '')) await request.server.usage.flush();
}

/**
 * Close-time duty of the quota count in `app`'s context; the count itself runs in the auth hook
 * (`installAuth(app, countRequest)`), right after authentication.
 */
export function installQuotas(app: FastifyInstance): void {
  // Save the write-behind counts (SQLite) before the store closes; harmless when already saved.
  app.addHook('onClose', async (instance) => instance.usage.close());
}
