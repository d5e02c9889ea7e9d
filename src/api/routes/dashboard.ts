/**
 * The dashboard's server side, wired in one encapsulated context: session cookies and CSRF
 * checks (plugins/session.ts, plugins/csrf.ts) apply to its routes only (API-key routes are
 * untouched), then the session, key, user, feed and data routes. The built web app itself is
 * served beside it (plugins/static-web.ts, its own entry in routes/index.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditRepository } from '../../store/audit-repository.js';
import { SessionsRepository } from '../../store/sessions-repository.js';
import type { DashboardContext } from '../dashboard-context.js';
import { FeedRuns } from '../feed-runs.js';
import { installCsrf } from '../plugins/csrf.js';
import { installSession } from '../plugins/session.js';
import { dashboardDataRoutes } from './dashboard-data.js';
import { feedsAdminRoutes } from './feeds-admin.js';
import { keysAdminRoutes } from './keys-admin.js';
import { sessionRoutes } from './session.js';
import { usersAdminRoutes } from './users-admin.js';

export const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx: DashboardContext = {
    sessions: new SessionsRepository(app.store.db),
    audit: new AuditRepository(app.store.db),
    feedRuns: new FeedRuns(app.store, app.config, (msg) => app.log.info(msg)),
  };
  await installSession(app, ctx.sessions);
  installCsrf(app);
  for (const routes of [sessionRoutes, keysAdminRoutes, usersAdminRoutes, feedsAdminRoutes, dashboardDataRoutes]) {
    await app.register(routes, ctx);
  }
  // A feed started with "run now" writes to the store: let it finish before the store closes.
  app.addHook('onClose', async () => ctx.feedRuns.settle());
};
