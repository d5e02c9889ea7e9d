/**
 * Dashboard sessions: an opaque random token in a cookie (HttpOnly, SameSite=Strict, Secure and
 * `__Host-` prefixed when the request came over TLS), stored server-side only as its SHA-256. The
 * session and its user (role, plan, disabled) are read on every request, so a sign-out, a
 * disabled account or a demotion takes effect on the very next request in every process.
 * Cookies are parsed with @fastify/cookie: https://github.com/fastify/fastify-cookie
 */
import { createHash, randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionUser, SessionsRepository } from '../../store/sessions-repository.js';
import { ApiError } from '../errors.js';

export const SESSION_COOKIE = 'socd_session';
/** Over TLS: the `__Host-` prefix makes browsers refuse the cookie unless Secure, Path=/ and host-only. */
export const SECURE_SESSION_COOKIE = '__Host-socd_session';
/** A session ends after this long without a request... */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** ...and at the latest this long after sign-in. */
export const SESSION_MAX_MS = 7 * 86_400_000;
/** Sliding the expiry costs a write: at most once a minute per session. */
const TOUCH_EVERY_MS = 60_000;

export interface SessionContext {
  /** Hex SHA-256 of the token: the row's key. */
  id: string;
  /** Sent with every state-changing request (X-CSRF-Token); derived from the token. */
  csrfToken: string;
  user: SessionUser['user'];
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A new session token (256 random bits, base64url) and the id it is stored under. */
export function newSessionToken(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: sessionIdOf(token) };
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(`socd-session\0${token}`, 'utf8').digest('hex');
}

/**
 * The CSRF token of a session: a second hash of the secret token (domain-separated from the id),
 * so it needs no storage, cannot be forged without the cookie, and reveals nothing about it.
 */
export function csrfTokenOf(token: string): string {
  return createHash('sha256').update(`socd-csrf\0${token}`, 'utf8').digest('base64url');
}

/** The expiry of a session created at `createdAt`, seen at `now`. */
export function sessionExpiry(createdAt: string, now: Date): string {
  return new Date(Math.min(now.getTime() + SESSION_IDLE_MS, Date.parse(createdAt) + SESSION_MAX_MS)).toISOString();
}

const sessions = new WeakMap<FastifyRequest, SessionContext>();

/** The request's session, or null when it carries none (set by the hook of installSession). */
export function sessionOf(request: FastifyRequest): SessionContext | null {
  return sessions.get(request) ?? null;
}

function isTls(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

function tokenOf(request: FastifyRequest): string | null {
  const secure = request.cookies[SECURE_SESSION_COOKIE];
  const plain = request.cookies[SESSION_COOKIE];
  const token = (isTls(request) ? secure : undefined) ?? plain ?? secure;
  return typeof token === 'string' && TOKEN.test(token) ? token : null;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  const secure = isTls(request);
  void reply.setCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    // The server ends sessions (idle and absolute limits); the cookie just should not outlive them.
    maxAge: Math.floor(SESSION_MAX_MS / 1000),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  const secure = isTls(request);
  void reply.clearCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

/**
 * Register cookie parsing and the session lookup in `ctx` (the dashboard's context). Requests
 * without a valid session simply have none; routes decide with requireSession / requireAdmin.
 */
export async function installSession(ctx: FastifyInstance, repo: SessionsRepository): Promise<void> {
  await ctx.register(cookie);
  ctx.addHook('onRequest', async (request) => {
    const token = tokenOf(request);
    if (token === null) return;
    const now = new Date();
    const id = sessionIdOf(token);
    const found = await repo.find(id, now.toISOString());
    if (!found) return;
    if (found.user.disabled) {
      await repo.deleteForUser(found.user.id);
      return;
    }
    if (now.getTime() - Date.parse(found.lastSeenAt) > TOUCH_EVERY_MS) {
      await repo.touch(id, now.toISOString(), sessionExpiry(found.createdAt, now));
    }
    sessions.set(request, { id, csrfToken: csrfTokenOf(token), user: found.user });
  });
}

/** The signed-in user's session; 401 when there is none (an API key does not count). */
export function requireSession(request: FastifyRequest): SessionContext {
  const session = sessionOf(request);
  if (session) return session;
  const sentKey = request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined;
  throw new ApiError(
    401,
    'authentication_required',
    sentKey
      ? 'this endpoint needs a signed-in dashboard session; an API key cannot manage keys or accounts'
      : 'sign in first (POST /api/session with e-mail and password)',
  );
}

/** The session of an administrator; 403 for a member. */
export function requireAdmin(request: FastifyRequest): SessionContext {
  const session = requireSession(request);
  if (session.user.role !== 'admin') throw new ApiError(403, 'forbidden', 'this needs an administrator account');
  return session;
}
