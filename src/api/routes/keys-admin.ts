/**
 * The documented key endpoints (research note §1.12), session cookie only: an API key cannot
 * list, mint or revoke keys. A member sees and manages only their own keys; an administrator
 * any (`GET /api/v1/keys?all=true` lists everyone's). Keys are minted within the plan's
 * keys-per-user limit and shown once; revocation is irreversible and takes a reason.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { DEFAULT_PLAN_NAME, type Plan } from '../../domain/plans.js';
import type { ApiKey } from '../../store/keys-repository.js';
import { keyUsage, totalUnitsByKey } from '../../store/key-usage-queries.js';
import { accountCall } from '../account-errors.js';
import { createApiKey, revokeApiKey } from '../accounts.js';
import { accountDepsOf, audit, type DashboardContext } from '../dashboard-context.js';
import { ApiError } from '../errors.js';
import { keyDetail, keySummary, keyUsageView, windowStart } from '../keys-view.js';
import { requireSession, type SessionContext } from '../plugins/session.js';
import { errorResponse } from '../schemas/common.js';
import {
  CreateKeyBody,
  CreatedKeyResponse,
  KeyIdParams,
  KeyListQuery,
  KeyListResponse,
  KeyResponse,
  KeyUsageQuery,
  KeyUsageResponse,
  RevokeKeyBody,
} from '../schemas/keys.js';

const TAGS = ['account'];
const SESSION_ONLY =
  'Session cookie only (sign in with POST /api/session; send X-CSRF-Token on changes): an API key is refused with 401.';
const ERRORS = {
  401: errorResponse('authentication_required: no dashboard session (API keys cannot manage keys)'),
  403: errorResponse('forbidden, or csrf_token_invalid on a change without the session’s token'),
  404: errorResponse('not_found: no such key among those you may see'),
} as const;

export const SHOW_ONCE_WARNING =
  'Store this API key securely: it is shown only this once. If it is lost, revoke it and create another.';

function planOf(request: FastifyRequest, name: string): Plan {
  const plans = request.server.plans;
  return plans[name] ?? (plans[DEFAULT_PLAN_NAME] as Plan);
}

/** The key `id` if the session may see it (its own, or any for an administrator); 404 otherwise. */
async function visibleKey(request: FastifyRequest, session: SessionContext, id: string): Promise<ApiKey> {
  const key = await request.server.apiKeys.findById(id.toLowerCase());
  if (!key || (session.user.role !== 'admin' && key.user_id !== session.user.id)) {
    throw new ApiError(404, 'not_found', `no API key with id ${id}`);
  }
  return key;
}

async function ownerEmail(request: FastifyRequest, session: SessionContext, key: ApiKey): Promise<string | null> {
  if (key.user_id === session.user.id) return session.user.email;
  return (await request.server.accounts.findById(key.user_id))?.email ?? null;
}

export const keysAdminRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (app, ctx) => {
  app.get(
    '/api/v1/keys',
    {
      schema: {
        summary: 'List API keys',
        description: `Your keys (administrators: all=true lists every user's), oldest first. ${SESSION_ONLY}`,
        tags: TAGS,
        querystring: KeyListQuery,
        response: { 200: { description: 'Keys', ...KeyListResponse }, 400: errorResponse('invalid_parameter'), ...ERRORS },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const all = request.query.all === true;
      if (all && session.user.role !== 'admin') throw new ApiError(403, 'forbidden', 'only administrators can list every user’s keys');
      const now = new Date();
      const keys = await app.apiKeys.list(all ? undefined : session.user.id);
      // On SQLite the quota counts are saved write-behind: save them before reading the table.
      await app.usage.flush();
      const units = await totalUnitsByKey(app.store.db, keys.map((k) => k.id));
      const emails = new Map<string, string>([[session.user.id, session.user.email]]);
      if (all) for (const u of await app.accounts.list()) emails.set(u.id, u.email);
      const data = keys.map((k) => keySummary(k, units.get(k.id) ?? 0, emails.get(k.user_id) ?? null, now));
      reply.header('Cache-Control', 'no-store');
      return {
        meta: {
          total: data.length,
          keys_per_user: planOf(request, session.user.plan).keysPerUser,
          active: data.filter((k) => k.user_id === session.user.id && k.status === 'active').length,
        },
        data,
      };
    },
  );

  app.post(
    '/api/v1/keys',
    {
      schema: {
        summary: 'Create an API key',
        description:
          `Mints a key for the signed-in user on their plan (tier and scopes inherited), within the plan's keys-per-user ` +
          `limit. The full key is in data.key (and data.full_key) of this response only. ${SESSION_ONLY}`,
        tags: TAGS,
        body: CreateKeyBody,
        response: {
          201: { description: 'Created; the key is shown once', ...CreatedKeyResponse },
          400: errorResponse('invalid_parameter or invalid_body'),
          ...ERRORS,
          403: errorResponse('key_limit_reached (revoke a key first), forbidden or csrf_token_invalid'),
        },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const { name, expires_in_days } = request.body;
      const created = await accountCall(() =>
        createApiKey(accountDepsOf(request), {
          email: session.user.email,
          name,
          ...(expires_in_days !== undefined ? { expiresInDays: expires_in_days } : {}),
        }),
      );
      const record = created.record;
      await audit(ctx, request, session, 'key.create', { type: 'api_key', id: record.id }, {
        name: record.name,
        key_prefix: record.key_prefix,
        expires_at: record.expires_at,
      });
      const detail = keyDetail(keySummary(record, 0, session.user.email, new Date()), planOf(request, record.plan));
      reply.header('Cache-Control', 'no-store');
      return reply.status(201).send({
        meta: { warning: SHOW_ONCE_WARNING },
        data: { ...detail, key: created.key, full_key: created.key, key_preview: record.key_prefix },
      });
    },
  );

  app.get(
    '/api/v1/keys/:id',
    {
      schema: {
        summary: 'Get an API key',
        description: `One key with its plan's rate limits (never its secret). ${SESSION_ONLY}`,
        tags: TAGS,
        params: KeyIdParams,
        response: { 200: { description: 'The key', ...KeyResponse }, 400: errorResponse('invalid_parameter'), ...ERRORS },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const key = await visibleKey(request, session, request.params.id);
      await app.usage.flush();
      const units = await totalUnitsByKey(app.store.db, [key.id]);
      reply.header('Cache-Control', 'no-store');
      return {
        data: keyDetail(keySummary(key, units.get(key.id) ?? 0, await ownerEmail(request, session, key), new Date()), planOf(request, key.plan)),
      };
    },
  );

  app.delete(
    '/api/v1/keys/:id',
    {
      schema: {
        summary: 'Revoke an API key',
        description: `Irreversible: the key's next request gets 401 invalid_api_key, in every server process. ${SESSION_ONLY}`,
        tags: TAGS,
        params: KeyIdParams,
        body: RevokeKeyBody,
        response: {
          200: { description: 'Revoked', ...KeyResponse },
          400: errorResponse('invalid_parameter'),
          ...ERRORS,
          409: errorResponse('conflict: the key was already revoked'),
        },
      },
      // The body is optional (the hosted API documents `{reason}` as optional): none is `{}`.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const key = await visibleKey(request, session, request.params.id);
      const reason = request.body.reason?.trim() || `revoked by ${session.user.email}`;
      const revoked = await accountCall(() => revokeApiKey(accountDepsOf(request), key.id, reason));
      const email = await ownerEmail(request, session, key);
      await audit(ctx, request, session, 'key.revoke', { type: 'api_key', id: key.id }, {
        key_prefix: key.key_prefix,
        reason,
        owner: email,
      });
      await app.usage.flush();
      const units = await totalUnitsByKey(app.store.db, [key.id]);
      reply.header('Cache-Control', 'no-store');
      return { data: keyDetail(keySummary(revoked, units.get(key.id) ?? 0, email, new Date()), planOf(request, key.plan)) };
    },
  );

  app.get(
    '/api/v1/keys/:id/usage',
    {
      schema: {
        summary: 'Usage analytics of an API key',
        description:
          'Requests over the last days (1 to 90; default 30) from the request log: totals, success and error counts, ' +
          'latency percentiles, top endpoints, counts by status, a daily series and rate-limit (429) hits by hour. ' +
          SESSION_ONLY,
        tags: TAGS,
        params: KeyIdParams,
        querystring: KeyUsageQuery,
        response: { 200: { description: 'Usage', ...KeyUsageResponse }, 400: errorResponse('invalid_parameter'), ...ERRORS },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const key = await visibleKey(request, session, request.params.id);
      const days = request.query.days ?? 30;
      const now = new Date();
      await app.usage.flush();
      const raw = await keyUsage(app.store.db, key.id, windowStart(now, days));
      reply.header('Cache-Control', 'no-store');
      return { meta: { generated_at: now.toISOString() }, data: keyUsageView(key.id, raw, days, now, planOf(request, key.plan)) };
    },
  );
};

