/**
 * CSRF protection for every state-changing request of the dashboard's context (POST, PUT,
 * PATCH, DELETE), on top of the SameSite=Strict session cookie:
 * - a browser's cross-site request is refused by its `Origin` / `Sec-Fetch-Site` headers;
 * - a request that carries a session must also carry the session's token in `X-CSRF-Token`
 *   (synchronizer token; the dashboard reads it from `GET /api/session`, which other origins
 *   cannot read).
 * A request without a session is left to the route, which answers 401. The sign-in route opts
 * out of the token (there is no session yet) with `config: { csrf: 'origin-only' }`; its JSON
 * body already forces a CORS preflight that no other origin passes.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { sessionOf } from './session.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `origin-only`: check the request's origin but not the token (sign-in). */
    csrf?: 'origin-only';
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return origin === `${request.protocol}://${request.host}`;
}

function tokensEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** Throws 403 csrf_token_invalid unless a state-changing request is same-origin and carries its session's token. */
export function checkCsrf(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (!sameOrigin(request)) {
    throw new ApiError(403, 'csrf_token_invalid', 'cross-site requests cannot change anything here');
  }
  if (request.routeOptions.config.csrf === 'origin-only') return;
  const session = sessionOf(request);
  if (!session) return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !tokensEqual(sent, session.csrfToken)) {
    throw new ApiError(403, 'csrf_token_invalid', 'missing or wrong X-CSRF-Token header; reload the dashboard and try again');
  }
}

/** Add the check to `ctx`; call after installSession so the session is known. */
export function installCsrf(ctx: FastifyInstance): void {
  ctx.addHook('onRequest', async (request) => checkCsrf(request));
}
