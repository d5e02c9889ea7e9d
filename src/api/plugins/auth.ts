/**
 * API key authentication for every route of the context it is registered in (`/api/v1`; TAXII
 * can register it too). Accepts `Authorization: Bearer <key>`, `X-API-Key: <key>` and, for
 * TAXII clients, HTTP Basic with the key as password (user empty or `apikey`).
 *
 * The key row is read by its SHA-256 (one indexed lookup, SQL compiled once) on every request
 * on PostgreSQL; on SQLite it is reused while the database's change stamp stands still
 * (KeysRepository.findByHash), which moves with any write by any process. Either way a
 * revocation, expiry or plan change made by any process is seen on the key's very next request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_PLAN_NAME, planOffering, scopeForFeature, type Feature, type Plan } from '../../domain/plans.js';
import type { KeyAuthRow } from '../../store/keys-repository.js';
import { hashApiKey, hashesEqual, looksLikeApiKey } from '../credentials.js';
import { ApiError } from '../errors.js';
import type { ApiKeyIdentity } from '../types.js';

const WWW_AUTHENTICATE = { 'WWW-Authenticate': 'Bearer realm="socd"' };

/** The key a request carries, or null when it carries none. */
export function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.length > 0) {
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const credentials = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'bearer') return credentials;
    if (scheme === 'basic') {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon < 0 ? decoded : decoded.slice(colon + 1);
    }
  }
  const x = request.headers['x-api-key'];
  if (typeof x === 'string' && x.length > 0) return x.trim();
  return null;
}

/** JSON scope lists are the same few strings for every key: parse each distinct one once. */
const scopeCache = new Map<string, readonly string[]>();
function parsedScopes(json: string): readonly string[] {
  let scopes = scopeCache.get(json);
  if (!scopes) {
    try {
      const v: unknown = JSON.parse(json);
      scopes = Array.isArray(v) ? v.map(String) : [];
    } catch {
      scopes = [];
    }
    if (scopeCache.size < 1000) scopeCache.set(json, scopes);
  }
  return scopes;
}

function invalidKey(message: string): ApiError {
  return new ApiError(401, 'invalid_api_key', message, undefined, WWW_AUTHENTICATE);
}

/**
 * Resolve the identity behind a presented key, or throw the 401 that says why not.
 * `onRow` receives the key row (e.g. for the store version read with it).
 */
export async function identify(
  app: FastifyInstance,
  key: string | null,
  now: Date,
  onRow?: (row: KeyAuthRow) => void,
): Promise<ApiKeyIdentity> {
  if (key === null || key === '') {
    throw new ApiError(
      401,
      'missing_api_key',
      'an API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"',
      undefined,
      WWW_AUTHENTICATE,
    );
  }
  if (!looksLikeApiKey(key)) throw invalidKey('the API key is not valid');
  const hash = hashApiKey(key);
  const row = await app.apiKeys.findByHash(hash);
  // Found by hash through an index; the constant-time compare keeps the final check free of
  // timing differences whatever the database's string comparison does.
  if (!row || !hashesEqual(row.key_hash, hash)) throw invalidKey('the API key is not valid');
  onRow?.(row);
  if (row.revoked_at !== null) throw invalidKey('the API key has been revoked');
  if (row.user_disabled) throw invalidKey('the API key belongs to a disabled account');
  if (row.expires_at !== null && row.expires_at <= now.toISOString()) {
    throw new ApiError(401, 'expired_api_key', `the API key expired at ${row.expires_at}`, undefined, WWW_AUTHENTICATE);
  }
  const plan: Plan = app.plans[row.plan] ?? (app.plans[DEFAULT_PLAN_NAME] as Plan);
  return { id: row.id, userId: row.user_id, plan, scopes: parsedScopes(row.scopes) };
}

/** 403 unless the caller's plan (and key scopes) include `feature`. Routes call it for dynamic needs (e.g. `format=csv`). */
export function requireFeature(request: FastifyRequest, feature: Feature, what: string = feature): void {
  const key = request.apiKey;
  if (!key) throw new ApiError(401, 'missing_api_key', 'an API key is required');
  if (!key.plan.features.includes(feature)) {
    const needed = planOffering(request.server.plans, feature);
    throw new ApiError(
      403,
      'plan_upgrade_required',
      `${what} is not included in the ${key.plan.name} plan${needed ? `; it needs the ${needed} plan` : ''}`,
      { feature, plan: key.plan.name, required_plan: needed },
    );
  }
  const scope = scopeForFeature(feature);
  if (!key.scopes.includes(scope)) {
    throw new ApiError(403, 'insufficient_scope', `${what} needs an API key with scope ${scope}`, {
      feature,
      scope,
      key_scopes: key.scopes,
    });
  }
}

/** onRequest hook: authenticate the request and check the route's `config.feature`. */
export async function authenticate(request: FastifyRequest): Promise<void> {
  request.apiKey = await identify(request.server, presentedKey(request), new Date(), (row) => {
    request.iocVersion = row.ioc_version;
  });
  const declared = request.routeOptions.config.feature;
  const feature = typeof declared === 'function' ? declared(request) : declared;
  if (feature) requireFeature(request, feature, feature === 'json' || typeof declared !== 'function' ? feature : `format=${feature}`);
}

/**
 * Protect every route of `app`'s context (and its children), which is an encapsulated context
 * such as `/api/v1`: authentication, then `after` (the quota count, plugins/quotas.ts) in the
 * same hook, one async step per request instead of two.
 */
export function installAuth(app: FastifyInstance, after: (request: FastifyRequest, reply: FastifyReply) => Promise<void>): void {
  app.addHook('onRequest', async (request, reply) => {
    await authenticate(request);
    await after(request, reply);
  });
}
