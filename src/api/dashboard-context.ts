/**
 * What the dashboard's route plugins are handed (as plugin options) besides the app's own
 * decorations: the session and audit repositories and the feed-run tracker, plus the one helper
 * that writes an audit entry for the signed-in user.
 */
import type { FastifyRequest } from 'fastify';
import type { AccountDeps } from './accounts.js';
import type { AuditRepository } from '../store/audit-repository.js';
import type { SessionsRepository } from '../store/sessions-repository.js';
import type { FeedRuns } from './feed-runs.js';
import type { SessionContext } from './plugins/session.js';

export interface DashboardContext {
  sessions: SessionsRepository;
  audit: AuditRepository;
  feedRuns: FeedRuns;
}

/** The account rules' dependencies over the app's repositories and plans. */
export function accountDepsOf(request: FastifyRequest): AccountDeps {
  const app = request.server;
  return { accounts: app.accounts, keys: app.apiKeys, plans: app.plans };
}

/** Record `action` by the signed-in user (or anonymous, for failed sign-ins) in the audit log. */
export async function audit(
  ctx: DashboardContext,
  request: FastifyRequest,
  actor: Pick<SessionContext, 'user'> | null,
  action: string,
  target: { type: string; id: string } | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await ctx.audit.record({
    at: new Date().toISOString(),
    actor: actor ? { id: actor.user.id, email: actor.user.email } : null,
    action,
    target,
    details,
    ip: request.ip,
  });
}
