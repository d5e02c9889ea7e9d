/**
 * User administration for the dashboard (administrators only): list users, create one, change a
 * user's plan (their keys follow) or disable / enable them (a disabled user's sessions end and
 * keys stop working at once); and the audit log every one of these actions is written to.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import type { User } from '../../store/accounts-repository.js';
import { accountCall } from '../account-errors.js';
import { createUser, setUserPlan } from '../accounts.js';
import { accountDepsOf, audit, type DashboardContext } from '../dashboard-context.js';
import { ApiError } from '../errors.js';
import { requireAdmin } from '../plugins/session.js';
import { errorResponse } from '../schemas/common.js';
import {
  AuditQuery,
  AuditResponse,
  CreateUserBody,
  UpdateUserBody,
  UserIdParams,
  UserListResponse,
  UserResponse,
  type UserView,
} from '../schemas/admin.js';

const HIDDEN = { hide: true, tags: ['dashboard'] };
const ERRORS = {
  401: errorResponse('authentication_required'),
  403: errorResponse('forbidden: administrators only; csrf_token_invalid'),
} as const;

function view(u: User): UserView {
  return { id: u.id, email: u.email, role: u.role, plan: u.plan, disabled: u.disabled, created_at: u.created_at };
}

export const usersAdminRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (app, ctx) => {
  app.get(
    '/api/admin/users',
    { schema: { ...HIDDEN, summary: 'List users', response: { 200: UserListResponse, ...ERRORS } } },
    async (request, reply) => {
      requireAdmin(request);
      reply.header('Cache-Control', 'no-store');
      return { data: (await app.accounts.list()).map(view), meta: { plans: Object.keys(app.plans) } };
    },
  );

  app.post<{ Body: Static<typeof CreateUserBody> }>(
    '/api/admin/users',
    {
      schema: {
        ...HIDDEN,
        summary: 'Create a user',
        body: CreateUserBody,
        response: { 201: UserResponse, 400: errorResponse('invalid_parameter'), ...ERRORS, 409: errorResponse('conflict: e-mail taken') },
      },
    },
    async (request, reply) => {
      const session = requireAdmin(request);
      const { email, password, role, plan } = request.body;
      const user = await accountCall(() => createUser(accountDepsOf(request), { email, password, role, plan }));
      await audit(ctx, request, session, 'user.create', { type: 'user', id: user.id }, { email: user.email, role: user.role, plan: user.plan });
      return reply.status(201).send({ data: view(user) });
    },
  );

  app.patch(
    '/api/admin/users/:id',
    {
      schema: {
        ...HIDDEN,
        summary: "Change a user's plan or disable / enable them",
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: UserResponse, 400: errorResponse('invalid_parameter'), ...ERRORS, 404: errorResponse('not_found') },
      },
    },
    async (request) => {
      const session = requireAdmin(request);
      const { plan, disabled } = request.body;
      let user = await app.accounts.findById(request.params.id);
      if (!user) throw new ApiError(404, 'not_found', `no user with id ${request.params.id}`);
      if (plan === undefined && disabled === undefined) {
        throw new ApiError(400, 'invalid_parameter', 'give plan or disabled', { parameter: 'plan' });
      }
      if (disabled === true && user.id === session.user.id) {
        throw new ApiError(400, 'invalid_parameter', 'you cannot disable your own account', { parameter: 'disabled' });
      }
      if (plan !== undefined && plan !== user.plan) {
        const before = user.plan;
        user = await accountCall(() => setUserPlan(accountDepsOf(request), (user as User).email, plan));
        await audit(ctx, request, session, 'user.set_plan', { type: 'user', id: user.id }, { email: user.email, from: before, to: plan });
      }
      if (disabled !== undefined && disabled !== user.disabled) {
        await app.accounts.setDisabled(user.id, disabled);
        const ended = disabled ? await ctx.sessions.deleteForUser(user.id) : 0;
        user = { ...user, disabled };
        await audit(ctx, request, session, disabled ? 'user.disable' : 'user.enable', { type: 'user', id: user.id }, {
          email: user.email,
          ...(disabled ? { sessions_ended: ended } : {}),
        });
      }
      return { data: view(user) };
    },
  );

  app.get(
    '/api/admin/audit',
    { schema: { ...HIDDEN, summary: 'The audit log, newest first', querystring: AuditQuery, response: { 200: AuditResponse, ...ERRORS } } },
    async (request, reply) => {
      requireAdmin(request);
      const limit = request.query.limit ?? 100;
      const rows = await ctx.audit.list({ limit: limit + 1, ...(request.query.before !== undefined ? { beforeId: request.query.before } : {}) });
      const more = rows.length > limit;
      if (more) rows.length = limit;
      reply.header('Cache-Control', 'no-store');
      return { data: rows, meta: { next_before: more ? (rows[rows.length - 1]?.id ?? null) : null } };
    },
  );
};
