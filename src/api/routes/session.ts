/**
 * The dashboard session: `POST /api/session` signs in (e-mail and password; sets the session
 * cookie), `GET /api/session` says who is signed in and hands the CSRF token to the page,
 * `DELETE /api/session` signs out. The first administrator is created with the CLI
 * (`socd users create --admin`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit, type DashboardContext } from '../dashboard-context.js';
import { ApiError } from '../errors.js';
import { clearSessionCookie, requireSession, setSessionCookie, type SessionContext } from '../plugins/session.js';
import { errorResponse } from '../schemas/common.js';
import { SessionResponse, SignInBody } from '../schemas/session.js';
import { signIn } from '../sign-in.js';

const TAGS = ['account'];

function body(session: SessionContext): { data: { user: { id: string; email: string; role: 'admin' | 'member'; plan: string }; csrf_token: string } } {
  const { id, email, role, plan } = session.user;
  return { data: { user: { id, email, role, plan }, csrf_token: session.csrfToken } };
}

export const sessionRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (app, ctx) => {
  app.post(
    '/api/session',
    {
      schema: {
        summary: 'Sign in to the dashboard',
        description:
          'Checks the e-mail and password and sets the session cookie (HttpOnly, SameSite=Strict; Secure over TLS). ' +
          'Repeated failures slow sign-in down for that e-mail and address: 429 with Retry-After.',
        tags: TAGS,
        body: SignInBody,
        response: {
          200: { description: 'Signed in', ...SessionResponse },
          400: errorResponse('invalid_body'),
          401: errorResponse('invalid_credentials'),
          403: errorResponse('forbidden (account disabled) or csrf_token_invalid (cross-site request)'),
          429: errorResponse('rate_limit_exceeded: too many failed sign-ins; wait Retry-After seconds'),
        },
      },
      config: { csrf: 'origin-only' },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      let signed;
      try {
        signed = await signIn(
          { accounts: app.accounts, sessions: ctx.sessions },
          { email, password, ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
        );
      } catch (err) {
        if (err instanceof ApiError && err.status !== 429) {
          await audit(ctx, request, null, 'session.sign_in_failed', null, { email: email.trim().toLowerCase().slice(0, 320), reason: err.code });
        }
        throw err;
      }
      setSessionCookie(request, reply, signed.token);
      await audit(ctx, request, signed.session, 'session.sign_in', { type: 'user', id: signed.session.user.id });
      reply.header('Cache-Control', 'no-store');
      return body(signed.session);
    },
  );

  app.get(
    '/api/session',
    {
      schema: {
        summary: 'The signed-in user',
        description: 'The user of the session cookie and the CSRF token to send as X-CSRF-Token on state changes.',
        tags: TAGS,
        response: { 200: { description: 'Signed in', ...SessionResponse }, 401: errorResponse('authentication_required') },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return body(requireSession(request));
    },
  );

  app.delete(
    '/api/session',
    {
      schema: {
        summary: 'Sign out',
        tags: TAGS,
        response: {
          204: { description: 'Signed out', type: 'null' },
          401: errorResponse('authentication_required'),
          403: errorResponse('csrf_token_invalid'),
        },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      await ctx.sessions.delete(session.id);
      clearSessionCookie(request, reply);
      return reply.status(204).send(null);
    },
  );
};
